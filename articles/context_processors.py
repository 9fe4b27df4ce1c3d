from django.conf import settings
from django.db import DatabaseError

from .canonical import default_social_image
from .models import Section
from .site_pages import footer_links


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "default_social_image": default_social_image,
        "LANGUAGE_CODE": settings.LANGUAGE_CODE,
        # Called only by templates that show the footer.
        "site_pages": footer_links,
        "site_sections": navigation_sections,
    }


def navigation_sections():
    """The header's sections: every section, so the header changes only when a section does."""
    try:
        return list(Section.objects.order_by("name").values_list("name", "slug"))
    except DatabaseError:
        return []  # an error page during an outage still renders, without the sections
