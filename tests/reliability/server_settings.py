"""Production settings for a gunicorn started by a fault test.

The real production settings, plus the test-only slow view of
tests.reliability.urls; static files come from the app directories, so no
collectstatic run is needed.
"""

from newsroom.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.reliability.urls"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
WHITENOISE_USE_FINDERS = True
