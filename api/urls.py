"""/api/: the endpoints, an index of them, and the OpenAPI description."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import views
from api.endpoints import api_router

urlpatterns = [
    path("", views.api_index, name="api_index"),
    path(
        "schema/",
        SpectacularAPIView.as_view(),
        name="api_schema",
    ),
    path("", include((api_router.get_urlpatterns(), "api"))),
    # [\s\S], not ".": an address may hold an encoded newline, and it is
    # still an unknown API address that deserves a JSON 404.
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]
