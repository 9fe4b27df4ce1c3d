from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def queue_renditions(sender, instance, **kwargs):
    """A new original or focal point needs new renditions; any other edit (caption, credit)
    does not. Raw saves count too: restoring a revision may bring back another focal point."""
    if instance.renditions_key == instance.wanted_renditions_key:
        return
    from .tasks import make_renditions

    pk = instance.pk
    transaction.on_commit(lambda: make_renditions.enqueue(pk), using=kwargs.get("using"))


def forget_rendition_file(sender, instance, **kwargs):
    """A rendition's file goes with its row, once the deletion commits (replaced renditions,
    a deleted image). The original stays: a restored revision may want it back."""
    stored = instance.file
    transaction.on_commit(lambda: stored.delete(save=False), using=kwargs.get("using"))


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Images"

    def ready(self):
        import reversion

        from .models import Image, Rendition

        # The renditions' key is the rendering's business, not the image's history: a restored
        # version comes back without it, so the restore makes renditions anew.
        if not reversion.is_registered(Image):
            reversion.register(Image, exclude=["renditions_key"])
        post_save.connect(queue_renditions, sender=Image, dispatch_uid="images.renditions")
        post_delete.connect(
            forget_rendition_file, sender=Rendition, dispatch_uid="images.rendition_files"
        )
