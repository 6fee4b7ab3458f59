"""The site's URLs plus two test-only views: a slow one for gunicorn in fault
tests, and one whose database is gone, for the 503 page in the browser."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import include, path

MAX_SLOW_SECONDS = 10


def slow(request):
    """Note which worker serves this, then take `?seconds=` before answering."""
    seconds = min(float(request.GET.get("seconds", "2")), MAX_SLOW_SECONDS)
    (Path(settings.DATA_DIR) / "slow-request.pid").write_text(str(os.getpid()))
    time.sleep(seconds)
    return HttpResponse(f"done in {os.getpid()}", content_type="text/plain")


def database_down(request):
    """Fail as a reader page does when the database is unreachable."""
    raise OperationalError("connection refused")


urlpatterns = [
    path("slow/", slow),
    path("database-down/", database_down),
    path("", include("newsroom.urls")),
]
