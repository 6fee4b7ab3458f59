"""Content-Security-Policy per area of the site."""

from django.conf import settings
from django.db import transaction


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


class AtomicAdminWritesMiddleware:
    """Run each admin POST in one database transaction.

    Wagtail's page editor publishes a version and then runs signal handlers and
    hooks (ours publishes the story's draft updates) without a transaction of its
    own; in one transaction a correction and the body change it explains go live
    together or not at all. Reader requests are untouched, so SQLite readers never
    wait on a write lock.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not request.path.startswith(
            settings.ADMIN_URL_PREFIX
        ):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            # Django turns a view's exception into a 500 response before it
            # reaches us, so roll back by hand instead of on the exception.
            if response.status_code >= 500:
                transaction.set_rollback(True)
            return response
