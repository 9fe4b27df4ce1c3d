from django.core.management.base import BaseCommand, CommandError

from newsletter.digest import create_digest
from newsletter.models import Edition
from newsletter.sending import email_configured


class Command(BaseCommand):
    help = "Queue today's digest of new stories for every confirmed subscriber (once a day)."

    def handle(self, *args, **options):
        if not email_configured():
            raise CommandError(
                "EMAIL_HOST is not set: nothing would be sent. Configure SMTP first."
            )
        edition = create_digest()
        if edition is None:
            self.stdout.write("No digest queued: nothing new, or today's digest was already made.")
            return
        count = Edition.objects.get(pk=edition.pk).articles.count()
        self.stdout.write(f"Queued digest {edition.key} with {count} stories: {edition.subject}")
