"""The Markdown editor's server side: live preview and image upload, for logged-in staff only.

markdownx ships these views open to anyone; we mount our own instead.
"""

import uuid
import warnings
from functools import wraps
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_POST
from PIL import Image, UnidentifiedImageError

from .gif_frames import count_gif_frames
from .markdown_limits import RenderTooSlow, time_budget, validate_markdown_cost
from .rendering import render_markdown

# Decoded format -> the extension the stored file gets.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


class UploadRejected(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def staff_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            return JsonResponse({"error": "Log in to the admin to use the editor."}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@staff_only
def markdown_preview(request):
    content = request.POST.get("content")
    if content is None:
        return JsonResponse({"error": "Send the Markdown as the 'content' field."}, status=400)
    try:
        validate_markdown_cost(content)
        with time_budget(settings.MARKDOWN_PREVIEW_SECONDS):
            html = render_markdown(content)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=413)
    except RenderTooSlow:
        return JsonResponse(
            {"error": "This text takes too long to preview. Simplify its formatting."},
            status=422,
        )
    return HttpResponse(html)


@require_POST
@staff_only
def image_upload(request):
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": "Send the image as the 'image' field."}, status=400)
    try:
        data, extension = decode_image(upload)
    except UploadRejected as rejected:
        return JsonResponse({"error": str(rejected)}, status=rejected.status)
    name = f"{settings.MARKDOWNX_MEDIA_PATH}{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
    stored = default_storage.save(name, ContentFile(data))
    return JsonResponse({"image_code": f"![]({default_storage.url(stored)})"})


def reencoded_upload(upload):
    """A form's cleaned image upload: decoded and re-encoded, so nothing but pixels reaches the
    disk; an upload Pillow cannot take is a form error. A value that is not a new upload (the
    file already stored, a cleared field) passes through."""
    if not isinstance(upload, UploadedFile):
        return upload
    upload.seek(0)
    try:
        data, extension = decode_image(upload)
    except UploadRejected as rejected:
        raise ValidationError(str(rejected), code="image") from rejected
    return SimpleUploadedFile(f"image.{extension}", data)


def decode_image(upload):
    """Decode an upload with Pillow and re-encode it; return (bytes, extension).

    The format comes from the decoded content, never from the file name or the browser's
    claim. Re-encoding drops anything riding along in the file (metadata, polyglot payloads).
    """
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise UploadRejected(
            f"The image is {upload.size // 1024} KB; the limit is "
            f"{settings.UPLOAD_MAX_BYTES // 1024} KB.",
            status=413,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in IMAGE_FORMATS:
                    raise UploadRejected(
                        "Upload a JPEG, PNG, GIF or WebP image "
                        f"(this file is {image.format or 'not an image we can read'})."
                    )
                width, height = image.size
                if width * height > settings.UPLOAD_MAX_PIXELS:
                    raise UploadRejected(
                        f"The image is {width}×{height} pixels; the limit is "
                        f"{settings.UPLOAD_MAX_PIXELS:,} pixels in all."
                    )
                frames = _frames(image, upload)
                if frames * width * height > settings.UPLOAD_MAX_FRAME_PIXELS:
                    raise UploadRejected(
                        f"The animation has {frames:,} frames of {width}×{height} pixels; the "
                        f"limit is {settings.UPLOAD_MAX_FRAME_PIXELS:,} pixels in all frames."
                    )
                image.load()
                return reencode(image), IMAGE_FORMATS[image.format]
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow refuses these from the header alone, before any pixel is decoded.
        raise UploadRejected(
            "The image declares far more pixels than it could hold; the limit is "
            f"{settings.UPLOAD_MAX_PIXELS:,} pixels in all."
        ) from error
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise UploadRejected(
            "This file is not an image we can read: upload a JPEG, PNG, GIF or WebP image."
        ) from error


def _frames(image, upload):
    """How many frames an image has, without decoding them (Pillow decodes GIF frames to
    count them, so those are counted from the file's blocks instead)."""
    if image.format == "GIF":
        upload.seek(0)
        frames = count_gif_frames(upload.read())
        upload.seek(0)
        return frames
    return getattr(image, "n_frames", 1)


# Metadata Pillow would otherwise copy into the re-encoded file: comments can carry a
# polyglot's script, and EXIF and XMP can carry a photographer's location.
DROPPED_METADATA = ("comment", "exif", "xmp", "XML:com.adobe.xmp", "photoshop", "extension")


def reencode(image):
    for key in DROPPED_METADATA:
        image.info.pop(key, None)
    out = BytesIO()
    if image.format == "GIF":
        image.save(out, "GIF", save_all=getattr(image, "is_animated", False))
    elif image.format == "JPEG":
        image.save(out, "JPEG", quality=88, optimize=True)
    else:
        image.save(out, image.format)
    return out.getvalue()
