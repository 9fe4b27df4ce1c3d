from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.article_markdown import MarkdownFormatError, parse, save_parsed
from articles.models import Status


class Command(BaseCommand):
    help = (
        "Import articles from Markdown files in the shape of our pages. An article with the "
        "same slug is updated in place. Any error leaves the database as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--status", choices=Status.values, default=Status.DRAFT)
        parser.add_argument("--dry-run", action="store_true", help="Check the files, save nothing.")

    def handle(self, *args, paths, status, dry_run=False, verbosity=1, **options):
        with transaction.atomic():
            for path in paths:
                try:
                    parsed = parse(path.read_text(encoding="utf-8"))
                    article = (
                        None
                        if dry_run
                        else save_parsed(parsed, status=status, trusted=True, via="import_articles")
                    )
                except OSError as error:
                    raise CommandError(f"{path}: {error.strerror}") from error
                except UnicodeDecodeError as error:
                    raise CommandError(f"{path}: not UTF-8 text ({error.reason}).") from error
                except MarkdownFormatError as error:
                    raise CommandError(f"{path}: {error}") from error
                except ValidationError as error:
                    raise CommandError(f"{path}: {'; '.join(error.messages)}") from error
                if verbosity >= 1:
                    where = article.get_absolute_url() if article else "(dry run)"
                    self.stdout.write(f"{path}: {parsed.title} -> {where}")
