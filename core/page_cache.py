"""Whole reader pages in the shared cache, and their invalidation by dependency.

Anonymous readers get pages from Django's shared cache (the file cache every
worker on a host shares, or Redis across hosts), never from per-process memory.

Each cached page records what it depends on, as *tags*: the objects it read
(`page:12`, `sources.statement:40`, noted as they load, see `record_read`) and
the groups it shows (`story:12`, everything attached to story 12; `source:7`;
`timeline:3`; `tag:5` and `tracker-stories:3`, which stories carry a tag or
follow a tracker). A committed change gives each of its tags a new *version*,
taken from one counter in the same cache; a page is served only while none of
its tags has a version newer than the counter's value when its render began.
So a correction to one story empties that story's pages and the listings, not
every story on the site.

Two tags stand for the rest:

- `any` changes with every change. A page that names no dependencies (the
  home page, listings, feeds, the API, search) depends on it alone: any
  change retires it, as the whole cache was retired before.
- `all` changes with a change that names no tags (a source renamed, an
  author, an image, a site, a view restriction, any model without
  `cache_tags`): it retires every page.

The guarantee is the old one: once a change commits, no request is served a
page rendered before it. Why versions per tag rather than lists of pages per
tag, and what it costs: docs/decisions/0011-page-cache-invalidated-by-dependency.md.
"""

import contextvars
import hashlib
import time
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils.cache import (
    add_never_cache_headers,
    patch_cache_control,
    set_response_etag,
)
from django.utils.encoding import iri_to_uri
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from core.encodings import StoredPage, compress, preferred, respond
from core.internals import has_specific, request_site, set_request_site

ANY = "any"
ALL = "all"
# The site-wide lists that pages depend on as a whole: the lists of stories
# (what a story list shows of each: headline, dek, image, byline, tags);
# what changed lately (updates, corrections and new versions: the corrections
# log, the feeds); the latest statements; the active trackers (home).
STORIES = "stories"
UPDATES = "updates"
STATEMENTS = "statements"
TRACKERS = "trackers"
SEQUENCE_KEY = "page-cache:sequence"

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


def object_tag(obj):
    """The tag of one object: pages by page id whatever their type."""
    if isinstance(obj, Page):
        return f"page:{obj.pk}"
    return f"{obj._meta.label_lower}:{obj.pk}"


def _version_key(tag):
    return f"page-cache:version:{tag}"


def next_sequence():
    """A value of the change counter higher than any handed out before.

    A counter that is missing (first start, or evicted) starts again from the
    clock in microseconds, far above any value a counter could have reached.
    """
    try:
        return cache.incr(SEQUENCE_KEY)
    except ValueError:
        cache.add(SEQUENCE_KEY, time.time_ns() // 1000, timeout=None)
        try:
            return cache.incr(SEQUENCE_KEY)
        except ValueError:
            # The cache is unreachable (core.cache): nothing is served from it.
            return time.time_ns() // 1000


def current_sequence():
    """The counter's value now: a render that starts after reading it sees
    every change whose tags have this version or an older one."""
    value = cache.get(SEQUENCE_KEY)
    return next_sequence() if value is None else value


def bump(tags):
    """Give `tags`, and `any`, a version newer than every page cached so far,
    and have a CDN in front drop the same pages."""
    tags = {*tags, ANY}
    sequence = next_sequence()
    cache.set_many({_version_key(tag): sequence for tag in tags}, timeout=None)
    if purges_cdn():
        purge_addresses(tags)


# A CDN in front (wagtail.contrib.frontend_cache): the addresses stored under
# each tag, so that a change purges the pages it retires here, no more.


def purges_cdn():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _addresses_key(tag):
    return f"page-cache:addresses:{tag}"


def note_address(tags, url):
    """Remember that the page at `url` was stored under `tags`.

    Read, then written: two workers storing at once under one tag may lose
    an address, and a CDN then keeps that page until CDN_MAX_AGE.
    """
    for tag in tags:
        key = _addresses_key(tag)
        addresses = cache.get(key) or frozenset()
        if url not in addresses:
            cache.set(key, addresses | {url}, settings.PAGE_CACHE_SECONDS)


def purge_addresses(tags):
    """Purge from the CDN every address stored under `tags`."""
    from wagtail.contrib.frontend_cache.utils import (  # noqa: PLC0415
        purge_urls_from_cache,  # installed only with a CDN configured
    )

    found = cache.get_many([_addresses_key(tag) for tag in tags])
    if found:
        cache.delete_many(list(found))
        purge_urls_from_cache(sorted(set().union(*found.values())))


def current_generation():
    """A value that changes with every change: for keys of remembered values."""
    key = _version_key(ANY)
    version = cache.get(key)
    if version is None:
        # The counter as it stands: every change so far has this version or
        # an older one, and taking a new value would make the page being
        # rendered stale on arrival.
        fresh = current_sequence()
        version = fresh if cache.add(key, fresh, timeout=None) else cache.get(key)
    return version


def bump_generation():
    """Retire every cached page and remembered value, for code that changes
    content without sending signals (queryset updates, bulk inserts)."""
    bump({ALL})


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


# Reading: what the page being rendered depends on.

_reading = contextvars.ContextVar("page_cache_reading", default=None)


def depends_on(*tags):
    """Declare that the page being rendered shows only what `tags` name.

    Called by the views of pages that show one thing and what hangs on it
    (a story, a tracker, a source), so that a change elsewhere leaves them
    cached. A page that never calls it depends on every change (`any`).
    Outside a cacheable render it does nothing.
    """
    reading = _reading.get()
    if reading is not None:
        reading.update(tags)


def entry_tags(declared):
    """The tags a page is stored with: what it declared, or `any`."""
    if not declared:
        return {ANY}
    if settings.PAGE_CACHE_INVALIDATION == "generation":
        # Today's behaviour before dependencies, kept for the benchmark's
        # side-by-side comparison: every change retires every page.
        return {ANY}
    return {*declared, ALL}


def is_fresh(sequence, tags):
    """Whether no tag has changed since a render that began at `sequence`.

    A tag the cache no longer holds (evicted) counts as changed.
    """
    versions = cache.get_many([_version_key(tag) for tag in tags])
    return len(versions) == len(tags) and max(versions.values()) <= sequence


def keep_versions(tags):
    """Give tags the cache does not hold a version, so that pages stored
    with them can be found fresh. The counter's value now, not the render's:
    a page stored with a tag it cannot know the history of is fresh only if
    no change at all happened during its render."""
    keys = [_version_key(tag) for tag in tags]
    missing = set(keys) - set(cache.get_many(keys))
    if missing:
        now = current_sequence()
        for key in missing:
            cache.add(key, now, timeout=None)


# Changing: the tags of a change, bumped once its transaction commits.


def change_tags(instance, change):
    """The tags a change to `instance` retires: its model's `cache_tags(change)`,
    or `all` for a model that does not say (or says None)."""
    tagger = getattr(instance, "cache_tags", None)
    tags = tagger(change) if tagger is not None else None
    return {ALL} if tags is None else set(tags)


def changed(tags, using=DEFAULT_DB_ALIAS):
    """Bump `tags` once the current transaction commits.

    Bumping before the commit would let a reader re-cache the old content
    under the new versions. Tags of one transaction are bumped together; a
    rolled-back transaction's tags are bumped with the next commit, which
    only costs those pages a render.
    """
    connection = connections[using]
    pending = getattr(connection, "page_cache_pending", None)
    if pending is None:
        pending = connection.page_cache_pending = set()
    pending.update(tags)
    transaction.on_commit(lambda: _flush(using), using=using, robust=True)


def _flush(using):
    connection = connections[using]
    tags, connection.page_cache_pending = connection.page_cache_pending, set()
    if tags:
        bump(tags)


def content_changed(sender, instance=None, created=False, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    if kwargs.get("raw"):
        # loaddata (an archive restored): rows arrive before the rows they
        # point to, so no model can say what it changes; everything did.
        changed({ALL}, using=kwargs.get("using") or DEFAULT_DB_ALIAS)
        return
    if kwargs.get("signal") is pre_delete:
        change = "deleted"
    elif kwargs.get("signal") in (page_unpublished, unpublished):
        change = "unpublished"
    elif kwargs.get("signal") in (page_published, published):
        change = "published"
    else:
        change = "created" if created else "saved"
    tags = {ALL} if instance is None else change_tags(instance, change)
    changed(tags, using=kwargs.get("using") or DEFAULT_DB_ALIAS)


# What a link to a page shows, and where it points: a save that changes none
# of these leaves every other page's link to it as it was.
LINK_FIELDS = ("title", "slug", "live", "url_path")


def _note_link(sender, instance, update_fields=None, **kwargs):
    """Before a page is saved, note its link as stored (link_changed)."""
    bookkeeping = update_fields and set(update_fields) <= BOOKKEEPING_FIELDS
    if kwargs.get("raw") or bookkeeping:
        return
    if instance.pk is None:
        instance._link_before = None
        return
    stored = type(instance).objects.filter(pk=instance.pk)
    instance._link_before = stored.values_list(*link_fields(instance)).first()


def link_fields(page):
    """LINK_FIELDS, and what the model's lists show beside them."""
    return (*LINK_FIELDS, *getattr(page, "cache_link_fields", ()))


def link_changed(page, change):
    """Whether `change` to `page` changes links to it elsewhere: it appeared,
    went, or has a new title or address."""
    if change not in ("saved", "published"):
        return True
    before = getattr(page, "_link_before", None)
    now = tuple(getattr(page, field) for field in link_fields(page))
    return before is None or before != now


def _moved(sender, **kwargs):
    # A move changes the addresses of a page and all below it.
    changed({ALL})


def _m2m_changed(sender, instance, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action.startswith("post_") and sender in content_models():
        changed(change_tags(instance, "membership"), using=using)


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

    Whole apps are listed in settings, so a model added to them later
    invalidates the cache without further code: every page, until its model
    names narrower tags with `cache_tags`.
    """
    for model in content_models():
        if issubclass(model, Page):
            pre_save.connect(_note_link, sender=model, dispatch_uid="page-cache")
        post_save.connect(content_changed, sender=model, dispatch_uid="page-cache")
        # Before the delete, while what the row is linked to can still be read.
        pre_delete.connect(content_changed, sender=model, dispatch_uid="page-cache")
    m2m_changed.connect(_m2m_changed, dispatch_uid="page-cache")
    # Publishing and unpublishing also touch rows through queryset updates
    # (descendants, live revisions) that send no post_save.
    for signal in (page_published, page_unpublished, published, unpublished):
        signal.connect(content_changed, dispatch_uid="page-cache")
    post_page_move.connect(_moved, dispatch_uid="page-cache")


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
        key = page_key(request) if use_cache else None
        if key is not None:
            cached = cache.get(key)
            if isinstance(cached, CachedPage) and is_fresh(
                cached.sequence, cached.tags
            ):
                response = respond(cached.stored, request)
                response["X-Cache"] = "HIT"
                return response
        # Read before the page is built: a render that started before a change
        # can only be stored older than the versions that change gives.
        sequence = current_sequence() if key is not None else None
        declared = set()
        token = _reading.set(declared)
        try:
            response = self.get_response(request)
        finally:
            _reading.reset(token)
        if not is_storable(response):
            return response
        # Browsers revalidate every time (the ETag makes that a cheap 304); a
        # CDN may keep the page for CDN_MAX_AGE, or until Wagtail purges it.
        patch_cache_control(
            response, public=True, max_age=0, s_maxage=settings.CDN_MAX_AGE
        )
        set_response_etag(response)
        if key is not None and request.method == "GET":
            # Compressed once here, in every coding, for each hit after.
            stored = compress(response)
            tags = entry_tags(declared)
            keep_versions(tags)
            cache.set(
                key, CachedPage(sequence, tags, stored), settings.PAGE_CACHE_SECONDS
            )
            if purges_cdn():
                note_address(tags, request.build_absolute_uri())
        else:
            # Not kept: compressed only in the coding this reader gets.
            stored = compress(response, preferred(request))
        response = respond(stored, request)
        response["X-Cache"] = "MISS"
        return response


@dataclass
class CachedPage:
    """A stored page, with what it depends on and when its render began."""

    sequence: int
    tags: frozenset
    stored: StoredPage


def page_key(request):
    """One entry per address, whatever the reader's headers.

    Every reader of an address gets the same page (no cookie, no language
    negotiation: is_reader_request), and encodings are chosen when served
    (core.encodings), so the key is the address alone.
    """
    url = iri_to_uri(request.build_absolute_uri())
    digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    return f"page-cache:page:{digest}"


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
