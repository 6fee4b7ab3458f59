"""Production settings for test servers, over plain HTTP.

Everything is as deployed except static files, which come from the app
directories rather than a collected manifest: collecting them would take longer
than the tests that use these servers.
"""

from newsroom.settings.production import *  # noqa: F403
from newsroom.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
