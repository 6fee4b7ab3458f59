"""The site's URLs plus two test-only views: a slow one for gunicorn in fault
tests, and one whose database is gone, for the 503 page in the browser."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import include, path

MAX_SLOW_SECONDS = 120


def slow(request):
    """Note which worker serves this, then answer when the test releases it.

    The test releases the request by creating `slow-request.release` in
    DATA_DIR, so it decides when the request ends, however loaded the machine;
    `?seconds=` (at most MAX_SLOW_SECONDS) answers anyway after that long, so a
    request nobody releases does not hang.
    """
    data = Path(settings.DATA_DIR)
    released = data / "slow-request.release"
    (data / "slow-request.pid").write_text(str(os.getpid()))
    seconds = min(float(request.GET.get("seconds", "2")), MAX_SLOW_SECONDS)
    deadline = time.monotonic() + seconds
    while not released.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return HttpResponse(f"done in {os.getpid()}", content_type="text/plain")


def database_down(request):
    """Fail as a reader page does when the database is unreachable."""
    raise OperationalError("connection refused")


urlpatterns = [
    path("slow/", slow),
    path("database-down/", database_down),
    path("", include("newsroom.urls")),
]
