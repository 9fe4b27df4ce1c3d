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
