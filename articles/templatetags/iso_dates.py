from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso8601(value):
    """ISO 8601 to the second with the zone offset, in the site's time zone. HTML's <time>
    accepts at most three fractional digits, so microseconds are left out everywhere."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""
