from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.article_markdown import parse, save_parsed
from articles.models import Status

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo_content"


class Command(BaseCommand):
    help = "Load the demo articles (published), updating them in place when run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse the demo files, save nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        files = sorted(DEMO_DIR.glob("*.md"))
        with transaction.atomic():
            for path in files:
                parsed = parse(path.read_text(encoding="utf-8"))
                if not dry_run:
                    save_parsed(
                        parsed, status=Status.PUBLISHED, trusted=True, via="load_demo_content"
                    )
                if verbosity >= 2:
                    self.stdout.write(f"  {path.name}: {parsed.title}")
        verb = "Checked" if dry_run else "Loaded"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(files)} demo articles."))
