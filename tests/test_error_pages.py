import pytest
from bs4 import BeautifulSoup
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.urls import include, path

from .pages import text


def parse(html):
    return BeautifulSoup(html, "html.parser")


def database_is_down(request):
    raise DatabaseError("connection refused")


# A URLconf for these tests only: the site plus one view that fails like a dead database.
urlpatterns = [
    path("down/", database_is_down),
    path("", include("articles.urls")),
    path("", include("newsletter.urls")),  # the header links the email edition
]


def test_500_page_renders_with_no_database_and_no_request():
    # No django_db mark: pytest-django fails the test on any database access.
    page = parse(render_to_string("500.html"))
    assert text(page.find("h1")) == "Something went wrong on our side"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("link", rel="stylesheet")["href"].endswith(".css")
    assert page.find("html")["lang"] == "en"


def test_a_database_outage_gets_the_styled_500_page(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/down/")
    assert response.status_code == 500
    page = parse(response.content.decode())
    assert text(page.find("h1")) == "Something went wrong on our side"
    assert page.select_one("a.skip-link") is not None


@pytest.mark.django_db
def test_404_page_is_styled_noindex_and_offers_search(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = parse(response.content.decode())
    assert text(page.find("h1")) == "We can’t find that page"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.select_one("form[role=search]")["action"] == "/search/"
    assert page.find("main", id="content") is not None


def test_410_page_explains_the_story_was_withdrawn(rf, db):
    page = parse(render_to_string("410.html", request=rf.get("/news/gone/")))
    assert text(page.find("h1")) == "This story is no longer available"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.select_one("form[role=search]") is not None
    assert len(page.find_all("h1")) == 1
