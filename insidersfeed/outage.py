"""When the database is unreachable, answer a branded 503 instead of a 500."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def outage_response(request):
    """The 503 page, rendered from the template alone: no query, no session, no user."""
    response = HttpResponse(
        render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}, request=request),
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def answer_outage(request, error):
    """Log a lost database and answer the 503: for a view's error or one raised before it."""
    logger.error("Database unavailable for %s: %s", request.path, error)
    return outage_response(request)


class DatabaseOutageMiddleware:
    """Turn a lost database connection in a view into 503 Service Unavailable.

    Django closes the broken connection at the end of the request, and with
    CONN_HEALTH_CHECKS the next request opens a fresh one: the site recovers on its own
    once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return answer_outage(request, exception)
        return None
