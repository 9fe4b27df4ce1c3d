from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.article_markdown import export
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Export articles as Markdown files in the shape of our pages, one file per article "
        "named after its slug. With no slugs, exports every article."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*")
        parser.add_argument("--output-dir", type=Path, required=True)
        parser.add_argument(
            "--published-only", action="store_true", help="Skip drafts and scheduled articles."
        )

    def handle(self, *args, slugs, output_dir, published_only=False, verbosity=1, **options):
        articles = Article.objects.published() if published_only else Article.objects.all()
        if slugs:
            articles = articles.filter(slug__in=slugs)
            missing = set(slugs) - set(articles.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No article with the slug: {', '.join(sorted(missing))}")
        output_dir.mkdir(parents=True, exist_ok=True)
        count = 0
        for article in articles.for_page().prefetch_related("callouts").iterator(chunk_size=200):
            (output_dir / f"{article.slug}.md").write_text(export(article), encoding="utf-8")
            count += 1
            if verbosity >= 2:
                self.stdout.write(f"  {article.slug}.md")
        self.stdout.write(f"Exported {count} articles to {output_dir}.")
