"""Webhook signatures: HMAC-SHA256 over `timestamp + "." + body` with the endpoint's secret.

Receivers recompute it, compare in constant time, and refuse a timestamp older than
WEBHOOK_REPLAY_WINDOW seconds (five minutes unless changed), so a captured delivery cannot be
replayed later.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-InsidersFeed-Signature"
TIMESTAMP_HEADER = "X-InsidersFeed-Timestamp"
DELIVERY_HEADER = "X-InsidersFeed-Delivery"
EVENT_HEADER = "X-InsidersFeed-Event"


def signature(secret, timestamp, body):
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret, timestamp, body, received, window=300, now=None):
    """What a receiver does: True only for a fresh timestamp and a matching signature."""
    try:
        age = (now or time.time()) - int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(age) > window:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), received or "")
