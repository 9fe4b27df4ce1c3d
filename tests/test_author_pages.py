"""An author's page and byline as readers and search engines read them: profile links, sameAs."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ArticleFactory, AuthorFactory
from tests.pages import graph_nodes, soup, text

pytestmark = pytest.mark.django_db

LINKS = "https://example.org/maya\n\n  https://social.example/@maya  \n"


def test_profile_links_show_on_the_author_page_and_as_same_as(client, settings):
    author = AuthorFactory(name="Maya Okafor", job_title="Energy editor", profile_links=LINKS)
    author.full_clean()
    page = soup(client.get(author.get_absolute_url()))

    links = page.select("ul.profile-links a")
    assert [(a["href"], a["rel"], text(a)) for a in links] == [
        ("https://example.org/maya", ["me"], "example.org/maya"),
        ("https://social.example/@maya", ["me"], "social.example/@maya"),
    ]
    (profile,) = graph_nodes(page, "ProfilePage")
    (person,) = graph_nodes(page, "Person")
    assert profile["mainEntity"] == {"@id": person["@id"]}
    assert person["sameAs"] == ["https://example.org/maya", "https://social.example/@maya"]
    assert person["jobTitle"] == "Energy editor"
    assert person["url"] == profile["url"] == settings.SITE_URL + author.get_absolute_url()


def test_every_byline_is_its_own_author_node_with_its_profiles(client):
    maya = AuthorFactory(name="Maya Okafor", profile_links="https://example.org/maya")
    desk = AuthorFactory(name="The Desk", kind="desk")
    article = ArticleFactory(authors=[maya, desk])
    (news,) = graph_nodes(soup(client.get(article.get_absolute_url())), "NewsArticle")
    assert [(node["@type"], node["name"], node.get("sameAs")) for node in news["author"]] == [
        ("Person", "Maya Okafor", ["https://example.org/maya"]),
        ("Organization", "The Desk", None),
    ]
    assert all(
        node["url"].endswith(f"/author/{node['url'].split('/')[-2]}/") for node in news["author"]
    )


@pytest.mark.parametrize(
    "links",
    [
        "javascript:alert(1)",
        "https://example.org/ok\nftp://example.org/file",
        "example.org/no-scheme",
        "\n".join(f"https://example.org/{n}" for n in range(11)),
    ],
)
def test_profile_links_that_are_not_web_addresses_are_refused(links):
    author = AuthorFactory.build(name="Maya Okafor", slug="maya", profile_links=links)
    with pytest.raises(ValidationError) as refused:
        author.full_clean()
    assert "profile_links" in refused.value.message_dict


def test_a_hostile_profile_link_cannot_break_out_of_its_attribute(client):
    hostile = 'https://example.org/"><script>alert(1)</script>'
    author = AuthorFactory(profile_links=hostile)
    page = soup(client.get(author.get_absolute_url()))
    assert page.select("main script") == []
    (person,) = graph_nodes(page, "Person")
    assert person["sameAs"] == [hostile]
