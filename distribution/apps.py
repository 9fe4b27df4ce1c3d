from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "distribution"
    verbose_name = "Distribution"

    def ready(self):
        from articles.models import Article, Correction

        from . import events

        # Connected per sender, so no other model's save pays for these receivers.
        events.connect(Article, Correction)
