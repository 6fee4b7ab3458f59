"""Site-wide endpoints that are not Wagtail pages."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.views import serve

from core.public_urls import absolute_url


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@require_GET
def robots_txt(request):
    """robots.txt, pointing crawlers to the sitemap at this host's address."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": absolute_url(reverse("sitemap"))},
        content_type="text/plain",
    )


def serve_page_json(request, path):
    """A page route named like a file, e.g. a story's history.json.

    Wagtail's URL pattern takes only paths ending in a slash, so the page is
    found and served by Wagtail itself (view restrictions, hooks and all) with
    the slash added; the page declares the route as "history.json/".
    """
    return serve(request, path + "/")
