"""The host's change word: a page this process has checked is served again without a query,
until any change writes a new generation; a change that rolls back leaves nothing trusted."""

import multiprocessing

import pytest
from django.db import transaction

from pages import changes, versions
from pages.models import TagVersion

from ..factories import ArticleFactory
from ..pages import soup, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _word(settings, tmp_path):
    # On for every database here, as PAGE_CHANGE_SIGNAL turns it on for a one-host PostgreSQL.
    settings.PAGE_CHANGE_SIGNAL = str(tmp_path / "changes")


def _headline(response):
    return text(soup(response).select_one("h1"))


def test_a_checked_page_is_served_again_without_a_query(client, django_assert_num_queries):
    article = ArticleFactory(title="Checked once")
    url = article.get_absolute_url()
    client.get(url)  # rendered and cached
    with django_assert_num_queries(1):  # checked against the tag versions
        client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert _headline(response) == "Checked once"


def test_any_change_ends_the_trust(client, django_assert_num_queries):
    article = ArticleFactory(title="Before")
    other = ArticleFactory()
    url = article.get_absolute_url()
    for _ in range(3):
        client.get(url)
    other.title = "Another story changes"
    other.save()
    with django_assert_num_queries(1):  # the generation moved: checked again, still current
        assert _headline(client.get(url)) == "Before"
    article.title = "After"
    article.save()
    assert _headline(client.get(url)) == "After"


def test_the_generation_commits_with_the_change_and_reaches_the_word(client):
    ArticleFactory().save()
    stored = TagVersion.objects.get(tag=changes.GENERATION_TAG).version
    assert changes.current() == stored
    assert versions.current([])[changes.GENERATION_TAG] == stored


def test_a_rolled_back_change_leaves_nothing_trusted(client, django_assert_num_queries):
    article = ArticleFactory(title="Kept")
    url = article.get_absolute_url()
    for _ in range(3):
        client.get(url)
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Never committed"
        article.save()
        raise RuntimeError
    # The word holds a generation the database never committed: every hit queries again.
    for _ in range(2):
        with django_assert_num_queries(1):
            assert _headline(client.get(url)) == "Kept"
    ArticleFactory()  # the next change that commits restores trust
    for _ in range(2):  # the new story may show among related ones: rendered, then checked
        client.get(url)
    with django_assert_num_queries(0):
        assert _headline(client.get(url)) == "Kept"


def _announce(path, generation):
    from django.conf import settings

    settings.PAGE_CHANGE_SIGNAL = path
    changes.announce(generation)


def test_the_word_is_shared_with_other_processes_on_the_host(settings):
    assert changes.current() == 0  # a new word
    process = multiprocessing.get_context("fork").Process(
        target=_announce, args=(settings.PAGE_CHANGE_SIGNAL, 1234567)
    )
    process.start()
    process.join(10)
    assert process.exitcode == 0
    assert changes.current() == 1234567


def test_off_and_postgresql_by_default_mean_every_hit_queries(settings, client):
    settings.PAGE_CHANGE_SIGNAL = "off"
    assert changes.current() is None
    settings.PAGE_CHANGE_SIGNAL = "auto"
    from django.db import connection

    assert (changes.signal_path() is None) == (connection.vendor != "sqlite")
