"""Cross-origin reads of the public data: the API and TimelineJS exports.

Only what any reader may fetch anyway is opened, and only to be read: GET and
HEAD answers get `Access-Control-Allow-Origin: *`, never
`Access-Control-Allow-Credentials`, so a browser sends no cookies with these
requests and another site's script sees exactly what an anonymous reader
would. Simple GETs need no preflight, so OPTIONS is left alone.
"""

from functools import wraps

from django.conf import settings

READ_METHODS = frozenset({"GET", "HEAD"})


def open_to_any_origin(request, response):
    """Mark `response` readable by any site, when it answers a read."""
    if request.method in READ_METHODS:
        response["Access-Control-Allow-Origin"] = "*"
    return response


def allow_any_origin(view):
    """A view whose GET and HEAD answers any site's script may read."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return open_to_any_origin(request, view(request, *args, **kwargs))

    return wrapped


class PublicReadCorsMiddleware:
    """`allow_any_origin` for every address under CORS_PUBLIC_PATHS (the API).

    A middleware rather than a decorator there because the API's views are
    made by Wagtail's router, and its error answers (400, 404) come from
    middleware and catch-all views that a script needs to read as well.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.CORS_PUBLIC_PATHS)

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefixes):
            open_to_any_origin(request, response)
        return response
