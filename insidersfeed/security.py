"""Per-path security headers the settings alone cannot express."""

from django.conf import settings
from django.views.static import serve

# Content types a browser can only show as a picture. Anything else under /media/ is sent as
# a download, so a file that slipped past the image checks can never render as a page.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"}


class AdminContentSecurityPolicyMiddleware:
    """Give the admin its own policy (nonces allowed); public pages keep SECURE_CSP.

    Sits after ContentSecurityPolicyMiddleware, so it marks the response before that
    middleware builds the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = f"/{settings.ADMIN_PATH}"

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefix):
            response._csp_config = settings.ADMIN_CSP
        return response


def serve_media(request, path):
    """django.views.static.serve, with uploads locked down to inert images."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.get("Content-Type", "").split(";")[0] not in INLINE_MEDIA_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    response["Content-Security-Policy"] = settings.MEDIA_CSP
    return response
