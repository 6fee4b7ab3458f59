"""Test settings: fast hashing, a private cache per run, no collected static needed."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key-with-enough-length-and-entropy-0123456789abcdef"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file cache in a fresh directory: shared like production's, never stale between runs.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": tempfile.mkdtemp(prefix="newsroom-test-cache-"),
    }
}
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsroom-test-media-")
WAGTAILADMIN_BASE_URL = "http://testserver"
STATIC_ROOT = tempfile.mkdtemp(prefix="newsroom-test-static-")
WHITENOISE_USE_FINDERS = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# SQLite tests use a file, as production does: an in-memory database shared
# between threads locks whole tables and ignores the busy timeout, so tests that
# write from two threads at once would fail where the real site would wait.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="newsroom-test-db-")) / "test.sqlite3")
    }

# Tests run inside transactions that never commit, so the page cache's
# on-commit invalidation never fires: pages would go stale between steps of a
# test. Tests of the cache turn it on (tests/performance); gunicorn test
# servers use production settings, where it is on.
PAGE_CACHE_ENABLED = False
