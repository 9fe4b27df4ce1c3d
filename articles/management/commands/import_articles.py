from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.article_markdown import MarkdownFormatError, parse, save_parsed
from articles.importing import changes, save_revision_before_update
from articles.models import Article, Status

VIA = "import_articles"


class _DryRun(Exception):
    """Raised to roll back everything a dry run wrote while checking the files."""


class Command(BaseCommand):
    help = (
        "Import articles from Markdown files in the shape of our pages. An article whose slug "
        "exists is refused unless --update is given; --update records a revision first, keeps "
        "the article's status unless --status says otherwise, and prints what changed. "
        "Any error leaves the database as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--status",
            choices=Status.values,
            default=None,
            help="Status to give the articles (default: draft when new, unchanged on --update).",
        )
        parser.add_argument(
            "--update", action="store_true", help="Overwrite articles whose slug exists."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; save nothing."
        )
        parser.add_argument(
            "--owner",
            metavar="USERNAME",
            help="The login new articles count as started by: they show in its “My drafts”.",
        )

    def handle(
        self, *args, paths, status, update=False, dry_run=False, owner=None, verbosity=1, **options
    ):
        owner = self.find_owner(owner) if owner else None
        try:
            with transaction.atomic():
                for path in paths:
                    self.import_one(path, status, update, dry_run, verbosity, owner)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write("Dry run: nothing was saved.")

    def find_owner(self, username):
        users = get_user_model()._default_manager
        try:
            return users.get_by_natural_key(username)
        except users.model.DoesNotExist:
            raise CommandError(f"--owner: there is no login named '{username}'.") from None

    def import_one(self, path, status, update, dry_run, verbosity, owner):
        try:
            parsed = parse(path.read_text(encoding="utf-8"))
            existing = Article.objects.filter(slug=parsed.slug).first() if parsed.slug else None
            if existing and not update:
                raise CommandError(
                    f"{path}: an article with the slug '{parsed.slug}' exists "
                    f"({existing.get_absolute_url()}). Give --update to overwrite it."
                )
            changed = changes(existing, parsed, status) if existing else []
            if existing and changed:
                save_revision_before_update(existing, VIA)
            article = save_parsed(parsed, status=status, trusted=True, via=VIA, owner=owner)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 text ({error.reason}).") from error
        except MarkdownFormatError as error:
            raise CommandError(f"{path}: {error}") from error
        except ValidationError as error:
            raise CommandError(f"{path}: {'; '.join(error.messages)}") from error
        if verbosity < 1:
            return
        if existing is None:
            outcome = f"new, {article.get_status_display().lower()}"
        elif changed:
            outcome = "updated"
        else:
            outcome = "unchanged"
        self.stdout.write(f"{path}: {parsed.title} -> {article.get_absolute_url()} ({outcome})")
        for line in changed:
            self.stdout.write(f"  {line}")
