"""Settings shared by every environment.

Every value that differs between deployments comes from an environment variable;
docs/configuration.md lists them all.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "data"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def cache_from_url(url):
    """Django CACHES entry for a CACHE_URL / REDIS_URL.

    redis:// and rediss:// use Django's Redis backend, wrapped so that an
    unreachable Redis is a slower site rather than a broken one
    (core.cache); file:///path a directory shared by every worker on the
    machine; db://table the database cache.
    """
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss", "unix"}:
        return {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": url,
        }
    if scheme == "file":
        return {
            "BACKEND": "core.cache.SharedFileCache",
            "LOCATION": urlsplit(url).path,
            "OPTIONS": {
                "MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))
            },
        }
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": urlsplit(url).netloc,
        }
    raise ValueError(f"Unsupported cache URL scheme {scheme!r} in {url!r}")


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom",
    "home",
    "stories",
    "sources",
    "trackers",
    "participation",
    "api",
    "wagtail.api.v2",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache, so cached pages answer If-None-Match with a 304 too.
    "django.middleware.http.ConditionalGetMiddleware",
    "core.page_cache.PageCacheMiddleware",
    # Below the page cache, so a cached API answer keeps its header.
    "core.cors.PublicReadCorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "newsroom.middleware.AdminContentSecurityPolicyMiddleware",
    "newsroom.middleware.RejectHostileQueryMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    "newsroom.middleware.AtomicAdminWritesMiddleware",
    "newsroom.middleware.AdminBadRequestMiddleware",
    "core.page_cache.CachedSiteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A rate-limited password form answers 429 (newsroom.rate_limits).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: turns a refused login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "newsroom.context_processors.site",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers carry on while a gunicorn worker writes; the busy timeout
    # makes a second writer wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Connections persist (CONN_MAX_AGE) as on PostgreSQL: SQLite's page cache
    # and parsed schema belong to the connection, so a fresh one per request
    # more than doubles the cost of an uncached page.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL's full-text fields and GIN indexes.
    INSTALLED_APPS.append("django.contrib.postgres")
    if env_bool("DATABASE_POOL", default=False):
        # psycopg's pool keeps connections per worker process; Django refuses
        # persistent connections (CONN_MAX_AGE) beside it.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "4")),
            "timeout": int(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# export_archive writes this format: JSON Lines with exact timestamps.
SERIALIZATION_MODULES = {"exact_jsonl": "core.exact_jsonl"}

# Every gunicorn worker must see the same cache, or a publish would reach one
# worker's readers only: the default is a directory all workers on the host share.
CACHES = {
    "default": cache_from_url(
        os.environ.get("CACHE_URL")
        or os.environ.get("REDIS_URL")
        or f"file://{DATA_DIR / 'cache'}"
    )
}

_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=True)

# What import_archive accepts (newsroom/archive.py): it refuses a larger archive
# before changing anything. The defaults leave room for a large newsroom's
# uploads; lower them where archives come from less trusted hands.
ARCHIVE_MAX_BYTES = int(os.environ.get("ARCHIVE_MAX_BYTES", str(10 * 2**30)))
ARCHIVE_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("ARCHIVE_MAX_UNCOMPRESSED_BYTES", str(20 * 2**30))
)
ARCHIVE_MAX_FILE_BYTES = int(os.environ.get("ARCHIVE_MAX_FILE_BYTES", str(4 * 2**30)))
ARCHIVE_MAX_RATIO = int(os.environ.get("ARCHIVE_MAX_RATIO", "100"))
ARCHIVE_MAX_ENTRIES = int(os.environ.get("ARCHIVE_MAX_ENTRIES", "100000"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["SMTP_HOST"],
                "port": int(os.environ.get("SMTP_PORT", "587")),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", default=True),
            },
        }
        if os.environ.get("SMTP_HOST")
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")

# Background work (docs/operations.md, "The worker"). Wagtail's own tasks (search
# index, references) stay immediate on "default"; ours (mail to readers and
# editors, digests) go on "background", a queue in the database that the worker
# (`manage.py db_worker --backend background`) runs. Enqueued in the same
# transaction as the change that caused them, they are never lost to a crash.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "background": {
        "BACKEND": os.environ.get(
            "BACKGROUND_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
    },
}
# A failed task is tried again after BACKOFF seconds, then twice that, and so
# on, up to ATTEMPTS times in all; then editors see it under Reports.
BACKGROUND_TASK_ATTEMPTS = int(os.environ.get("BACKGROUND_TASK_ATTEMPTS", "5"))
BACKGROUND_TASK_BACKOFF = float(os.environ.get("BACKGROUND_TASK_BACKOFF", "30"))

# Reader participation (participation/).
# Changes to a followed story or tracker within this many seconds go out as one mail.
FOLLOW_BATCH_SECONDS = int(os.environ.get("FOLLOW_BATCH_SECONDS", "600"))
# How long a confirmation link works, and how long an unconfirmed follow is kept.
FOLLOW_CONFIRM_DAYS = int(os.environ.get("FOLLOW_CONFIRM_DAYS", "7"))
# Followers mailed per task (one SMTP connection each).
FOLLOW_MAIL_BATCH = int(os.environ.get("FOLLOW_MAIL_BATCH", "500"))
# Reader reports and follow requests per client address (django-ratelimit).
PARTICIPATION_RATE_LIMIT = os.environ.get("PARTICIPATION_RATE_LIMIT", "5/h")
# How old the corrections policy's figures may be, in seconds.
POLICY_FIGURES_SECONDS = int(os.environ.get("POLICY_FIGURES_SECONDS", "60"))
# Days a resolved report keeps the reader's name and address before
# `purge_participation` blanks them; the corrections policy page states it.
REPORT_CONTACT_RETENTION_DAYS = int(
    os.environ.get("REPORT_CONTACT_RETENTION_DAYS", "365")
)
# The hour (0-23, in TIME_ZONE) the editors' daily digest goes out.
DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "7"))
if not 0 <= DIGEST_HOUR <= 23:
    raise ValueError(f"DIGEST_HOUR must be an hour from 0 to 23, not {DIGEST_HOUR}.")

# Reader pages: only our own scripts and styles, and inline scripts only with the
# per-request nonce. The Wagtail admin needs more; see AdminContentSecurityPolicy.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF, "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
ADMIN_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", "https:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF, "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
ADMIN_URL_PREFIX = "/admin/"

# Password guessing (django-axes; docs/architecture.md, "Security"). Every login
# form calls Django's authenticate(), where AxesStandaloneBackend refuses a
# username from one client address after LOGIN_FAILURE_LIMIT failures, even with
# the right password, until LOGIN_LOCKOUT_MINUTES pass without another failure.
# Counts live in the shared cache, so every worker and host sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# axes.handlers.cache.AxesCacheHandler, surviving a Redis outage. On the file
# cache (one host) two failures at the same instant may count once, as its
# incr is not atomic: a try or two more for a guesser, not a way round the
# limit. Redis, for several hosts, counts atomically.
AXES_HANDLER = "newsroom.lockouts.LockoutCacheHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
)
# Refused attempts during a lock-out do not extend it, so a guesser cannot keep
# a colleague locked out for ever; a successful login (possible only when no
# lock-out is in force) clears the count.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.lockouts.lockout_response"
AXES_ENABLE_ADMIN = False  # No Django admin here; see newsroom.lockout_views.
# The client address, for lock-outs and rate limits alike (django-ipware). With
# TRUSTED_PROXY_COUNT proxies in front of gunicorn, the address is the one the
# outermost of them added to X-Forwarded-For; anything a client wrote to the
# left of it is ignored. With none, X-Forwarded-For is ignored altogether.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    # ipware counts the proxies listed in the header, after the client; the
    # nearest proxy is REMOTE_ADDR and adds itself to no header.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# Password forms that are not logins, per client address (newsroom.rate_limits):
# a page's view password, and password-reset requests (which send mail).
RATELIMIT_IP_META_KEY = "newsroom.lockouts.client_address"
RATELIMIT_VIEW = "newsroom.rate_limits.too_many_requests"
# A cache outage lets these forms through rather than refusing everyone.
RATELIMIT_FAIL_OPEN = True
PAGE_PASSWORD_RATE_LIMIT = os.environ.get("PAGE_PASSWORD_RATE_LIMIT", "10/10m")
PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5/h")

# Longest value a reader-facing query parameter may carry; longer is a 400.
MAX_QUERY_VALUE_LENGTH = 500

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # One line per background task run is noise at INFO; failures still show.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "The County Ledger")
# Where readers write to the newsroom (corrections, tips): every page's footer.
NEWSROOM_CONTACT_EMAIL = os.environ.get(
    "NEWSROOM_CONTACT_EMAIL", "corrections@countyledger.example"
)
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
# PostgreSQL stems with its `english` text search configuration; SQLite's FTS5
# table is rebuilt with the porter tokenizer by newsroom/migrations/0002 (the
# backend has no setting for it). Both fold "detainers" into "detainer".
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend, reading words only (core/search_backend.py).
        "BACKEND": "core.search_backend",
        "SEARCH_CONFIG": "english",
    },
}
# Admin avatars are uploads or Wagtail's default picture: no Gravatar, which
# would tell a third party who is using the admin, and when.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Documents are always served by Wagtail's view, which checks the privacy of
# their collection, never by a redirect to, or a link at, the file itself.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
TAGGIT_CASE_INSENSITIVE = True

# The public JSON API (api/): read-only, JSON only, described by drf-spectacular.
WAGTAILAPI_LIMIT_MAX = 100
REST_FRAMEWORK = {
    # Named here rather than on the endpoints, which it reads (api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "api.schema.EndpointSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{WAGTAIL_SITE_NAME} API",
    "DESCRIPTION": "Read-only open data: published stories, public sources, "
    "on-the-record statements and public requests for comment.",
    "VERSION": "2",
    "SERVE_INCLUDE_SCHEMA": False,
    "DEFAULT_GENERATOR_CLASS": "api.schema.ApiSchemaGenerator",
    "ENUM_NAME_OVERRIDES": {
        "StatementChannelEnum": "sources.models.StatementChannel",
        "RequestChannelEnum": "sources.models.RequestChannel",
    },
}

# Whole reader pages for anonymous readers, in the shared cache above; see
# core/page_cache.py and docs/architecture.md, "Page cache".
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# "dependencies": a change retires the pages that show what changed (the
# default); "generation": every change retires every page, as before, kept
# for the benchmark's side-by-side newsroom day (make bench-day).
PAGE_CACHE_INVALIDATION = os.environ.get("PAGE_CACHE_INVALIDATION", "dependencies")
# Header name (e.g. X-Bypass-Page-Cache) that skips the cache, for benchmarks
# only; empty, the default, means no request can skip it.
PAGE_CACHE_BYPASS_HEADER = os.environ.get("PAGE_CACHE_BYPASS_HEADER", "")
# Read by any site's scripts (core.cors); timeline.json opts in by decorator.
CORS_PUBLIC_PATHS = ["/api/"]
PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/documents/", "/healthz", MEDIA_URL]
# Changes to these apps' models (or these models) empty the page cache.
PAGE_CACHE_CONTENT_MODELS = [
    "home",
    "stories",
    "sources",
    "trackers",
    "taggit.Tag",
    # Not participation's models: the corrections policy page, the one reader
    # page that shows them (as counts), keeps its figures for a minute instead
    # (participation.policy_views), so that readers' reports, which anyone can
    # send, never empty the page cache.
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtailimages.Image",
    "wagtaildocs.Document",
]
# How long a CDN or other shared proxy may keep a reader page (s-maxage).
CDN_MAX_AGE = int(os.environ.get("CDN_MAX_AGE", "60"))


# A CDN in front of the site: Wagtail purges a page's URLs when it is published
# or unpublished. Configured, and its app installed, only when one is set.
def frontend_cache_from_env():
    if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
        # Varnish, Squid or any cache that takes an HTTP PURGE request.
        return {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        }
    if os.environ.get("CLOUDFLARE_BEARER_TOKEN"):
        return {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": os.environ["CLOUDFLARE_BEARER_TOKEN"],
            "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
        }
    return None


if _frontend_cache := frontend_cache_from_env():
    WAGTAILFRONTENDCACHE = {"default": _frontend_cache}
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
