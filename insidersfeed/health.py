"""Probes for load balancers: /healthz (the process answers) and /readyz (it can serve)."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

READINESS_KEY = "readyz:probe"


@never_cache
@require_safe
def healthz(request):
    """Alive: touches neither the database nor the cache."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    """Ready: the database answers a query and the cache stores and returns a value."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    failed = [name for name, ok in checks.items() if not ok]
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", "checks": checks, "failed": failed},
        status=503 if failed else 200,
    )


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means not ready; the reason goes to the log
        logger.exception("Readiness: database check failed")
        return False


def _cache_ok():
    try:
        if hasattr(cache, "probe"):  # a cache that hides its errors from pages says them here
            return cache.probe(READINESS_KEY, "1")
        cache.set(READINESS_KEY, "1", 10)
        return cache.get(READINESS_KEY) == "1"
    except Exception:  # as above
        logger.exception("Readiness: cache check failed")
        return False
