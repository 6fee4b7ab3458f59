"""The site's URLs plus one slow view, only for gunicorn in fault tests."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path

MAX_SLOW_SECONDS = 10


def slow(request):
    """Note which worker serves this, then take `?seconds=` before answering."""
    seconds = min(float(request.GET.get("seconds", "2")), MAX_SLOW_SECONDS)
    (Path(settings.DATA_DIR) / "slow-request.pid").write_text(str(os.getpid()))
    time.sleep(seconds)
    return HttpResponse(f"done in {os.getpid()}", content_type="text/plain")


urlpatterns = [path("slow/", slow), path("", include("newsroom.urls"))]
