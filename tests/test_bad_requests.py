"""Whatever arrives, the answer is never a 500: property-based requests over the public URL
space and the admin forms, and request bodies past the limit."""

from urllib.parse import quote, urlencode
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from .factories import ArticleFactory, AuthorFactory, SectionFactory
from .test_admin import ADD_URL, article_form

pytestmark = pytest.mark.django_db

examples = hypothesis_settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PREFIXES = ["", "news/", "section/", "author/", "media/", "static/", "healthz", "readyz"]
# Any character a URL can carry once encoded, surrogates aside (they cannot be encoded).
odd_text = st.text(st.characters(codec="utf-8"), max_size=40)
# Raw bytes, percent-encoded: NULs, invalid UTF-8, encoded slashes and dots.
odd_bytes = st.binary(max_size=30).map(lambda raw: quote(raw, safe=""))
segment = st.one_of(
    odd_text.map(lambda value: quote(value, safe="")),
    odd_bytes,
    st.sampled_from(["..", ".", "%2e%2e", "%00", "%", "%zz", "%c0%af", "~", ";", "\\"]),
)
path = st.builds(
    lambda prefix, segments, slash: "/" + prefix + "/".join(segments) + slash,
    st.sampled_from(PREFIXES),
    st.lists(segment, max_size=4),
    st.sampled_from(["", "/"]),
)
query = st.one_of(
    st.dictionaries(odd_text, odd_text, max_size=5).map(urlencode),
    odd_bytes,
    st.integers(min_value=1_000, max_value=60_000).map(lambda size: "q=" + "x" * size),
    st.sampled_from(["page=-1", "page=0", "page=9999999999999999999", "page=1e3", "page=%00"]),
)
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"]


@pytest.fixture
def site():
    article = ArticleFactory(slug="harbour", section=SectionFactory(slug="city"))
    article.authors.set([AuthorFactory(slug="maya")])
    # As a browser meets the site: CSRF checks on, exceptions turned into responses.
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def assert_clear_answer(response):
    assert response.status_code < 500, (response.status_code, response.content[:300])
    assert response.status_code >= 200


@examples
@given(path=path, query=query)
def test_odd_paths_and_query_strings_never_cause_a_server_error(site, path, query):
    assert_clear_answer(site.get(f"{path}?{query}"))


@examples
@given(
    method=st.sampled_from(METHODS),
    url=st.sampled_from(
        ["/", "/news/harbour/", "/section/city/", "/author/maya/", "/healthz", "/readyz"]
    ),
    body=st.binary(max_size=200),
)
def test_any_method_on_a_public_page_gets_a_clear_answer(site, method, url, body):
    response = site.generic(method, url, body, content_type="application/x-www-form-urlencoded")
    assert_clear_answer(response)
    if method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
        assert response.status_code in (403, 405), (method, url, response.status_code)


def test_known_pages_still_answer_200_for_the_property_tests_to_mean_something(site):
    for url in ["/", "/news/harbour/", "/section/city/", "/author/maya/", "/healthz"]:
        assert site.get(url).status_code == 200, url


form_text = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=400),
    st.text(st.characters(codec="utf-8"), min_size=301, max_size=2_000),
    st.text(st.sampled_from("a\x00\u202e\u2028\ufeff\U0001f525\u0301"), max_size=50),
)


# Each admin example saves or re-renders a whole change form: fewer of them.
@hypothesis_settings(parent=examples, max_examples=40)
@given(title=form_text, standfirst=form_text, kicker=form_text, body=form_text)
def test_admin_article_form_answers_odd_input_with_a_form_or_a_redirect(
    staff_client, title, standfirst, kicker, body
):
    data = article_form(title=title, standfirst=standfirst, kicker=kicker, body=body)
    # Without the markers the callout rows would only add their own errors.
    data["callouts-TOTAL_FORMS"] = "0"
    data.pop("slug")
    staff_client.raise_request_exception = False
    response = staff_client.post(ADD_URL, data)
    assert response.status_code in (200, 302), response.status_code


@hypothesis_settings(parent=examples, max_examples=40)
@given(question=form_text, answer=form_text, name=form_text)
def test_admin_faq_and_author_forms_answer_odd_input_clearly(staff_client, question, answer, name):
    data = article_form(body="Plain body.")
    data["callouts-TOTAL_FORMS"] = "0"
    data.pop("slug")
    data.update({"faq_entries-0-question": question, "faq_entries-0-answer": answer})
    staff_client.raise_request_exception = False
    assert staff_client.post(ADD_URL, data).status_code in (200, 302)
    response = staff_client.post("/admin/articles/author/add/", {"name": name, "slug": "x"})
    assert response.status_code in (200, 302)


def test_invalid_utf8_in_a_form_body_is_not_a_server_error(staff_client):
    staff_client.raise_request_exception = False
    response = staff_client.generic(
        "POST",
        settings.MARKDOWNX_URLS_PATH,
        b"content=%ff%fe%00\xff\xfe<script>",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 400)


def test_a_request_body_over_the_limit_is_refused_with_400(staff_client):
    oversized = b"content=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    staff_client.raise_request_exception = False
    response = staff_client.generic(
        "POST",
        settings.MARKDOWNX_URLS_PATH,
        oversized,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_an_oversized_post_to_a_public_page_is_refused_with_4xx():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    oversized = b"q=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.generic("POST", "/", oversized, "application/x-www-form-urlencoded")
    # Refused by CSRF before the body is read, or by the size limit when it is.
    assert response.status_code in (400, 403)


def test_too_many_form_fields_are_refused_with_400(staff_client):
    fields = urlencode([("f", "1")] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)).encode()
    staff_client.raise_request_exception = False
    response = staff_client.generic(
        "POST", settings.MARKDOWNX_URLS_PATH, fields, "application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


# Controls, line ends, non-characters and Markdown punctuation, mixed.
hostile_text = st.text(
    st.sampled_from("ab [](*_>#-!\n\r\t\x0b\x0c\x1b\x08\x85\u2028\u202e\ufffe\uffff"), max_size=60
)
XML_OUTPUTS = ["/feed/", "/feed/atom/", "/news-sitemap.xml", "/sitemap-articles.xml"]


@hypothesis_settings(parent=examples, max_examples=30)
@given(title=hostile_text, standfirst=hostile_text, body=hostile_text, answer=hostile_text)
def test_whatever_the_form_accepts_keeps_every_feed_and_sitemap_valid_xml(
    staff_client, title, standfirst, body, answer
):
    from articles.models import Article

    Article.objects.all().delete()
    data = article_form(title=f"T{title}", standfirst=f"S{standfirst}", body=f"B{body}")
    data["callouts-TOTAL_FORMS"] = "0"
    data.pop("slug")
    data.update({"faq_entries-0-question": "Why?", "faq_entries-0-answer": f"A{answer}"})
    staff_client.raise_request_exception = False
    response = staff_client.post(ADD_URL, data)
    assert response.status_code in (200, 302), response.status_code
    reader = Client()
    for url in XML_OUTPUTS:
        output = reader.get(url)
        assert output.status_code == 200, (url, output.status_code)
        ElementTree.fromstring(output.content)  # noqa: S314 (our own response): well-formed
    if response.status_code == 302:
        article = Article.objects.get()
        assert reader.get(article.get_absolute_url()).status_code == 200
