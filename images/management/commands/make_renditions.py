from django.core.management.base import BaseCommand
from django.db import transaction

from images.models import Image
from images.renditions import replace_renditions
from images.tasks import make_renditions


class Command(BaseCommand):
    help = (
        "Queue renditions for every image whose renditions are missing or stale (images that "
        "came from the old lead-image fields, say); --now makes them in this process instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List them, queue nothing.")
        parser.add_argument(
            "--now", action="store_true", help="Make them here rather than in the worker."
        )

    def handle(self, *args, dry_run=False, now=False, verbosity=1, **options):
        stale = [image for image in Image.objects.order_by("pk").iterator()
                 if image.renditions_key != image.wanted_renditions_key]  # fmt: skip
        for image in stale:
            if verbosity >= 2:
                self.stdout.write(f"  {image.pk}: {image}")
            if dry_run:
                continue
            if now:
                replace_renditions(image)
            else:
                pk = image.pk
                transaction.on_commit(lambda pk=pk: make_renditions.enqueue(pk))
        verb = "Would make" if dry_run else ("Made" if now else "Queued")
        self.stdout.write(self.style.SUCCESS(f"{verb} renditions for {len(stale)} images."))
