"""A transaction's cache purges leave as one delivery, queued once when it commits."""

import pytest
from django.db import transaction

from distribution.models import Delivery
from pages import purging, receivers

from .factories import ArticleFactory, CalloutFactory, FAQEntryFactory, SectionFactory

# Real commits and rollbacks: the test's own transaction would hide both.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def purger(settings):
    # Nothing is sent: no worker runs, so the purges stay queued for the test to read.
    settings.CACHE_PURGER = "pages.purging.VarnishPurger"
    settings.CACHE_PURGE_URLS = ["http://127.0.0.1:9/"]
    purging.get_purger.cache_clear()
    yield
    purging.get_purger.cache_clear()


@pytest.fixture
def requests(monkeypatch):
    """Counts the purges the receivers ask for."""
    asked = []
    changed = receivers.changed

    def counted(touched):
        asked.append(set(touched))
        changed(touched)

    monkeypatch.setattr(receivers, "changed", counted)
    return asked


def purges():
    return list(Delivery.objects.filter(kind=Delivery.Kind.PURGE).order_by("pk"))


def edit_with_its_parts(article, section, title):
    article.title = title
    article.section = section
    article.save()
    CalloutFactory(article=article)
    FAQEntryFactory(article=article)
    section.name = f"{title} desk"
    section.save()


def test_one_transaction_with_many_purge_requests_queues_one_purge_with_every_tag(requests):
    article, section = ArticleFactory(), SectionFactory()
    Delivery.objects.all().delete()
    requests.clear()
    with transaction.atomic():
        edit_with_its_parts(article, section, "Edited")
        with transaction.atomic():  # a savepoint that commits with the rest
            FAQEntryFactory(article=article)
        assert purges() == []  # nothing is queued before the commit
    assert len(requests) >= 6
    [purge] = purges()
    assert purge.status == Delivery.Status.PENDING
    assert set(purge.payload["tags"]) == set().union(*requests)
    assert {f"article-{article.pk}", f"section-{section.pk}", "listings", "site"} <= set(
        purge.payload["tags"]
    )
    assert purge.payload["tags"] == sorted(purge.payload["tags"])


def test_two_transactions_queue_two_purges_and_each_has_its_own_tags(requests):
    first, second = ArticleFactory(), ArticleFactory()
    Delivery.objects.all().delete()
    for article in (first, second):
        with transaction.atomic():
            article.title = "Edited again"
            article.save()
            CalloutFactory(article=article)
    one, two = purges()
    assert f"article-{first.pk}" in one.payload["tags"]
    assert f"article-{first.pk}" not in two.payload["tags"]
    assert f"article-{second.pk}" in two.payload["tags"]
    assert one.key != two.key


def test_a_rolled_back_transaction_queues_no_purge_and_the_next_one_queues_its_own(requests):
    article, other = ArticleFactory(), ArticleFactory()
    Delivery.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        edit_with_its_parts(article, SectionFactory(), "Never saved")
        raise RuntimeError("the save failed")
    assert requests and purges() == []
    with transaction.atomic():
        other.title = "Saved"
        other.save()
    [purge] = purges()
    assert f"article-{other.pk}" in purge.payload["tags"]
    assert f"article-{article.pk}" not in purge.payload["tags"]


def test_a_savepoint_rolled_back_before_the_first_request_leaves_the_rest_one_purge(requests):
    article, other = ArticleFactory(), ArticleFactory()
    Delivery.objects.all().delete()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            article.title = "Rolled back"
            article.save()
            raise RuntimeError("the inner save failed")
        other.title = "Kept"
        other.save()
        CalloutFactory(article=other)
    [purge] = purges()
    assert f"article-{other.pk}" in purge.payload["tags"]
    assert f"article-{article.pk}" not in purge.payload["tags"]


def test_writes_outside_a_transaction_are_each_their_own_purge(requests):
    article = ArticleFactory()
    Delivery.objects.all().delete()
    article.title = "Autocommitted"
    article.save()  # the article saves atomically: one purge
    CalloutFactory(article=article)  # its own commit: another
    assert len(purges()) == 2
