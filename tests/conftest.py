import pytest
from django.core.cache import cache

from pages import lookup
from pages.release import release_id


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests read static files from the source folders; no collectstatic manifest needed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    lookup.forget()
    release_id.cache_clear()
    yield
    cache.clear()
    lookup.forget()


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Every test's uploads and renditions (the demo content draws pictures) go to its own
    folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "x" * 16)
    client.force_login(user)
    return client


def _member_of(django_user_model, group_name, username):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username, f"{username}@example.org", "x" * 16)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def journalist(django_user_model):
    return _member_of(django_user_model, "Journalist", "jo")


@pytest.fixture
def editor(django_user_model):
    return _member_of(django_user_model, "Editor", "ed")


@pytest.fixture
def journalist_client(client, journalist):
    client.force_login(journalist)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Commit (as far as a test can) and let the task queue run what the commit enqueued."""
    from .queue import drain

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            result = change()
        drain()
        return result

    return run
