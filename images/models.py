"""Pictures the newsroom publishes: one stored original per image, and the renditions made
from it in the background (images/renditions.py, images/tasks.py)."""

import uuid
from pathlib import PurePath

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone

from articles.canonical import SiteImage, asset_url
from articles.validators import validate_clean_text, validate_one_line

FOCAL_RANGE = [MinValueValidator(0.0), MaxValueValidator(1.0)]
ONE_LINE = [validate_clean_text, validate_one_line]


def original_path(image, filename):
    """Random stored names: nothing a journalist or an attacker names reaches the disk."""
    extension = PurePath(filename).suffix.lower()
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def rendition_path(rendition, filename):
    extension = PurePath(filename).suffix.lower()
    return f"renditions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Image(models.Model):
    file = models.ImageField(
        "image file",
        upload_to=original_path,
        width_field="width",
        height_field="height",
        help_text="JPEG, PNG, GIF or WebP. At least 1200 px wide, so search engines and "
        "social cards show it large.",
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    focal_x = models.FloatField(
        default=0.5,
        validators=FOCAL_RANGE,
        help_text="Where the picture's subject is, from the left (0) to the right (1). "
        "Click the subject in the preview to set it.",
    )
    focal_y = models.FloatField(
        default=0.5,
        validators=FOCAL_RANGE,
        help_text="Where the picture's subject is, from the top (0) to the bottom (1).",
    )
    description = models.CharField(
        max_length=250,
        blank=True,
        validators=ONE_LINE,
        help_text="What the image shows, for readers who cannot see it (its alt text).",
    )
    caption = models.CharField(
        max_length=300,
        blank=True,
        validators=ONE_LINE,
        help_text="Shown under the picture on the article page.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        validators=ONE_LINE,
        help_text="Who to credit, as printed under the picture: “Photo: Ana Ruiz / Agency”.",
    )
    licence = models.CharField(
        max_length=300,
        blank=True,
        validators=ONE_LINE,
        help_text="The licence or copyright notice, as text or the licence's address.",
    )
    creator = models.CharField(
        max_length=200,
        blank=True,
        validators=ONE_LINE,
        help_text="The photographer or artist.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The original and focal point the current renditions were made for (written by the task).
    renditions_key = models.CharField(max_length=200, blank=True, default="", editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.description or self.caption or PurePath(self.file.name).name

    def save(self, *args, **kwargs):
        # Atomic, so the renditions task queued by post_save (images.apps) waits for the row.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)

    @property
    def wanted_renditions_key(self):
        """Renditions belong to one original and one focal point; a change of either makes
        the current ones stale."""
        return f"{self.file.name}@{self.focal_x:.4f},{self.focal_y:.4f}"

    @property
    def is_licence_url(self):
        return self.licence.startswith(("https://", "http://"))

    @property
    def url(self):
        return asset_url(self.file.url)

    @property
    def thumbnail_url(self):
        """The smallest rendition in the original's shape, for the admin's previews."""
        found = self.renditions_of("free", "jpeg")
        return found[0].file.url if found else self.file.url

    def best(self, crop, image_format="jpeg", min_width=1200):
        """The narrowest rendition at least `min_width` wide, else the widest there is; None
        while the renditions are not made yet."""
        found = self.renditions_of(crop, image_format)
        wide_enough = [r for r in found if r.width >= min_width]
        return (wide_enough or found[-1:] or [None])[0]

    def shared(self, crop):
        """The picture for link previews and search engines: a crop's rendition when there
        is one, else the (re-encoded) original."""
        rendition = self.best(crop)
        if rendition is None:
            return SiteImage(self.url, self.width, self.height, self.description)
        return SiteImage(rendition.url, rendition.width, rendition.height, self.description)

    def renditions_of(self, crop, image_format=None):
        """This crop's renditions, narrowest first, from the prefetched rows when there are."""
        found = [r for r in self.renditions.all() if r.crop == crop]
        if image_format:
            found = [r for r in found if r.format == image_format]
        return sorted(found, key=lambda r: (r.format, r.width))


class Rendition(models.Model):
    class Crop(models.TextChoices):
        WIDE = "16:9", "16:9"
        CLASSIC = "4:3", "4:3"
        SQUARE = "1:1", "1:1"
        FREE = "free", "The original's own shape"

    class Format(models.TextChoices):
        AVIF = "avif", "AVIF"
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    crop = models.CharField(max_length=4, choices=Crop)
    format = models.CharField(max_length=4, choices=Format)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(upload_to=rendition_path, max_length=200)
    bytes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["image", "crop", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "crop", "format", "width"], name="one_rendition_per_size"
            )
        ]

    def __str__(self):
        return f"{self.image} {self.crop} {self.format} {self.width}w"

    @property
    def url(self):
        return asset_url(self.file.url)

    @property
    def media_type(self):
        return f"image/{self.format}"
