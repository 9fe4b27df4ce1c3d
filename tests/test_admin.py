import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status
from articles.revisions import edit_token

from .factories import ArticleFactory, AuthorFactory, CalloutFactory, SectionFactory
from .pages import soup, text

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def formset(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def article_form(**overrides):
    now = timezone.now()
    data = {
        "title": "Council finds the money",
        "slug": "council-finds-the-money",
        "standfirst": "The budget hole closed overnight.",
        "kicker": "Nobody is saying how.",
        "body": "[[callout:take]]\n\nThe opening.\n\n## Then\n\nMore.\n\n"
        "[[callout:counter]]\n\nEnd.",
        "authors": [str(AuthorFactory().pk)],
        "section": str(SectionFactory().pk),
        "status": Status.PUBLISHED,
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": "00:00:00",
        "canonical_url": "",
    }
    data.update(
        formset(
            "callouts",
            [
                {
                    "kind": "key",
                    "label": "The take:",
                    "marker": "take",
                    "body": "Key **point**.",
                    "order": "0",
                },
                {
                    "kind": "note",
                    "label": "Fair counter:",
                    "marker": "counter",
                    "body": "But.",
                    "order": "1",
                },
            ],
        )
    )
    data.update(
        formset(
            "faq_entries",
            [
                {
                    "question": "Where did it come from?",
                    "answer": "A *reserve* fund.",
                    "order": "0",
                },
                {"question": "Will it happen again?", "answer": "Probably not.", "order": "1"},
            ],
        )
    )
    data.update(overrides)
    return data


def errors(response):
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return [text(e) for e in page.select(".errorlist, .errornote")]


def test_journalist_adds_an_article_with_callouts_and_faq(staff_client, client):
    response = staff_client.post(ADD_URL, article_form())
    assert response.status_code == 302, errors(response)
    article = Article.objects.get(slug="council-finds-the-money")
    assert [c.marker for c in article.callouts.all()] == ["take", "counter"]
    assert [f.question for f in article.faq_entries.all()] == [
        "Where did it come from?",
        "Will it happen again?",
    ]
    page = soup(client.get(article.get_absolute_url()))
    asides = page.select(".article__body aside")
    assert [text(a.select_one(".callout__heading")) for a in asides] == [
        "Key point The take:",
        "Note Fair counter:",
    ]


def test_changing_an_article_rerenders_its_callouts(staff_client, client):
    article = ArticleFactory(body="Intro.\n\n[[callout:take]]")
    callout = CalloutFactory(article=article, marker="take", body="Old words.")
    data = article_form(title=article.title, slug=article.slug, body="Intro.\n\n[[callout:take]]")
    data.update(
        formset(
            "callouts",
            [
                {
                    "id": str(callout.pk),
                    "article": str(article.pk),
                    "kind": "key",
                    "label": "",
                    "marker": "take",
                    "body": "New words.",
                    "order": "0",
                }
            ],
            initial=1,
        )
    )
    data.update(formset("faq_entries", []))
    data.update(formset("corrections", []))
    data["loaded_version"] = edit_token(article.updated_at)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = staff_client.post(url, data)
    assert response.status_code == 302, errors(response)
    body = soup(client.get(article.get_absolute_url())).select_one(".article__body")
    assert text(body.select_one("aside .callout__body")) == "New words."


def test_a_callout_whose_marker_is_not_in_the_body_is_a_form_error(staff_client):
    data = article_form(body="No markers here.\n\n[[callout:take]]")
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert any("[[callout:counter]]" in message for message in errors(response))
    assert not Article.objects.exists()


def test_a_marker_without_a_callout_is_a_form_error(staff_client):
    data = article_form()
    data.update(formset("callouts", []))
    response = staff_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert any("do not exist" in message for message in errors(response))
    assert not Article.objects.exists()


@pytest.mark.parametrize("field", ["title", "body", "standfirst"])
def test_nul_characters_are_a_form_error_not_a_crash(staff_client, field):
    response = staff_client.post(ADD_URL, article_form(**{field: "bad \x00 text"}))
    assert response.status_code == 200
    assert errors(response)
    assert not Article.objects.exists()


def test_a_lone_surrogate_posted_as_bytes_never_reaches_the_database(staff_client):
    # A browser cannot send one; a crafted body can. Django decodes it as U+FFFD.
    response = staff_client.post(ADD_URL, article_form(title="a \ufffd b"))
    assert response.status_code == 302, errors(response)


def test_emoji_title_with_empty_slug_gets_a_usable_slug(staff_client, client):
    response = staff_client.post(ADD_URL, article_form(title="🔥🚀", slug=""))
    assert response.status_code == 302, errors(response)
    article = Article.objects.get()
    assert article.slug
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_duplicate_slug_is_a_form_error(staff_client):
    ArticleFactory(slug="council-finds-the-money")
    response = staff_client.post(ADD_URL, article_form())
    assert response.status_code == 200
    assert any("already exists" in message for message in errors(response))


def test_change_form_has_editors_for_body_callouts_and_faq(staff_client):
    article = ArticleFactory()
    CalloutFactory(article=article)
    page = soup(staff_client.get(reverse("admin:articles_article_change", args=[article.pk])))
    editors = {area["name"] for area in page.select("textarea.markdownx-editor")}
    assert {"body", "callouts-0-body", "faq_entries-__prefix__-answer"} <= editors
    assert "callouts-__prefix__-body" in editors
    scripts = [s.get("src", "") for s in page.find_all("script")]
    assert any("admin-markdownx-inlines" in src for src in scripts)
    assert page.select_one("a.viewsitelink")["href"]


def test_article_list_shows_status_dates_and_byline(staff_client):
    article = ArticleFactory(title="Listed story")
    page = soup(staff_client.get(reverse("admin:articles_article_changelist")))
    row = page.select_one("#result_list tbody tr")
    cells = [text(cell) for cell in row.find_all(["th", "td"])]
    assert "Listed story" in cells
    assert "Published" in cells
    assert ", ".join(a.name for a in article.authors.all()) in cells


def test_article_list_search_and_filter(staff_client):
    ArticleFactory(title="Harbour dredging")
    ArticleFactory(title="Tram strike", draft=True)
    url = reverse("admin:articles_article_changelist")
    found = soup(staff_client.get(url, {"q": "harbour"})).select("#result_list tbody tr")
    assert len(found) == 1
    drafts = soup(staff_client.get(url, {"status__exact": "draft"})).select("#result_list tbody tr")
    assert [text(row.find("th")) for row in drafts] == ["Tram strike"]
