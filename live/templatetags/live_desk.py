from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..pages import coverage_of

register = template.Library()


@register.simple_tag(takes_context=True)
def live_desk_link(context, article):
    """On the article's change form: its live desk, or a way to make it live coverage."""
    user = context["request"].user
    coverage = coverage_of(article)
    if coverage is not None and user.has_perm("live.view_coverage"):
        url = reverse("admin:live_coverage_desk", args=[coverage.pk])
        return format_html('<a class="button live-desk-link" href="{}">Live desk</a>', url)
    if coverage is None and user.has_perm("live.add_coverage"):
        url = reverse("admin:live_coverage_add") + f"?article={article.pk}"
        return format_html('<a class="live-desk-link" href="{}">Make it live coverage</a>', url)
    return ""
