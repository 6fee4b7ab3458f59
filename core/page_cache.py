"""Whole reader pages in the shared cache, and their invalidation.

Anonymous readers get pages from Django's shared cache (the file cache every
worker on a host shares, or Redis across hosts), never from per-process memory.
Every entry is stored under the current cache *generation*; any committed change
to content a reader page can show replaces the generation, so after the commit
no request finds an entry made before it. Why a generation rather than per-page
tags: docs/decisions/0002-generation-based-page-cache.md.
"""

import uuid
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import (
    add_never_cache_headers,
    get_cache_key,
    learn_cache_key,
    patch_cache_control,
    set_response_etag,
)
from wagtail.models import PageViewRestriction
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from core.encodings import StoredPage, compress, preferred, respond
from core.internals import has_specific, request_site, set_request_site

GENERATION_KEY = "page-cache:generation"

# Saves that only move Wagtail's draft bookkeeping (a new draft revision, a
# lock) change nothing a reader sees, so they leave the cache alone.
BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def current_generation():
    """The generation new entries are stored under, made on first use.

    A missing key (first start, or evicted by the cache) gets a fresh random
    value, so entries of an earlier generation can never come back.
    """
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        fresh = uuid.uuid4().hex
        added = cache.add(GENERATION_KEY, fresh, timeout=None)
        generation = fresh if added else cache.get(GENERATION_KEY, fresh)
    return generation


def bump_generation():
    """Make every cached page unreachable; a set, not an increment, so two
    workers bumping at once both still leave a generation nobody has used."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def remember(name, compute):
    """`compute()`, kept in the shared cache until the next content change.

    For what reader pages look up on every request but seldom changes. Read
    under the generation of the moment, like the pages themselves, so a value
    computed while a change commits is only stored where nobody reads it.
    """
    if not settings.PAGE_CACHE_ENABLED:
        return compute()
    key = f"remember:{name}:{current_generation()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


class CachedViewRestrictionsMixin:
    """For page models: skip Wagtail's view-restriction queries while no page
    has a restriction, which is the usual case for a newsroom.

    Wagtail looks up the restrictions of a page and its ancestors (two queries)
    on every request it serves; restrictions are content models, so adding one
    retires the remembered answer.
    """

    def get_view_restrictions(self):
        if not remember("any-view-restriction", PageViewRestriction.objects.exists):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def content_changed(sender, update_fields=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """Bump the generation once the change is committed.

    Bumping before the commit would let a reader re-cache the old content in
    the new generation between the bump and the commit.
    """
    if update_fields and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    transaction.on_commit(bump_generation, using=using, robust=True)


def _m2m_changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action.startswith("post_") and sender in content_models():
        content_changed(sender, using=using)


def content_models():
    """The models named by PAGE_CACHE_CONTENT_MODELS ("app" or "app.Model")."""
    found = set()
    for label in settings.PAGE_CACHE_CONTENT_MODELS:
        if "." in label:
            found.add(apps.get_model(label))
        else:
            found.update(apps.get_app_config(label).get_models())
    return found


def connect_invalidation():
    """Connect content_changed to every signal that can change a reader page.

    Whole apps are listed in settings, so a model added to them later (trackers,
    events) invalidates the cache without further code.
    """
    for model in content_models():
        post_save.connect(content_changed, sender=model, dispatch_uid="page-cache")
        post_delete.connect(content_changed, sender=model, dispatch_uid="page-cache")
    m2m_changed.connect(_m2m_changed, dispatch_uid="page-cache")
    # Publishing and unpublishing also touch rows through queryset updates
    # (descendants, live revisions) that send no post_save.
    for signal in (
        page_published,
        page_unpublished,
        post_page_move,
        published,
        unpublished,
    ):
        signal.connect(content_changed, dispatch_uid="page-cache")


def is_reader_request(request):
    """A GET or HEAD for a reader page by someone without a real session.

    Staff, and readers who have unlocked a password-protected page, must never
    get, or fill, a cached page; anyone else must not be able to skip the cache
    by sending a made-up session cookie.
    """
    return (
        request.method in {"GET", "HEAD"}
        and not request.path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS))
        and not has_real_session(request)
    )


def has_real_session(request):
    """Whether the request's session cookie names a session the store holds.

    One look-up in the session store, made only when the cookie is there. A
    real session is a live one with data, signed in or not: Wagtail keeps the
    page and collection passwords a reader has entered in an anonymous session,
    and that reader's pages must be rendered for them alone. Only the server
    makes sessions (a login, a correct password), so a forged, expired or
    emptied cookie is no session: it is served from the shared cache like any
    reader's request, under the same key, which never depends on cookies.
    """
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    # load() answers {} for an unknown, expired or tampered session.
    return bool(store.load())


def bypass_requested(request):
    """True for a benchmark's uncached run; honoured only where a setting allows."""
    header = settings.PAGE_CACHE_BYPASS_HEADER
    return bool(header) and bool(request.headers.get(header))


def is_storable(response):
    """A plain 200 that sets no cookie and has not chosen its own caching."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
    )


class PageCacheMiddleware:
    """Serve and store anonymous reader pages; mark the rest uncacheable.

    Sits below ConditionalGetMiddleware, which then answers 304 for cached
    pages too, and above the session, CSRF and CSP middleware, so a cached page
    keeps the headers (CSP with its nonce, X-Frame-Options) it was rendered with.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_reader_request(request):
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                add_never_cache_headers(response)
            return response

        use_cache = settings.PAGE_CACHE_ENABLED and not bypass_requested(request)
        # Read once, before the page is built: a render that started before a
        # change can only ever store under the generation that change retired.
        prefix = f"page-cache:{current_generation()}" if use_cache else None
        if use_cache:
            key = get_cache_key(request, prefix, method="GET", cache=cache)
            cached = cache.get(key) if key else None
            if isinstance(cached, StoredPage):
                response = respond(cached, request)
                response["X-Cache"] = "HIT"
                return response

        response = self.get_response(request)
        if not is_storable(response):
            return response
        # Browsers revalidate every time (the ETag makes that a cheap 304); a
        # CDN may keep the page for CDN_MAX_AGE, or until Wagtail purges it.
        patch_cache_control(
            response, public=True, max_age=0, s_maxage=settings.CDN_MAX_AGE
        )
        set_response_etag(response)
        if use_cache and request.method == "GET":
            # Compressed once here, in every coding, for each hit after.
            stored = compress(response)
            seconds = settings.PAGE_CACHE_SECONDS
            # Learnt before the response varies by Accept-Encoding (respond()
            # adds it), so every encoding shares one entry.
            key = learn_cache_key(request, response, seconds, prefix, cache=cache)
            cache.set(key, stored, seconds)
        else:
            # Not kept: compressed only in the coding this reader gets.
            stored = compress(response, preferred(request))
        response = respond(stored, request)
        response["X-Cache"] = "MISS"
        return response


class CachedSiteMiddleware:
    """Keep the request's Wagtail Site, and its root page, in the shared cache.

    Wagtail looks both up, with two queries, on every request it serves, uncached
    pages included. Sites are content models (PAGE_CACHE_CONTENT_MODELS), so a
    change to one retires the generation, and with it this entry. A miss is
    left to Wagtail, inside the view, where a database error becomes the 503
    page; what it found is stored afterwards. Sits below CommonMiddleware,
    which has refused hosts outside ALLOWED_HOSTS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED:
            return self.get_response(request)
        key = f"site:{current_generation()}:{request.get_host()}:{request.get_port()}"
        site = cache.get(key)
        if site is not None:
            set_request_site(request, site)
            return self.get_response(request)
        response = self.get_response(request)
        site = request_site(request)
        # Stored once routing has loaded the root page as its specific type, so
        # that routing from the cached site costs no query for it.
        if site is not None and has_specific(site.root_page):
            site.root_page = site.root_page.specific
            cache.set(key, site, settings.PAGE_CACHE_SECONDS)
        return response
