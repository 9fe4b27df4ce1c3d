import pytest
from django.core.cache import cache

from articles import caching


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests read static files from the source folders; no collectstatic manifest needed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _changes_reach_the_page_cache_at_once(monkeypatch):
    """Tests run inside a transaction that never commits; start the new page-cache generation
    straight away instead of at commit, as a real commit would."""
    monkeypatch.setattr(caching, "pages_changed", caching.new_generation)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "x" * 16)
    client.force_login(user)
    return client
