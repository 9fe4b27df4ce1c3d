from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, Status, minutes_to_read

from .factories import ArticleFactory, CalloutFactory

pytestmark = pytest.mark.django_db


def test_published_queryset_hides_drafts_scheduled_and_unpublished():
    live = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(scheduled=True)
    ArticleFactory(status=Status.UNPUBLISHED)
    ArticleFactory(status=Status.REVIEW)
    assert list(Article.objects.published()) == [live]


def test_scheduled_article_is_published_once_its_time_passes():
    article = ArticleFactory(scheduled=True)
    assert not Article.objects.published().exists()
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert list(Article.objects.published()) == [article]


def test_publishing_without_a_date_publishes_now():
    article = ArticleFactory(draft=True)
    article.status = Status.PUBLISHED
    article.save()
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Budget vote delayed again", "budget-vote-delayed-again"),
        ("東京の新しい予算", "東京の新しい予算"),
        ("Ünïcödé Straße", "ünïcödé-straße"),
    ],
)
def test_slug_comes_from_the_title_in_any_script(title, expected):
    assert ArticleFactory(title=title, slug="").slug == expected


def test_emoji_only_title_still_gets_a_usable_slug():
    article = ArticleFactory(title="🔥🔥🔥", slug="")
    assert article.slug.startswith("article-")
    assert len(article.slug) > len("article-")


def test_generated_slugs_never_collide():
    first = ArticleFactory(title="Same title", slug="")
    second = ArticleFactory(title="Same title", slug="")
    assert first.slug == "same-title"
    assert second.slug == "same-title-2"


@pytest.mark.parametrize("bad", ["nul \x00 inside", "lone \ud800 surrogate", "tail \udfff"])
def test_text_that_cannot_be_stored_is_a_validation_error(bad):
    article = ArticleFactory.build(title=bad, slug="fine")
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["section"])
    assert "title" in error.value.message_dict


def test_body_html_has_callouts_where_the_markers_are():
    article = ArticleFactory(body="Intro.\n\n[[callout:take]]\n\nOutro.")
    CalloutFactory(article=article, marker="take", body="Inside the callout.")
    article.refresh_from_db()
    assert article.body_html.index("Intro.") < article.body_html.index("Inside the callout.")
    assert article.body_html.index("Inside the callout.") < article.body_html.index("Outro.")
    assert "[[callout" not in article.body_html


def test_canonical_url_is_absolute_and_built_from_site_url(settings):
    settings.SITE_URL = "https://news.example.org"
    article = ArticleFactory(slug="a-story")
    assert article.get_canonical_url() == "https://news.example.org/news/a-story/"


def test_canonical_override_wins():
    article = ArticleFactory(canonical_url="https://origin.example.com/first/")
    assert article.get_canonical_url() == "https://origin.example.com/first/"


def test_reading_time_is_at_least_a_minute_and_rounds_to_whole_minutes():
    assert minutes_to_read("") == 1
    assert minutes_to_read("<p>" + "word " * 100 + "</p>") == 1
    assert minutes_to_read("<p>" + "word " * 600 + "</p>") == 3
    assert minutes_to_read("<p>" + "<b>word</b> " * 1150 + "</p>") == 5
