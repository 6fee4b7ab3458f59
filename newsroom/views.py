"""Site-wide endpoints that are not Wagtail pages."""

import posixpath

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve as serve_file
from wagtail.views import serve

from core.public_urls import absolute_url

# Upload folders any reader may fetch straight from MEDIA_URL: image renditions,
# original images and admin avatars. Wagtail keeps no privacy per collection for
# images. Documents (`documents/`) are not among them: Wagtail's own view at
# /documents/<id>/<name> serves them after checking the collection's privacy.
PUBLIC_MEDIA_FOLDERS = ("images/", "original_images/", "avatar_images/")


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


@require_GET
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page links.

    A redirect to the static file rather than a route to it: in production the
    static name carries its content hash (ManifestStaticFilesStorage), and a
    temporary redirect lets a new icon replace the old one.
    """
    return redirect(static("icons/favicon.ico"))


def serve_page_json(request, path):
    """A page route named like a file, e.g. a story's history.json.

    Wagtail's URL pattern takes only paths ending in a slash, so the page is
    found and served by Wagtail itself (view restrictions, hooks and all) with
    the slash added; the page declares the route as "history.json/".
    """
    return serve(request, path + "/")


def public_media(request, path):
    """An upload from a public folder of MEDIA_ROOT; 404 for anything else.

    The path is normalised before it is checked, as the file is found, so that
    `images/../documents/…` cannot reach a document.
    """
    path = posixpath.normpath(path).lstrip("/")
    if not path.startswith(PUBLIC_MEDIA_FOLDERS):
        raise Http404("Not a public upload.")
    return serve_file(request, path, document_root=settings.MEDIA_ROOT)
