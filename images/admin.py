from django.contrib import admin, messages
from django.template.loader import render_to_string
from reversion.admin import VersionAdmin

from articles.editorial import image_warnings

from .forms import ImageAdminForm
from .models import Image


def image_thumbnail(image):
    """A small preview of a chosen image for the admin (the article form shows one too)."""
    return render_to_string("admin/images/image/includes/thumbnail.html", {"image": image})


@admin.register(Image)
class ImageAdmin(VersionAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "renditions_ready"]
    search_fields = ["description", "caption", "credit", "creator"]
    readonly_fields = ["focal_point", "size"]
    fieldsets = [
        (None, {"fields": ["file", "focal_point", "focal_x", "focal_y", "size"]}),
        ("For readers", {"fields": ["description", "caption", "credit"]}),
        ("Rights", {"fields": ["creator", "licence"]}),
    ]

    class Media:
        js = ["js/admin-focal-point.js"]
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    @admin.display(description="Preview")
    def thumbnail(self, image):
        return image_thumbnail(image)

    @admin.display(description="Renditions ready", boolean=True)
    def renditions_ready(self, image):
        return bool(image.renditions_key) and image.renditions_key == image.wanted_renditions_key

    @admin.display(description="Size")
    def size(self, image):
        return f"{image.width} × {image.height} px" if image.pk else "—"

    @admin.display(description="Focal point")
    def focal_point(self, image):
        return render_to_string(
            "admin/images/image/includes/focal_point.html", {"image": image if image.pk else None}
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for warning in image_warnings(obj):
            messages.warning(request, warning)
