"""Fixed-window counters in the shared cache: per address and per client."""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW = 3600


def _hit(kind, value, limit):
    key = "newsletter-rate:" + kind + ":" + hashlib.sha256(value.encode()).hexdigest()
    cache.add(key, 0, WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        count = 1
    return count <= limit


def allowed(address, client):
    """False once either the address or the client asked too often this hour."""
    client_ok = _hit("client", client, settings.NEWSLETTER_RATE_PER_CLIENT)
    return _hit("address", address, settings.NEWSLETTER_RATE_PER_ADDRESS) and client_ok
