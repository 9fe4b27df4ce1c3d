"""Background work for images (django.tasks; `manage.py run_worker` runs it)."""

from django.tasks import task


@task
def make_renditions(image_id):
    """Renditions for the image as it now stands; nothing to do when they are current."""
    from .models import Image
    from .renditions import replace_renditions

    image = Image.objects.filter(pk=image_id).first()
    if image is None or image.renditions_key == image.wanted_renditions_key:
        return 0
    return len(replace_renditions(image))
