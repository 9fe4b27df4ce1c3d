from django.conf import settings

from .canonical import default_social_image
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
    }
