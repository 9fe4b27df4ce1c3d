from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from articles.editor import UploadRejected, decode_image

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
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload
        upload.seek(0)
        try:
            data, extension = decode_image(upload)
        except UploadRejected as rejected:
            raise ValidationError(str(rejected), code="image") from rejected
        return SimpleUploadedFile(f"image.{extension}", data)
