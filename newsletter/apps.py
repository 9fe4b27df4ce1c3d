from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Email edition"

    def ready(self):
        from distribution.events import article_event, sweeping

        from . import editions

        # An edition chosen before its article went live goes out when it does.
        article_event.connect(editions.article_went_live, dispatch_uid="newsletter-live")
        sweeping.connect(editions.requeue_stalled, dispatch_uid="newsletter-sweep")
