"""How each kind of delivery leaves: one HTTP request, its answer turned into an Outcome."""

import json
import time
import urllib.error
import urllib.request

from django.conf import settings

from . import signing
from .models import Delivery
from .outbox import Outcome

USER_AGENT = "InsidersFeed-Distribution/1"


def _request(url, data, headers, method="POST"):
    # Targets come from settings or from endpoints staff entered (http(s) only, validated).
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=settings.DISTRIBUTION_TIMEOUT) as response:  # noqa: S310
            response.read(65536)
            return Outcome(ok=200 <= response.status < 300, status_code=response.status)
    except urllib.error.HTTPError as error:
        code = error.code
        retryable = code >= 500 or code in (408, 425, 429)
        return Outcome(ok=False, status_code=code, error=error.reason, permanent=not retryable)
    except (OSError, ValueError) as error:
        return Outcome(ok=False, error=f"{type(error).__name__}: {error}")


def send_webhook(delivery):
    endpoint = delivery.endpoint
    if endpoint is None or not endpoint.active:
        return Outcome(ok=False, error="The endpoint was removed or switched off.", permanent=True)
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.EVENT_HEADER: delivery.payload.get("event", ""),
        signing.DELIVERY_HEADER: delivery.key,
        signing.TIMESTAMP_HEADER: timestamp,
        signing.SIGNATURE_HEADER: signing.signature(endpoint.secret, timestamp, body),
    }
    return _request(endpoint.url, body, headers)


def send_indexnow(delivery):
    body = json.dumps(delivery.payload).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    return _request(delivery.target, body, headers)


def send_websub(delivery):
    from urllib.parse import urlencode

    body = urlencode({"hub.mode": "publish", "hub.url": delivery.payload["topic"]}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT}
    return _request(delivery.target, body, headers)


SENDERS = {
    Delivery.Kind.WEBHOOK: send_webhook,
    Delivery.Kind.INDEXNOW: send_indexnow,
    Delivery.Kind.WEBSUB: send_websub,
}


def send(delivery):
    if delivery.kind == Delivery.Kind.PURGE:
        from .purges import send_purge

        return send_purge(delivery)
    if delivery.kind == Delivery.Kind.EMAIL:
        from newsletter.sending import send_email

        return send_email(delivery)
    return SENDERS[delivery.kind](delivery)
