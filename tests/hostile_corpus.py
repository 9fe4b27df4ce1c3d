"""Hostile input a journalist might paste, and the checks that what we serve stays inert.

Every payload that managed to run would set `window.__pwned` (or open a dialog), which the
browser test looks for. `assert_inert` and `assert_inert_markup` work on any HTML or XML we
serve, so feeds can be run through the same corpus.
"""

import json
import re

from bs4 import BeautifulSoup

PWN = "window.__pwned=1"

CASES = {
    # Script and event-handler HTML.
    "script_tag": f"<script>{PWN}</script>",
    "script_mixed_case": f"<ScRiPt>{PWN}</sCrIpT>",
    "script_src": "<script src=//evil.example/x.js></script>",
    "script_nested_breakout": f"<scr<script>ipt>{PWN}</scr</script>ipt>",
    "img_onerror": f'<img src=x onerror="{PWN}">',
    "img_onerror_unquoted": f"<img src=x onerror={PWN}>",
    "img_onerror_slash": f"<img/src=x/onerror={PWN}>",
    "svg_onload": f"<svg onload={PWN}>",
    "svg_script": f"<svg><script>{PWN}</script></svg>",
    "svg_animate_href": f'<svg><a><animate attributeName=href values="javascript:{PWN}"/>'
    "<text y=20>x</text></a></svg>",
    "svg_use_data": '<svg><use href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=#x"/></svg>',
    "math_href": f'<math><mtext><a href="javascript:{PWN}">m</a></mtext></math>',
    "math_maction": f'<math><maction actiontype="statusline" xlink:href="javascript:{PWN}">'
    "x</maction></math>",
    "body_onload": f"<body onload={PWN}>",
    "details_ontoggle": f"<details open ontoggle={PWN}>",
    "iframe_srcdoc": f'<iframe srcdoc="<script>{PWN}</script>"></iframe>',
    "iframe_javascript": f'<iframe src="javascript:{PWN}"></iframe>',
    "object_data": f'<object data="javascript:{PWN}"></object>',
    "embed_src": f'<embed src="javascript:{PWN}">',
    "form_action": f'<form action="javascript:{PWN}"><button>go</button></form>',
    "button_formaction": f'<button formaction="javascript:{PWN}">go</button>',
    "input_autofocus": f"<input autofocus onfocus={PWN}>",
    "style_tag": "<style>body{background:url(javascript:alert(1))}</style>",
    "style_attribute": '<p style="background:url(javascript:alert(1))">styled</p>',
    "base_href": '<base href="https://evil.example/">',
    "meta_refresh": f'<meta http-equiv="refresh" content="0;url=javascript:{PWN}">',
    "meta_refresh_data": '<meta http-equiv="refresh" content="0;url=data:text/html,x">',
    "link_import": '<link rel="import" href="https://evil.example/x.html">',
    "template_script": f"<template><script>{PWN}</script></template>",
    "noscript_breakout": f'<noscript><p title="</noscript><img src=x onerror={PWN}>">',
    "comment_breakout": f"<!--><img src=x onerror={PWN}>-->",
    "cdata_breakout": f"<![CDATA[><img src=x onerror={PWN}>]]>",
    # javascript:, vbscript: and data: in Markdown links and images.
    "md_link_javascript": f"[click](javascript:{PWN})",
    "md_link_javascript_upper": f"[click](JAVASCRIPT:{PWN})",
    "md_link_javascript_mixed": f"[click](JaVaScRiPt:{PWN})",
    "md_link_javascript_entity": "[click](&#106;avascript:window.__pwned=1)",
    "md_link_javascript_hex_entity": "[click](&#x6A;&#x61;vascript:window.__pwned=1)",
    "md_link_javascript_percent": "[click](javascript%3Awindow.__pwned=1)",
    "md_link_javascript_tab": "[click](java\tscript:window.__pwned=1)",
    "md_link_javascript_space": f"[click]( javascript:{PWN})",
    "md_link_javascript_angle": f"[click](<javascript:{PWN}>)",
    "md_link_vbscript": '[click](vbscript:msgbox("x"))',
    "md_link_data_html": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md_image_javascript": f"![pic](javascript:{PWN})",
    "md_image_data_svg": "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "md_image_vbscript": "![pic](vbscript:msgbox(1))",
    "md_reference_link": f"[click][evil]\n\n[evil]: javascript:{PWN}",
    "md_autolink_javascript": f"<javascript:{PWN}>",
    "md_link_title_breakout": f'[click](https://example.org/ "x\\" onmouseover=\\"{PWN}")',
    "md_image_alt_breakout": f'![x" onerror="{PWN}](https://example.org/x.png)',
    "html_link_javascript": f'<a href="javascript:{PWN}">click</a>',
    "html_link_entity_colon": '<a href="javascript&colon;window.__pwned=1">click</a>',
    "html_link_newline": '<a href="java\nscript:window.__pwned=1">click</a>',
    "html_img_data": '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    # Attribute and element breakouts for our own templates.
    "attribute_breakout_double": f'" onmouseover="{PWN}" x="',
    "attribute_breakout_single": f"' onmouseover='{PWN}' x='",
    "attribute_breakout_tag": f'"><img src=x onerror={PWN}>',
    "title_breakout": f"</title><script>{PWN}</script>",
    "textarea_breakout": f"</textarea><script>{PWN}</script>",
    # JSON-LD: closing the data block, opening a comment, odd line terminators.
    "jsonld_script_close": f"</script><script>{PWN}</script>",
    "jsonld_script_close_upper": f"</SCRIPT ><script>{PWN}</script>",
    "jsonld_comment_open": f"<!--<script>{PWN}</script>",
    "jsonld_line_separators": f"line\u2028separator\u2029paragraph {PWN}",
    "jsonld_ampersand_entities": "Tom &amp; Jerry &lt;b&gt; &#x3C;script&#x3E;",
    "jsonld_backslash_quote": '\\"}]}</script><script>window.__pwned=1</script>',
    # Unicode oddities that are allowed and must simply come through as text.
    "rtl_text_with_marks": "\u05e9\u05dc\u05d5\u05dd \u200fworld\u200e (mixed)",
    "zero_width_and_emoji": "zero\u200bwidth \U0001f525 <b>bold?</b>",
}

# Direction controls that can make a headline read differently from its text: refused.
BIDI_TITLES = {
    "right_to_left_override": "Budget approved \u202edevorppa ton\u202c",
    "left_to_right_isolate": "Council vote \u2066tomorrow\u2069",
    "right_to_left_embedding": "Harbour \u202bnews\u202c today",
}

# Characters XML 1.0 cannot carry (feeds, sitemaps) and line breaks in one-line fields: refused.
CONTROL_TEXTS = {
    "vertical_tab_from_word": "Budget\x0bapproved",
    "escape": "Council \x1b[31mvote",
    "form_feed": "Harbour\x0cnews",
    "backspace": "Tram\x08s return",
    "non_character_fffe": "Budget \ufffe approved",
    "non_character_ffff": "Budget \uffff approved",
    "non_character_plane_one": "Budget \U0001fffe approved",
}
LINE_BREAKS = {
    "newline": "A headline\nCanonical: https://example.org/news/other",
    "carriage_return": "A headline\rsecond line",
    "line_separator": "A headline\u2028second line",
    "tab": "A\theadline",
    "next_line_c1": "A headline\x85second line",
}
# Markdown that would cost seconds or a RecursionError to render: refused before rendering.
PATHOLOGICAL_MARKDOWN = {
    "ten_kb_of_brackets": "[" * 10_000,
    "image_openers": "![" * 4_000,
    "unclosed_link_targets": "[a](b " * 3_000,
    "nested_brackets": "[" * 4_000 + "]" * 4_000,
    "deep_list": "".join("  " * depth + "- item\n" for depth in range(600)),
    "deep_inline_list": "- " * 600 + "x",
    "deep_quote": "> " * 600 + "x",
    "too_long": "word " * 30_000,
}

URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "srcset", "srcdoc", "codebase", "cite", "longdesc", "ping", "values", "to", "from",
}  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# Elements that load or hold code whatever their attributes. (Forms, SVG and MathML are judged
# by their attributes: the site may use them itself.)
FORBIDDEN_ELEMENTS = {"base", "iframe", "frame", "object", "embed", "applet", "style", "template"}


C0_AND_SPACE = "".join(map(chr, range(0x21)))


def _normalised_url(value):
    # What the URL parser does first: trim C0 controls and spaces at both ends, drop tabs and
    # newlines anywhere. ("java    script:" is then a relative path, "java\tscript:" is not.)
    return re.sub(r"[\t\n\r]", "", value.strip(C0_AND_SPACE)).lower()


PAGE_LINK_RELATIONS = {"stylesheet", "icon", "apple-touch-icon", "canonical", "alternate"}


def assert_inert_markup(markup, parser="html.parser"):
    """No script that runs, no handler, no dangerous URL, no element that can load code."""
    document = BeautifulSoup(markup, parser)
    for script in document.find_all("script"):
        assert script.get("type") == "application/ld+json", script
    for element in document.find_all(True):
        name = element.name.lower()
        assert name not in FORBIDDEN_ELEMENTS, element
        if name == "meta":
            assert (element.get("http-equiv") or "").lower() != "refresh", element
        if name == "link":
            assert set(element.get("rel", [])) <= PAGE_LINK_RELATIONS
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), element
            assert attribute.lower() != "style", element
            if attribute.lower() in URL_ATTRIBUTES:
                values = value if isinstance(value, list) else [value]
                for item in values:
                    assert not _normalised_url(item).startswith(DANGEROUS_SCHEMES), element
    return document


def assert_inert(response):
    """`assert_inert_markup` on a test-client response; returns the parsed page."""
    assert response.status_code == 200, response.status_code
    return assert_inert_markup(response.content.decode())


def json_ld_documents(document):
    return [
        json.loads(script.string)
        for script in document.find_all("script", type="application/ld+json")
    ]
