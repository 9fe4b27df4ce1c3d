from django import forms

from articles.editor import reencoded_upload

from .models import Image


class ImageAdminForm(forms.ModelForm):
    """The original is decoded and re-encoded before it is stored, once, like every upload."""

    class Meta:
        model = Image
        fields = ["file", "focal_x", "focal_y", "description", "caption", "credit", "licence",
                  "creator"]  # fmt: skip
        # Set by clicking the preview (static/js/admin-focal-point.js).
        widgets = {"focal_x": forms.HiddenInput, "focal_y": forms.HiddenInput}

    def clean_file(self):
        return reencoded_upload(self.cleaned_data.get("file"))
