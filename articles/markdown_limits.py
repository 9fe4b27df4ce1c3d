"""Bounds on the Markdown we agree to render.

Python-Markdown is quadratic in the number of brackets left open at once (10 KB of `[` takes
over 20 s) and recurses once per nesting level (600 nested list items raise RecursionError).
Real articles stay far inside these limits; text outside them is refused with a clear error
before it reaches the renderer.
"""

import re
import signal
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError

# A line's leading block markers: quote marks and list bullets or numbers.
_BLOCK_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t])))*")
_MARKER = re.compile(r">|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t])")


def nesting_depth(text):
    """The deepest nesting of quotes, lists and indentation on any line."""
    deepest = 0
    for line in text.split("\n"):
        prefix = _BLOCK_PREFIX.match(line).group(0)
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        deepest = max(deepest, len(_MARKER.findall(prefix)) + indent // 4)
    return deepest


def most_open_brackets(text):
    """The most square or round brackets open at the same time anywhere in the text."""
    most = square = round_ = 0
    for char in text:
        if char == "[":
            square += 1
        elif char == "]":
            square = max(0, square - 1)
        elif char == "(":
            round_ += 1
        elif char == ")":
            round_ = max(0, round_ - 1)
        else:
            continue
        most = max(most, square, round_)
    return most


def validate_markdown_cost(value):
    """Refuse Markdown too long, too deeply nested, or with too many brackets left open."""
    if not value:
        return
    if len(value) > settings.MARKDOWN_MAX_CHARS:
        raise ValidationError(
            f"This text is {len(value):,} characters long; the limit is "
            f"{settings.MARKDOWN_MAX_CHARS:,}. Split it or shorten it.",
            code="markdown_too_long",
        )
    if nesting_depth(value) > settings.MARKDOWN_MAX_NESTING:
        raise ValidationError(
            "Quotes, lists or indentation are nested more than "
            f"{settings.MARKDOWN_MAX_NESTING} levels deep. Flatten them.",
            code="markdown_too_deep",
        )
    if most_open_brackets(value) > settings.MARKDOWN_MAX_OPEN_BRACKETS:
        raise ValidationError(
            f"More than {settings.MARKDOWN_MAX_OPEN_BRACKETS} brackets [ or ( are open at once. "
            "Close the ones you meant as links and remove the rest.",
            code="markdown_brackets",
        )


class RenderTooSlow(Exception):
    pass


@contextmanager
def time_budget(seconds):
    """Raise RenderTooSlow in the block after `seconds`, where a timer can interrupt it: the
    main thread of a sync worker. Elsewhere the limits above are the only bound."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    expired = []

    def expire(signum, frame):
        expired.append(True)
        raise RenderTooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
        if expired:
            # The timer fired inside a finalizer (__del__), where Python drops the exception:
            # the budget was still spent.
            raise RenderTooSlow
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
