"""Trust pages: edited in the admin, linked from every footer, named in the publisher's JSON-LD."""

import pytest
from django.core.management import call_command

from articles.models import SitePage

from .factories import ArticleFactory, AuthorFactory
from .html_checker import check_html
from .pages import node_of, soup, structured

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
POLICIES = {
    "publishingPrinciples": "publishing-principles",
    "correctionsPolicy": "corrections-policy",
    "ethicsPolicy": "ethics-policy",
    "masthead": "masthead",
    "ownershipFundingInfo": "ownership-and-funding",
    "actionableFeedbackPolicy": "feedback-policy",
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def trust_pages():
    call_command("load_demo_content", verbosity=0)
    return {page.kind: page for page in SitePage.objects.all()}


def test_demo_content_creates_every_trust_page_once_and_keeps_edits(trust_pages, capsys):
    assert set(trust_pages) == set(SitePage.Kind.values)
    assert all(page.body_html.startswith("<") for page in trust_pages.values())
    SitePage.objects.filter(kind="masthead").update(body="Our own masthead.")
    call_command("load_demo_content")
    assert SitePage.objects.get(kind="masthead").body == "Our own masthead."
    assert "Created 0 trust pages; kept 7 that exist." in capsys.readouterr().out


@pytest.mark.parametrize("path", ["/", "/news/story/", "/corrections/", "/about/contact/"])
def test_every_public_page_links_the_trust_pages_in_its_footer(client, trust_pages, path):
    ArticleFactory(slug="story")
    footer = soup(client.get(path)).find("footer")
    links = {a.get_text(): a["href"] for a in footer.find_all("a")}
    for page in trust_pages.values():
        assert links[page.title] == f"/about/{page.kind}/"
        assert client.get(links[page.title]).status_code == 200
    assert links["Corrections"] == "/corrections/"


def test_the_publisher_node_names_each_policy_and_a_contact_point(client, trust_pages, settings):
    settings.SITE_CONTACT_EMAIL = "newsroom@news.example.org"
    article = ArticleFactory(slug="story")
    for url in (f"{SITE}/", article.get_canonical_url()):
        data = structured(client.get(url.removeprefix(SITE)), url)
        publisher = node_of(data["graph"], "NewsMediaOrganization")
        for name, kind in POLICIES.items():
            assert publisher[name] == f"{SITE}/about/{kind}/"
        assert publisher["contactPoint"] == {
            "@type": "ContactPoint",
            "contactType": "newsroom",
            "url": f"{SITE}/about/contact/",
            "email": "newsroom@news.example.org",
        }


def test_properties_are_left_out_for_pages_that_do_not_exist(client):
    SitePage.objects.create(kind="ethics-policy", title="Ethics", body="Be fair.")
    data = structured(client.get("/"), f"{SITE}/")
    publisher = node_of(data["graph"], "NewsMediaOrganization")
    assert publisher["ethicsPolicy"] == f"{SITE}/about/ethics-policy/"
    assert not set(POLICIES) - {"ethicsPolicy"} & set(publisher)
    assert "contactPoint" not in publisher
    assert client.get("/about/masthead/").status_code == 404


def test_editing_a_trust_page_reaches_stored_and_cached_pages_at_once(client, trust_pages):
    article = ArticleFactory(slug="story")
    before = soup(client.get(article.get_absolute_url())).find("footer").get_text()
    assert "Masthead" in before
    page = trust_pages["masthead"]
    page.title = "Who we are"
    page.save()
    for path in (article.get_absolute_url(), "/", "/llms.txt"):
        assert "Who we are" in client.get(path).content.decode(), path


def test_hostile_markdown_in_a_trust_page_is_sanitized(client):
    body = "<script>alert(1)</script>[x](javascript:alert(1))"
    SitePage.objects.create(kind="contact", title="Contact <us>", body=body)
    page = soup(client.get("/about/contact/"))
    assert page.h1.get_text() == "Contact <us>"
    assert page.select_one(".site-page__body script") is None
    assert all(not a.get("href", "").startswith("javascript") for a in page.find_all("a"))


def test_new_and_changed_pages_have_no_html_errors(client, trust_pages, tmp_path):
    ArticleFactory(slug="story", authors=[AuthorFactory(slug="maya")])
    urls = {"home": "/", "article": "/news/story/", "corrections": "/corrections/"}
    urls.update({kind: f"/about/{kind}/" for kind in trust_pages})
    pages = {name: client.get(url).content.decode() for name, url in urls.items()}
    found = check_html(pages, tmp_path)
    errors = {
        name: [f"{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"]
        for name, messages in found.items()
    }
    assert errors == {name: [] for name in pages}
