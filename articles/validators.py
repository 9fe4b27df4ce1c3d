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
