"""Filling in admin forms the way a browser does: read the rendered form, change, post."""

from bs4 import BeautifulSoup


def form_fields(response, form_id="article_form"):
    """Every value the browser would send from the form, as a dict ready to post."""
    page = BeautifulSoup(response.content.decode(), "html.parser")
    form = page.find("form", id=form_id)
    data = {}
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or "__prefix__" in name or element.get("type") in ("submit", "file"):
            continue
        if element.name == "textarea":
            data[name] = element.text.removeprefix("\n")
        elif element.name == "select":
            options = element.find_all("option")
            chosen = [o.get("value", "") for o in options if o.has_attr("selected")]
            if element.has_attr("multiple"):
                data[name] = chosen
            else:
                data[name] = chosen[0] if chosen else options[0].get("value", "")
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                data[name] = element.get("value", "on")
        else:
            data[name] = element.get("value", "")
    return data
