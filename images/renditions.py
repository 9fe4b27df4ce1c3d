"""Renditions of an image: each crop centred on the focal point, at the widths pages ask for,
in AVIF, WebP and JPEG. Made by the background task only, never on a reader's request."""

import logging
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import features

from .models import Rendition

logger = logging.getLogger(__name__)

# Width over height of each crop; None keeps the original's shape.
RATIOS = {
    Rendition.Crop.WIDE: (16, 9),
    Rendition.Crop.CLASSIC: (4, 3),
    Rendition.Crop.SQUARE: (1, 1),
    Rendition.Crop.FREE: None,
}
WIDTHS = (480, 800, 1200, 1600)

# Quality where artefacts stop showing at reading distance; AVIF's speed 8 keeps a whole
# image's renditions to a second or two of a worker's time.
ENCODERS = {
    Rendition.Format.AVIF: ("AVIF", {"quality": 60, "speed": 8}),
    Rendition.Format.WEBP: ("WEBP", {"quality": 80, "method": 4}),
    Rendition.Format.JPEG: ("JPEG", {"quality": 82, "progressive": True, "optimize": True}),
}


def available_formats():
    """AVIF only where this Pillow was built with it (Pillow 11.3+ wheels are)."""
    if features.check("avif"):
        return list(ENCODERS)
    logger.warning("This Pillow cannot write AVIF: renditions are made in WebP and JPEG only.")
    return [name for name in ENCODERS if name != Rendition.Format.AVIF]


def crop_box(width, height, ratio, focal_x=0.5, focal_y=0.5):
    """The largest box of `ratio` inside the image, centred on the focal point as far as the
    image's edges allow: (left, top, right, bottom) in whole pixels."""
    if ratio is None:
        return (0, 0, width, height)
    ratio_w, ratio_h = ratio
    if width * ratio_h > height * ratio_w:  # wider than the crop: keep the full height
        box_w, box_h = max(1, round(height * ratio_w / ratio_h)), height
    else:
        box_w, box_h = width, max(1, round(width * ratio_h / ratio_w))
    left = _clamp(round(focal_x * width - box_w / 2), 0, width - box_w)
    top = _clamp(round(focal_y * height - box_h / 2), 0, height - box_h)
    return (left, top, left + box_w, top + box_h)


def _clamp(value, low, high):
    return max(low, min(value, high))


def rendition_widths(box_width):
    """The standard widths the box can fill without upscaling; a box narrower than the next
    standard width also gets its own width, so the sharpest version is never left out."""
    widths = {width for width in WIDTHS if width <= box_width}
    if box_width < WIDTHS[-1]:
        widths.add(box_width)
    return sorted(widths)


def encode(picture, image_format):
    name, options = ENCODERS[image_format]
    picture.info = {}  # no EXIF, XMP, ICC or comments in what readers download
    out = BytesIO()
    picture.save(out, name, **options)
    return out.getvalue()


def _rgb(original):
    """Renditions are opaque: transparency goes onto white (JPEG has none)."""
    frame = original.convert("RGBA")
    flat = PILImage.new("RGB", frame.size, "white")
    flat.paste(frame, mask=frame.getchannel("A"))
    return flat


def render(original, focal_x=0.5, focal_y=0.5, formats=None):
    """Every rendition of a decoded image: (crop, format, width, height, bytes) tuples."""
    formats = formats or available_formats()
    picture = _rgb(original)
    made = []
    for crop, ratio in RATIOS.items():
        box = crop_box(picture.width, picture.height, ratio, focal_x, focal_y)
        box_w, box_h = box[2] - box[0], box[3] - box[1]
        for width in rendition_widths(box_w):
            height = max(1, round(box_h * width / box_w))
            resized = picture.resize((width, height), PILImage.Resampling.LANCZOS, box=box)
            for image_format in formats:
                made.append((crop, image_format, width, height, encode(resized, image_format)))
    return made


def replace_renditions(image):
    """Make the image's renditions and put them in place of its old ones, in one transaction;
    the old files go once it commits (images.apps)."""
    key = image.wanted_renditions_key
    with image.file.open("rb") as stored, PILImage.open(stored) as original:
        original.load()
        made = render(original, image.focal_x, image.focal_y)
    with transaction.atomic():
        image.renditions.all().delete()
        rows = []
        for crop, image_format, width, height, data in made:
            rendition = Rendition(
                image=image, crop=crop, format=image_format, width=width, height=height,
                bytes=len(data),
            )  # fmt: skip
            rendition.file.save(f"r.{_extension(image_format)}", ContentFile(data), save=False)
            rows.append(rendition)
        Rendition.objects.bulk_create(rows)
        image.renditions_key = key
        image.save(update_fields=["renditions_key"])  # pages showing it go stale (pages/)
    return rows


def _extension(image_format):
    return "jpg" if image_format == Rendition.Format.JPEG else image_format
