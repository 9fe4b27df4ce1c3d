from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.article_markdown import parse, save_parsed
from articles.models import Article, SitePage, Status
from articles.newlines import normalise_newlines
from images import demo
from live import demo as live_demo

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo_content"


class Command(BaseCommand):
    help = (
        "Load the demo articles (published) that do not exist yet, and the trust pages that do "
        "not exist yet. What an editor changed or unpublished is kept unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse the demo files, save nothing."
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Put the demo articles that exist back to the files' text, published "
            "(a revision of each is kept).",
        )

    def handle(self, *args, dry_run=False, update=False, verbosity=1, **options):
        files = sorted(DEMO_DIR.glob("*.md"))
        loaded, kept, pictured = [], [], []
        with transaction.atomic():
            for path in files:
                parsed = parse(path.read_text(encoding="utf-8"))
                if not update and Article.objects.filter(slug=parsed.slug).exists():
                    kept.append(parsed.slug)  # an editor may have changed or unpublished it
                    continue
                if not dry_run:
                    article = save_parsed(
                        parsed, status=Status.PUBLISHED, trusted=True, via="load_demo_content"
                    )
                    pictured.append(article)
                    demo.give_lead_image(article, via="load_demo_content")
                loaded.append(parsed.slug)
                if verbosity >= 2:
                    self.stdout.write(f"  {path.name}: {parsed.title}")
            portraits = demo.give_portraits(demo.demo_authors(pictured)) if pictured else []
            created = self.load_site_pages(dry_run)
            live_loaded, live_kept = live_demo.load(dry_run=dry_run, update=update)
        verb = "Checked" if dry_run else "Loaded"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(loaded)} demo articles."))
        if pictured:
            self.stdout.write(
                f"Drew lead images and {len(portraits)} portraits; the task worker makes their "
                "renditions (pages show the originals until then)."
            )
        if kept:
            self.stdout.write(
                f"Kept {len(kept)} that exist as they are (--update replaces them): "
                + ", ".join(kept)
            )
        self.stdout.write(
            f"{verb} {len(live_loaded)} live demo articles with their updates"
            + (f"; kept {len(live_kept)} that exist." if live_kept else ".")
        )
        kept = len(SitePage.Kind.values) - len(created)
        self.stdout.write(
            f"{'Would create' if dry_run else 'Created'} {len(created)} trust pages"
            f"{': ' + ', '.join(created) if created else ''}; kept {kept} that exist."
        )

    def load_site_pages(self, dry_run):
        created = []
        for kind in SitePage.Kind.values:
            if SitePage.objects.filter(kind=kind).exists():
                continue
            text = normalise_newlines((DEMO_DIR / "site_pages" / f"{kind}.md").read_text("utf-8"))
            title, _, body = text.partition("\n")
            page = SitePage(kind=kind, title=title.removeprefix("# ").strip(), body=body.strip())
            page.full_clean()
            if not dry_run:
                page.save()
            created.append(kind)
        return created
