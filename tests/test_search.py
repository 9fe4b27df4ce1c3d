import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse

from articles.models import Article

from .factories import ArticleFactory
from .pages import soup, text

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


def search(client, query, **params):
    return client.get(reverse("articles:search"), {"q": query, **params})


def result_titles(response):
    return [text(h) for h in soup(response).select(".card__title")]


def test_search_finds_words_in_title_standfirst_and_body(client):
    ArticleFactory(title="Harbour dredging starts")
    ArticleFactory(title="Budget", standfirst="The harbour pays for itself.")
    ArticleFactory(title="Ferries", body="Ferries cross the harbour at dawn.")
    ArticleFactory(title="Unrelated", standfirst="Nothing here.")
    assert sorted(result_titles(search(client, "harbour"))) == [
        "Budget",
        "Ferries",
        "Harbour dredging starts",
    ]


def test_search_never_shows_drafts_or_scheduled_articles(client):
    ArticleFactory(title="Harbour draft", draft=True)
    ArticleFactory(title="Harbour later", scheduled=True)
    ArticleFactory(title="Harbour now")
    assert result_titles(search(client, "harbour")) == ["Harbour now"]


def test_search_page_is_noindex_and_counts_results(client):
    ArticleFactory(title="Harbour dredging starts")
    page = soup(search(client, "harbour"))
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, follow"
    assert text(page.select_one(".search-summary")) == "1 result for “harbour”"
    assert page.select_one("input[name=q]")["value"] == "harbour"


def test_search_with_no_matches_says_so(client):
    ArticleFactory(title="Harbour dredging starts")
    page = soup(search(client, "volcano"))
    assert text(page.select_one(".search-summary")) == "0 results for “volcano”"
    assert "Try fewer or different words." in text(page.find("main"))


def test_the_query_is_escaped_everywhere_it_is_shown(client):
    evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    page = soup(search(client, evil))
    assert page.find("script") is None
    assert page.main.find("img") is None
    assert page.select_one("input[name=q]")["value"] == evil
    assert evil in page.title.string
    assert evil in text(page.select_one(".search-summary"))


def test_an_empty_search_shows_the_form_without_touching_the_database(
    client, django_assert_num_queries
):
    # Page delivery's own two reads (the next scheduled story, the listings' tag version);
    # the footer's trust pages and the site's AI-use preferences; the search itself none.
    with django_assert_num_queries(5):
        page = soup(search(client, "   "))
    assert page.select_one("form[role=search] input[name=q]") is not None
    assert page.select_one(".search-summary") is None


@pytest.mark.parametrize(
    "query", ["x" * 201, "harbour\x00", "a " * 150], ids=["too long", "nul byte", "many words"]
)
def test_absurd_searches_get_a_clear_400(client, query):
    response = search(client, query)
    assert response.status_code == 400
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert "limited to 200 characters" in text(page.select_one(".form-error"))
    assert page.select_one("input[name=q]")["value"] == ""


@pytest.mark.parametrize(
    "query", ['"unclosed', "-", "&|!:*()", "or", "a & b | !c", "café ünïcode 東京", "'; drop"]
)
def test_search_syntax_never_causes_an_error(client, query):
    ArticleFactory(title="Harbour dredging starts")
    assert search(client, query).status_code == 200


def test_search_pagination_keeps_the_query(client):
    ArticleFactory.create_batch(25, title="Harbour story")
    first = soup(search(client, "harbour"))
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    assert next_link == "?q=harbour&page=2"
    second = client.get(reverse("articles:search") + next_link)
    assert len(result_titles(second)) == 5
    assert search(client, "harbour", page=3).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_search_query_count_does_not_grow(client, django_assert_num_queries, count):
    ArticleFactory.create_batch(count, title="Harbour story")
    # Page delivery's two reads (next scheduled time, the page's tag versions); then the count,
    # the page of articles, their authors; on PostgreSQL also the statement timeout, set in a
    # savepoint of the test's transaction (SAVEPOINT, set_config, RELEASE); the footer's trust
    # pages and the site's AI-use preferences.
    expected = 11 if connection.vendor == "postgresql" else 8
    with django_assert_num_queries(expected):
        response = search(client, "harbour")
    assert len(result_titles(response)) == min(count, 20)


@on_postgresql
def test_title_matches_rank_above_standfirst_and_body_matches(client):
    ArticleFactory(title="Ferries", body="The harbour at dawn.")
    ArticleFactory(title="Budget", standfirst="The harbour pays.")
    ArticleFactory(title="Harbour dredging starts")
    assert result_titles(search(client, "harbour")) == [
        "Harbour dredging starts",
        "Budget",
        "Ferries",
    ]


@on_postgresql
def test_search_uses_english_stemming_and_web_search_syntax(client):
    ArticleFactory(title="Dredgers dredged the harbour")
    ArticleFactory(title="Harbour ferries")
    assert result_titles(search(client, "dredging")) == ["Dredgers dredged the harbour"]
    assert result_titles(search(client, "harbour -ferries")) == ["Dredgers dredged the harbour"]


@on_postgresql
def test_search_filter_can_use_the_gin_index():
    ArticleFactory.create_batch(3)
    queryset = Article.objects.search("harbour")
    with connection.cursor() as cursor:
        # With sequential scans priced out, the planner picks the index if its expression
        # is the one the search filters on (with a few rows it would rightly scan the table).
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "article_search_idx" in plan
