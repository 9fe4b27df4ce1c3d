import re

from django.core.exceptions import ValidationError

# PostgreSQL cannot store NUL in text, and lone surrogates cannot be encoded as UTF-8.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# What XML 1.0 cannot carry, so feeds and sitemaps would break on it: C0 controls other than
# tab, newline and carriage return, and the non-characters U+FFFE and U+FFFF. The other
# non-characters (U+FDD0-U+FDEF, U+nFFFE/U+nFFFF) mean nothing in text either.
NOT_FOR_XML = re.compile(
    "[\x01-\x08\x0b\x0c\x0e-\x1f\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 17))
    + "]"
)


def xml_text(value):
    """The text without what XML 1.0 cannot carry: for text saved before the validators
    refused it, so one old row never makes a feed or sitemap fail."""
    return NOT_FOR_XML.sub("", value) if isinstance(value, str) else value


# One-line fields also refuse every line break, tab, DEL and the C1 controls.
NOT_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\x85]")


def validate_clean_text(value):
    if value and UNSTORABLE.search(value):
        raise ValidationError(
            "This text contains a character that cannot be saved "
            "(a NUL byte or a broken Unicode surrogate). Retype or re-paste it.",
            code="unstorable_character",
        )
    if value and (found := NOT_FOR_XML.search(value)):
        raise ValidationError(
            f"This text contains an invisible control character (U+{ord(found.group()):04X}), "
            "often pasted from a word processor. Retype the text around it.",
            code="control_character",
        )


def validate_one_line(value):
    """A headline, label or name is one line of plain text: no line breaks, tabs or controls."""
    if value and (found := NOT_ON_ONE_LINE.search(value)):
        what = "a line break" if found.group() in "\r\n\u2028\u2029\x85" else "a control character"
        raise ValidationError(
            f"This field is one line of text, and this contains {what} "
            f"(U+{ord(found.group()):04X}). Put it all on one line.",
            code="not_one_line",
        )


# Bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) can make a
# headline read differently from what it says (the "Trojan Source" trick). The marks U+200E
# and U+200F that mixed right-to-left text needs stay allowed.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def validate_no_bidi_controls(value):
    if value and BIDI_CONTROLS.search(value):
        raise ValidationError(
            "This text contains invisible direction controls that can reorder how it "
            "displays. Retype it rather than pasting it.",
            code="bidi_control",
        )


def validate_callout_label(value):
    """The label is written in bold (**Label**) in exports; an asterisk would end it early."""
    if value and "*" in value:
        raise ValidationError(
            "A callout label cannot contain an asterisk (*).", code="label_asterisk"
        )


# The override goes into the page's <link rel=canonical> and its Link header, where a comma,
# angle bracket, quote or space would start a new entry or attribute.
CANONICAL_URL = re.compile(r"https://[^\s,<>\"'\\;]+")


def validate_canonical_url(value):
    if value and not CANONICAL_URL.fullmatch(value):
        raise ValidationError(
            "Give one absolute address starting with https://, with no spaces, commas, "
            "quotes or angle brackets.",
            code="canonical_url",
        )


PROFILE_LINKS_LIMIT = 10


def profile_link_lines(value):
    return [line.strip() for line in value.splitlines() if line.strip()]


def validate_profile_links(value):
    """One http(s) address a line, at most ten: they become links and schema.org sameAs."""
    from django.core.validators import URLValidator

    lines = profile_link_lines(value)
    if len(lines) > PROFILE_LINKS_LIMIT:
        raise ValidationError(
            f"Give at most {PROFILE_LINKS_LIMIT} profile addresses.", code="profile_links"
        )
    check = URLValidator(schemes=["http", "https"])
    for line in lines:
        try:
            check(line)
        except ValidationError:
            raise ValidationError(
                "Each line must be one address starting with https:// or http:// "
                "(this one is not: %(line)s).",
                code="profile_links",
                params={"line": line[:80]},
            ) from None
