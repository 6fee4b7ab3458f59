"""Content-Security-Policy per area of the site."""

from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    """Give the Wagtail admin the relaxed policy it needs (it uses inline scripts).

    Placed after Django's CSP middleware so it runs first on the way out and sets
    the per-response override that Django's middleware honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.ADMIN_URL_PREFIX):
            response._csp_config = settings.ADMIN_CSP
        return response
