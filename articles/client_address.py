"""The reader's address: REMOTE_ADDR, or what a trusted proxy in front of us says it was.

X-Forwarded-For is only believed when the connection comes from an address in
TRUSTED_PROXIES, and then read from the right: the first address that is not itself a
trusted proxy is the client. Anything a client writes to the left of that is ignored.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address):
    return address is not None and any(
        address in network for network in _networks(tuple(settings.TRUSTED_PROXIES))
    )


def client_address(request):
    """The client's IP address as a string (for login lockouts and logs)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(_address(remote)):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            return remote  # a garbled header: fall back to the proxy itself
        if not _trusted(address):
            return str(address)
    return remote
