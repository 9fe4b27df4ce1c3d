"""Renditions: crop boxes on the focal point, widths without upscaling, real encodes that
decode back, and the task that makes them after commit."""

from io import BytesIO
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult
from PIL import Image as PILImage

from images.models import Image, Rendition
from images.renditions import RATIOS, crop_box, render, rendition_widths, replace_renditions

from .factories import ImageFactory, drawn_png
from .queue import drain

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("size", "ratio", "focal", "box"),
    [
        # Centred: the crop sits in the middle of the wide side.
        ((1600, 900), (1, 1), (0.5, 0.5), (350, 0, 1250, 900)),
        ((1600, 900), (4, 3), (0.5, 0.5), (200, 0, 1400, 900)),
        ((1600, 900), (16, 9), (0.5, 0.5), (0, 0, 1600, 900)),
        ((900, 1600), (16, 9), (0.5, 0.5), (0, 547, 900, 1053)),
        # The focal point moves the box, as far as the edges allow.
        ((1600, 900), (1, 1), (0.75, 0.5), (700, 0, 1600, 900)),
        ((1600, 900), (1, 1), (0.6, 0.5), (510, 0, 1410, 900)),
        ((1600, 900), (1, 1), (0.0, 0.0), (0, 0, 900, 900)),
        ((1600, 900), (1, 1), (1.0, 1.0), (700, 0, 1600, 900)),
        ((900, 1600), (4, 3), (0.5, 1.0), (0, 925, 900, 1600)),
        ((900, 1600), (4, 3), (0.5, 0.0), (0, 0, 900, 675)),
        # The original's own shape is the whole picture, whatever the focal point.
        ((1600, 900), None, (0.1, 0.9), (0, 0, 1600, 900)),
    ],
)
def test_crop_box_is_centred_on_the_focal_point_and_stays_inside(size, ratio, focal, box):
    got = crop_box(*size, ratio, *focal)
    assert got == box
    left, top, right, bottom = got
    assert 0 <= left < right <= size[0] and 0 <= top < bottom <= size[1]
    if ratio:
        assert abs((right - left) / (bottom - top) - ratio[0] / ratio[1]) < 0.01


def test_focal_point_beyond_the_right_edge_is_clamped():
    assert crop_box(1600, 900, (1, 1), 0.95, 0.5) == (700, 0, 1600, 900)
    assert crop_box(1600, 900, (1, 1), 0.05, 0.5) == (0, 0, 900, 900)


def test_widths_never_upscale_and_reach_1200_when_the_original_allows():
    assert rendition_widths(1600) == [480, 800, 1200, 1600]
    assert rendition_widths(2400) == [480, 800, 1200, 1600]
    assert rendition_widths(1300) == [480, 800, 1200, 1300]
    assert rendition_widths(900) == [480, 800, 900]
    assert rendition_widths(300) == [300]


def test_every_rendition_decodes_in_its_format_at_its_size_without_metadata():
    original = PILImage.open(BytesIO(drawn_png(1600, 900)))
    original.info["comment"] = b"<script>alert(1)</script>"
    made = render(original, 0.3, 0.4)
    kinds = {(crop, fmt) for crop, fmt, *_ in made}
    assert kinds == {(crop, fmt) for crop in RATIOS for fmt in Rendition.Format.values}
    for crop, image_format, width, height, data in made:
        with PILImage.open(BytesIO(data)) as decoded:
            assert decoded.format == image_format.upper()
            assert decoded.size == (width, height)
            assert width <= 1600
            assert "comment" not in decoded.info and "exif" not in decoded.info
        if RATIOS[crop]:
            ratio_w, ratio_h = RATIOS[crop]
            assert abs(width / height - ratio_w / ratio_h) < 0.02
    widths = sorted({w for crop, fmt, w, *_ in made if crop == "1:1"})
    assert widths == [480, 800, 900]  # the square is 900 px: no 1200 or 1600


def test_jpeg_renditions_are_progressive():
    made = render(PILImage.open(BytesIO(drawn_png(800, 600))), formats=["jpeg"])
    for *_, data in made:
        with PILImage.open(BytesIO(data)) as decoded:
            assert decoded.info.get("progressive") or decoded.info.get("progression")


def test_the_crop_follows_the_subject(media_root):
    """A red block at the far right: the square crop with the focal point on it holds it."""
    picture = PILImage.new("RGB", (1600, 900), "white")
    picture.paste((200, 0, 0), (1400, 0, 1600, 900))
    made = render(picture, 0.95, 0.5, formats=["jpeg"])
    square = next(data for crop, _, w, _, data in made if crop == "1:1" and w == 480)
    with PILImage.open(BytesIO(square)) as decoded:
        red, green, _ = decoded.getpixel((470, 240))
        assert red > 150 and green < 60


def test_saving_an_image_enqueues_its_renditions_on_commit(
    media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image = ImageFactory()
    assert not DBTaskResult.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "images.tasks.make_renditions"
    assert queued.args_kwargs["args"] == [image.pk]


def test_the_task_makes_every_rendition_and_a_caption_edit_queues_nothing(
    media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = ImageFactory()
    drain()
    image.refresh_from_db()
    assert image.renditions_key == image.wanted_renditions_key
    rows = list(image.renditions.all())
    # 16:9 and the original: 480-1600 (4 widths); 4:3 is 1200 wide (3); 1:1 is 900 (3).
    assert len(rows) == (4 + 3 + 3 + 4) * 3
    for row in rows:
        with row.file.open("rb") as stored, PILImage.open(stored) as decoded:
            assert decoded.size == (row.width, row.height)
            assert row.bytes == row.file.size
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        image.caption = "A new caption"
        image.save()
    assert not DBTaskResult.objects.exists()


def test_moving_the_focal_point_replaces_the_renditions(
    media_root, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    replace_renditions(image)
    old_files = [row.file.path for row in image.renditions.all()]
    with django_capture_on_commit_callbacks(execute=True):
        image.focal_x = 0.9
        image.save()
    assert DBTaskResult.objects.filter(task_path="images.tasks.make_renditions").exists()
    with django_capture_on_commit_callbacks(execute=True):
        drain()
    image = Image.objects.get(pk=image.pk)
    assert image.renditions_key.endswith("@0.9000,0.5000")
    square = image.renditions_of("1:1", "jpeg")[-1]
    assert square.file.path not in old_files
    assert not any(Path(path).exists() for path in old_files)


def test_deleting_an_image_removes_its_rendition_files_after_commit(
    media_root, django_capture_on_commit_callbacks
):
    image = ImageFactory(size=(500, 300))
    replace_renditions(image)
    files = [Path(row.file.path) for row in image.renditions.all()]
    original = Path(image.file.path)
    assert files and all(path.exists() for path in files)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not any(path.exists() for path in files)
    assert original.exists()  # a restored revision may bring the image back


def test_the_command_queues_only_stale_images_and_is_safe_twice(
    media_root, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    current = ImageFactory(size=(400, 300))
    replace_renditions(current)
    stale = ImageFactory(size=(400, 300))
    Image.objects.filter(pk=stale.pk).update(renditions_key="")  # as the data migration leaves it
    DBTaskResult.objects.all().delete()
    call_command("make_renditions", "--dry-run", verbosity=0)
    assert not DBTaskResult.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", verbosity=0)
    assert [task.args_kwargs["args"] for task in DBTaskResult.objects.all()] == [[stale.pk]]
    call_command("make_renditions", "--now", verbosity=0)
    stale.refresh_from_db()
    assert stale.renditions_key == stale.wanted_renditions_key
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", verbosity=0)
    assert DBTaskResult.objects.count() == 1  # nothing new to queue
