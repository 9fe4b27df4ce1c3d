"""Reading our pages the way a crawler does: parsed HTML and JSON-LD, never substrings."""

import json

from bs4 import BeautifulSoup


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def json_ld(page):
    return [
        json.loads(script.string) for script in page.find_all("script", type="application/ld+json")
    ]


def graph_nodes(page, node_type):
    return [
        node
        for document in json_ld(page)
        for node in document.get("@graph", [document])
        if node.get("@type") == node_type
    ]


def text(element):
    return " ".join(element.get_text(" ").split())


def structured(response, url):
    """JSON-LD, microdata and Open Graph as a third-party extractor reads them."""
    import extruct

    assert response.status_code == 200, response.status_code
    data = extruct.extract(
        response.content.decode(),
        base_url=url,
        syntaxes=["json-ld", "microdata", "opengraph"],
    )
    [og] = data["opengraph"] or [{"properties": []}]
    properties = {}
    for name, value in og["properties"]:
        properties.setdefault(name, []).append(value)
    graph = [node for document in data["json-ld"] for node in document.get("@graph", [document])]
    return {"graph": graph, "microdata": data["microdata"], "og": properties}


def node_of(graph, node_type):
    [node] = [node for node in graph if node.get("@type") == node_type]
    return node


def path_of(url, settings):
    """An absolute URL on SITE_URL as the path the test client requests."""
    assert url.startswith(settings.SITE_URL + "/"), url
    return url.removeprefix(settings.SITE_URL)


def xml_document(response):
    """A sitemap or feed parsed as XML (our own responses, so the stdlib parser is fine)."""
    import xml.etree.ElementTree as ET

    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314


def warm_shared_state():
    """What every page reads from the shared cache once per change, not per request: the page
    cache's state, the site's AI-use preferences and the footer's trust pages."""
    from articles.ai_preferences import site_preferences
    from articles.caching import content_state
    from articles.site_pages import footer_links

    content_state()
    site_preferences()
    footer_links()
