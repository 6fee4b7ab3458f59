from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from newsroom import search, views
from sources.sitemaps import SourceSitemap

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": PageSitemap, "sources": SourceSitemap}},
        name="sitemap",
    ),
    path("", include("stories.urls")),
    path("", include("sources.urls")),
    path("", include("trackers.urls")),
    path("api/", include("api.urls")),
    path("", include("stories.feeds")),
    path("search/", search.search, name="search"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.SERVE_MEDIA:
    # The embedded default keeps uploads on local disk; deployments with a web
    # server or CDN in front of MEDIA_ROOT set SERVE_MEDIA=false. Only public
    # folders are served here: documents go through /documents/ (Wagtail's view,
    # which checks the collection's privacy), never straight from MEDIA_ROOT.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            views.public_media,
            name="public_media",
        )
    ]

urlpatterns += [
    # A page route ending in ".json" (a story's history.json), which Wagtail's
    # own pattern does not match; Wagtail serves it with a slash added.
    re_path(
        r"^(?P<path>(?:[\w\-]+/)+[\w\-]+\.json)$",
        views.serve_page_json,
        name="page_json",
    ),
    path("", include(wagtail_urls)),
]
