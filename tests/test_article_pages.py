from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.utils import timezone

from articles import article_pages
from articles.models import Article

from .factories import ArticleFactory, AuthorFactory, CalloutFactory, FAQEntryFactory
from .pages import soup, text

pytestmark = pytest.mark.django_db


def view(client, article):
    cache.clear()  # bypass the page cache: this is about the stored page behind it
    return soup(client.get(article.get_absolute_url()))


def stored(article):
    return Article.objects.values_list("page_html", "page_key").get(pk=article.pk)


def test_first_view_stores_the_page_and_later_views_serve_it(client):
    article = ArticleFactory()
    assert stored(article) == ("", "")
    page = view(client, article)
    html, key = stored(article)
    assert key == article_pages.render_version()
    assert text(BeautifulSoup(html, "html.parser").find("h1")) == text(page.find("h1"))


@pytest.mark.parametrize(
    "change",
    [
        lambda a: (setattr(a, "title", "Changed"), a.save()),
        lambda a: FAQEntryFactory(article=a, question="Changed?"),
        lambda a: a.authors.set([AuthorFactory(name="Changed")]),
        lambda a: (setattr(a.authors.first(), "name", "Changed"), a.authors.first().save()),
        lambda a: AuthorFactory(name="Changed").articles.add(a),
        lambda a: (setattr(a.section, "name", "Changed"), a.section.save()),
        lambda a: CalloutFactory(article=a, marker="x"),
    ],
    ids=["article", "faq", "byline", "author name", "author side", "section", "callout"],
)
def test_any_change_readers_would_see_marks_the_stored_page_stale(client, change):
    article = ArticleFactory()
    view(client, article)
    assert stored(article)[1]
    change(article)
    assert stored(article)[1] == ""


def test_an_edited_author_shows_on_the_next_view(client):
    article = ArticleFactory()
    view(client, article)
    author = article.authors.get()
    author.name = "Renamed Reporter"
    author.save()
    assert text(view(client, article).select_one(".byline a")) == "Renamed Reporter"


def test_a_page_rendered_while_its_content_changed_is_not_stored(client, monkeypatch):
    article = ArticleFactory(title="Old")
    real_render = article_pages.render_article_page

    def render_then_edit(rendering, **kwargs):
        html = real_render(rendering, **kwargs)
        edited = Article.objects.get(pk=article.pk)
        edited.title = "New"
        edited.save()  # marks the page stale while the old render is in flight
        return html

    monkeypatch.setattr(article_pages, "render_article_page", render_then_edit)
    view(client, article)
    assert stored(article) == (stored(article)[0], "")
    monkeypatch.undo()
    assert text(view(client, article).find("h1")) == "New"


def test_a_new_deploy_renders_pages_again(client, monkeypatch):
    article = ArticleFactory()
    view(client, article)
    monkeypatch.setattr(article_pages, "render_version", lambda: "a-new-release")
    Article.objects.filter(pk=article.pk).update(page_html="<p>old release</p>")
    page = view(client, article)
    assert page.find("h1") is not None
    assert stored(article)[1] == "a-new-release"


@pytest.mark.parametrize(
    ("fields", "found"),
    [
        ({}, True),
        ({"draft": True}, False),
        ({"scheduled": True}, False),
        ({"status": "review"}, False),
    ],
)
def test_the_compiled_lookup_finds_exactly_what_published_finds(fields, found):
    article = ArticleFactory(**fields)
    assert (article_pages.published_page(article.slug) is not None) is found
    assert Article.objects.published().filter(slug=article.slug).exists() is found


def test_the_compiled_lookup_follows_the_clock(monkeypatch):
    article = ArticleFactory(scheduled=True)
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert article_pages.published_page(article.slug) is not None
