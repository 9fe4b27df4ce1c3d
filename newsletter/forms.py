from django import forms

from articles.validators import validate_no_bidi_controls


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Your email address", max_length=254, validators=[validate_no_bidi_controls]
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
