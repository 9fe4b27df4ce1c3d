from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Page delivery"

    def ready(self):
        from . import receivers

        receivers.connect()
