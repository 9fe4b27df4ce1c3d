import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure someone can log in to the admin: create a superuser with a random password "
        "when there is none, and say how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--dry-run", action="store_true", help="Say what would happen.")

    def handle(self, *args, username="admin", dry_run=False, **options):
        admin_url = f"{settings.SITE_URL}/{settings.ADMIN_PATH}"
        users = get_user_model().objects
        existing = users.filter(is_superuser=True).order_by("pk").first()
        if existing:
            self.stdout.write(
                f"Admin: {admin_url} — log in as {existing.get_username()!r}. Forgot the "
                f"password? Run: .venv/bin/python manage.py changepassword "
                f"{existing.get_username()}"
            )
            return
        if dry_run:
            self.stdout.write(f"Would create the superuser {username!r}.")
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: {admin_url} — user {username!r}, password {password!r} "
                "(shown once; change it with manage.py changepassword)."
            )
        )
