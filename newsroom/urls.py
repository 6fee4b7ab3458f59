from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import PasswordResetView
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from newsroom import rate_limits, search, views
from participation.policy_views import PolicySitemap
from sources.sitemaps import SourceSitemap
from stories.sitemaps import PageSitemap

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap,
        {
            "sitemaps": {
                "pages": PageSitemap,
                "sources": SourceSitemap,
                "policy": PolicySitemap,
            }
        },
        name="sitemap",
    ),
    path("", include("stories.urls")),
    path("", include("sources.urls")),
    path("", include("trackers.urls")),
    path("", include("participation.urls")),
    path("api/", include("api.urls")),
    path("", include("stories.feeds")),
    path("search/", search.search, name="search"),
    # Wagtail's own views at Wagtail's own addresses, rate-limited; these
    # patterns come first, so they answer instead of Wagtail's.
    path(
        "admin/password_reset/",
        # never_cache, as Wagtail gives every admin view.
        never_cache(rate_limits.password_reset(PasswordResetView.as_view())),
    ),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        rate_limits.page_password(wagtail_views.authenticate_with_password),
    ),
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
