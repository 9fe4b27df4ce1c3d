import re

from django.core.exceptions import ValidationError

# PostgreSQL cannot store NUL in text, and lone surrogates cannot be encoded as UTF-8.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def validate_clean_text(value):
    if value and UNSTORABLE.search(value):
        raise ValidationError(
            "This text contains a character that cannot be saved "
            "(a NUL byte or a broken Unicode surrogate). Retype or re-paste it.",
            code="unstorable_character",
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
