"""Bounds on what one public request may cost the database."""

from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction

# websearch_to_tsquery's operator words: not terms of their own.
_OPERATORS = {"or"}


class QueryTooSlow(Exception):
    pass


def only_negated(query):
    """Is every word of the search excluded (`-word`)? Such a search matches nearly every row."""
    terms = [term.strip('"') for term in query.split() if term.lower() not in _OPERATORS]
    words = [term for term in terms if term.strip("-")]
    return bool(words) and all(term.startswith("-") for term in words)


@contextmanager
def statement_timeout():
    """On PostgreSQL, cancel any statement in the block that runs longer than
    PUBLIC_STATEMENT_TIMEOUT_MS, and raise QueryTooSlow; elsewhere, just run the block."""
    timeout = settings.PUBLIC_STATEMENT_TIMEOUT_MS
    if connection.vendor != "postgresql" or timeout <= 0:
        yield
        return
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(timeout)])
            yield
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == "57014":  # query_canceled
            raise QueryTooSlow from error
        raise
