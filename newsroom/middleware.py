"""Site-wide middleware: CSP per area, hostile query strings, a database outage,
malformed admin requests."""

import logging
import traceback

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.datastructures import MultiValueDictKeyError
from django.views.decorators.csp import csp_override
from modelsearch.backends.base import OrderByFieldError

logger = logging.getLogger(__name__)

# Seconds a client (or a CDN) is asked to wait before retrying during an outage.
RETRY_AFTER_SECONDS = 30


class AdminContentSecurityPolicyMiddleware:
    """Give the Wagtail admin the relaxed policy it needs (it uses inline scripts).

    Placed after Django's CSP middleware so it runs first on the way out and sets
    the per-response override that Django's middleware honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Django's own per-view override, applied to the rest of the stack.
        self.get_admin_response = csp_override(settings.ADMIN_CSP)(get_response)

    def __call__(self, request):
        if request.path.startswith(settings.ADMIN_URL_PREFIX):
            return self.get_admin_response(request)
        return self.get_response(request)


class RejectHostileQueryMiddleware:
    """Answer 400 with a clear message for input no page could use.

    A NUL byte in the path or query string cannot be stored in or compared
    against PostgreSQL text, so it would surface as a database error; a
    query value longer than MAX_QUERY_VALUE_LENGTH is no search or filter a
    reader makes, and would only make the database work for nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        message = self.problem(request)
        if message and request.path.startswith("/api/"):
            # API clients read errors as JSON, in the shape Wagtail's API uses.
            return JsonResponse({"message": message}, status=400)
        if message:
            return TemplateResponse(
                request, "400.html", {"message": message}, status=400
            ).render()
        return self.get_response(request)

    @staticmethod
    def problem(request):
        if "\x00" in request.path:
            return "This address contains a character that is not allowed."
        limit = settings.MAX_QUERY_VALUE_LENGTH
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return "The search or filter contains a character that is not allowed."
            if len(name) > limit or any(len(value) > limit for value in values):
                return (
                    f"A search or filter value is longer than {limit} characters. "
                    "Please shorten it."
                )
        return None


class DatabaseUnavailableMiddleware:
    """Serve a plain 503 page, not a traceback, while the database is unreachable.

    Connection errors raised anywhere in a view — including Wagtail finding the
    site and the page for a URL, which happens inside its serve view — end up
    here. Nothing is cached at the process level, so the next request after the
    database returns opens a fresh connection and the site recovers by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable while serving %s: %s", request.path, exception
        )
        response = TemplateResponse(
            request, "503.html", {"retry_after": RETRY_AFTER_SECONDS}, status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
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


class AdminBadRequestMiddleware:
    """Answer 400, not 500, to an admin request whose form data is malformed,
    or that sorts search results in a way the search index cannot.

    Wagtail's forms trust that the data they read was built by their own
    JavaScript: a page edit posted without the StreamField's `body-count`, or
    with `body-count=x`, raises a KeyError or ValueError deep in a widget, and
    Django answers 500 as if the site were broken. Only two things are taken
    as the client's fault, so that a real bug still surfaces as a 500:

    - a MultiValueDictKeyError: a field the request should have carried is
      missing from it (it is what `request.POST[name]` raises);
    - a KeyError, ValueError, TypeError or IndexError raised inside a
      widget's `value_from_datadict`, the one method whose job is to read
      the raw posted data into a value.

    Both are logged as a warning with the field, so a form of ours that
    forgets a field still shows up. An admin POST runs in the transaction of
    AtomicAdminWritesMiddleware; whatever the view wrote before it failed is
    rolled back, as it would have been for the 500.

    Apart from forms, a search sorted by a field the model does not index as
    a FilterField raises OrderByFieldError: Wagtail's page explorer lets
    `?q=…&ordering=content_type__model` through (its own guard names
    `content_type`), and no index can sort by a relation (a request's
    source). Our snippets index every other sortable column, and
    tests/reliability/test_hostile_admin.py sorts by each one while searching.
    """

    MESSAGE = (
        "The form data was incomplete or malformed ({detail}), so nothing was "
        "saved. Reload the page and try again."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    UNSORTABLE = (
        "Search results cannot be sorted by that column. Clear the search to "
        "sort by it."
    )

    def process_exception(self, request, exception):
        if not request.path.startswith(settings.ADMIN_URL_PREFIX):
            return None
        if isinstance(exception, OrderByFieldError):
            logger.warning("Unsortable search in %s: %s", request.path, exception)
            return self.bad_request(request, self.UNSORTABLE)
        if not self.is_malformed_form_data(exception):
            return None
        logger.warning(
            "Malformed form data in %s %s: %r", request.method, request.path, exception
        )
        if request.method == "POST" and transaction.get_connection().in_atomic_block:
            transaction.set_rollback(True)
        detail = f"{type(exception).__name__}: {str(exception)[:100]}"
        return self.bad_request(request, self.MESSAGE.format(detail=detail))

    @staticmethod
    def bad_request(request, message):
        return TemplateResponse(request, "400.html", {"message": message}, status=400)

    @staticmethod
    def is_malformed_form_data(exception):
        if isinstance(exception, MultiValueDictKeyError):
            return True
        if not isinstance(exception, KeyError | ValueError | TypeError | IndexError):
            return False
        return any(
            frame.f_code.co_name == "value_from_datadict"
            for frame, _ in traceback.walk_tb(exception.__traceback__)
        )
