"""The update form: the desk's short form and the change form that corrects an update."""

from django import forms

from articles.editor import reencoded_upload
from articles.models import Author

from .models import Update


class UpdateForm(forms.ModelForm):
    # A plain text box: under pressure the list of posted updates below is the preview.
    body = forms.CharField(
        label="Update",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text="Markdown, as in articles.",
    )

    class Meta:
        model = Update
        fields = ["headline", "body", "pinned", "authors", "image", "image_alt"]
        widgets = {"headline": forms.TextInput(attrs={"size": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].queryset = Author.objects.order_by("name")
        self.fields["authors"].widget.attrs["size"] = 4

    def clean_image(self):
        return reencoded_upload(self.cleaned_data.get("image"))


class CorrectUpdateForm(UpdateForm):
    class Meta(UpdateForm.Meta):
        fields = ["published_at", *UpdateForm.Meta.fields]
        widgets = UpdateForm.Meta.widgets
