"""What a reader may see: every rule, written once.

Each kind of thing a reader can reach has one rule here, in two forms that say
the same thing: a filter (`story()`, `statement()`, …) that querysets apply
through their `visible_to_readers()` method, and a predicate for an object
already loaded (`visible(obj)`), for templates and nested API fields. Every
reader surface — pages, listings, feeds, the API, search, the sitemap,
timelines, the record log — asks here and nowhere else. The table of rules is
in docs/architecture.md ("What readers see"); tests/test_hidden_world.py
crawls the site for anything hidden, and checks that both forms agree.

A filter takes `prefix`, the path from the model being filtered to the thing
the rule is about ("story__", "source__"), so that a rule that depends on
another ("an update is visible when its story is") reuses it instead of
copying it.

This module imports no app (core comes first in the layers); the one rule that
needs another model's rows, a story's withdrawal, names it by its label.
"""

import contextvars

from django.apps import apps
from django.core.signals import request_started
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction

from core.page_cache import remember

# The kinds of update that take a story off listings (its address becomes a
# tombstone); stories.models.Update.Kind.WITHDRAWAL.
WITHDRAWAL = "withdrawal"

_restricted = contextvars.ContextVar("visibility_restricted", default=None)

RESTRICTIONS = {
    "pages": (PageViewRestriction, "page__path"),
    "collections": (CollectionViewRestriction, "collection__path"),
}


def _restricted_paths(kind):
    """Tree paths of the pages (or collections) under a view restriction:
    read once per request, and remembered in the shared cache until content
    changes (restrictions are content models; core.page_cache)."""
    known = _restricted.get()
    if known is None:
        known = {}
        _restricted.set(known)
    if kind not in known:
        model, field = RESTRICTIONS[kind]
        known[kind] = remember(
            f"view-restricted-{kind}",
            lambda: sorted(set(model.objects.values_list(field, flat=True))),
        )
    return known[kind]


@receiver(request_started)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=CollectionViewRestriction)
@receiver(post_delete, sender=CollectionViewRestriction)
def forget(**kwargs):
    """Read view restrictions afresh: at each request, and when one changes."""
    _restricted.set(None)


def _under(paths, path):
    return any(path.startswith(restricted) for restricted in paths)


def _not_under(paths, field):
    q = Q()
    for restricted in paths:
        q &= ~Q(**{f"{field}__startswith": restricted})
    return q


# Filters: Q objects over the model a queryset holds, reached through `prefix`.


def page(prefix=""):
    """Any page: published, and not in a section with a view restriction."""
    return Q(**{f"{prefix}live": True}) & _not_under(
        _restricted_paths("pages"), f"{prefix}path"
    )


story = tracker = page


def withdrawn(prefix=""):
    """Stories with a published withdrawal: their address is a tombstone."""
    update = apps.get_model("stories", "Update")
    return Exists(
        update.objects.filter(
            story=OuterRef(f"{prefix}pk"),
            kind=WITHDRAWAL,
            live=True,
            first_published_at__isnull=False,
        )
    )


def listed_story(prefix=""):
    """A story that lists, feeds, search and the sitemap offer: visible and
    not withdrawn. A withdrawn story's tombstone, history and updates stay."""
    return story(prefix) & ~withdrawn(prefix)


def update(prefix=""):
    """An update, correction or withdrawal: published, on a visible story."""
    return Q(
        **{f"{prefix}live": True, f"{prefix}first_published_at__isnull": False}
    ) & story(f"{prefix}story__")


def source(prefix=""):
    """A source: published and not confidential."""
    return Q(**{f"{prefix}live": True, f"{prefix}is_confidential": False})


def statement(prefix=""):
    """A statement: published, on the record, by a visible source."""
    return Q(**{f"{prefix}live": True, f"{prefix}on_the_record": True}) & source(
        f"{prefix}source__"
    )


def request_for_comment(prefix=""):
    """A request for comment: published, marked public, to a visible source.
    Its story is named only while that story is visible (`visible()`)."""
    return Q(**{f"{prefix}live": True, f"{prefix}is_public": True}) & source(
        f"{prefix}source__"
    )


def event(prefix=""):
    """A tracker's event or figure: on a visible tracker. Its links follow
    their own rules (`visible()` on each)."""
    return tracker(f"{prefix}tracker__")


figure = event


def author(prefix=""):
    """An author: on the byline of a listed story."""
    return Q(
        Exists(
            apps.get_model("stories", "StoryPageAuthor").objects.filter(
                Q(author=OuterRef(f"{prefix}pk")) & listed_story("page__")
            )
        )
    )


def tag(prefix=""):
    """A tag: carried by a listed story. A tag only drafts carry is unknown."""
    return Q(
        Exists(
            apps.get_model("stories", "StoryPageTag").objects.filter(
                Q(tag=OuterRef(f"{prefix}pk")) & listed_story("content_object__")
            )
        )
    )


def media(prefix=""):
    """A document or image: in a collection with no view restriction."""
    return _not_under(_restricted_paths("collections"), f"{prefix}collection__path")


def snapshot(prefix=""):
    """A snapshot of the record: about no story (a statement, a request), or
    about a visible one."""
    return Q(**{f"{prefix}story__isnull": True}) | story(f"{prefix}story__")


def record_entry(prefix=""):
    """A log entry shown in full: its snapshot is visible. The others are
    listed without what they name (stories.models.record), so the chain of
    hashes stays whole."""
    return snapshot(f"{prefix}snapshot__")


FILTERS = {
    "stories.StoryPage": story,
    "stories.Update": update,
    "stories.Author": author,
    "stories.RecordEntry": record_entry,
    "stories.Snapshot": snapshot,
    "trackers.TrackerPage": tracker,
    "trackers.TimelineEvent": event,
    "trackers.TrackerFigure": figure,
    "sources.Source": source,
    "sources.Statement": statement,
    "sources.RequestForComment": request_for_comment,
    "taggit.Tag": tag,
    "wagtaildocs.Document": media,
    "wagtailimages.Image": media,
}


def filter_for(model, prefix=""):
    """The filter of `model`'s rule."""
    return FILTERS[model._meta.label](prefix)


class VisibleQuerySetMixin:
    """`Model.objects.visible_to_readers()`: the rows a reader may see."""

    def visible_to_readers(self):
        return self.filter(filter_for(self.model))


class VisibleMixin:
    """`obj.visible_to_readers`: the same rule for one loaded object."""

    @property
    def visible_to_readers(self):
        return visible(self)


# Predicates: the same rules for an object already loaded.


def _page_visible(obj):
    return bool(obj.live) and not _under(_restricted_paths("pages"), obj.path)


def _story_visible(obj):
    return _page_visible(obj)


def _update_visible(obj):
    return (
        bool(obj.live)
        and obj.first_published_at is not None
        and _story_visible(obj.story)
    )


def _source_visible(obj):
    return bool(obj.live) and not obj.is_confidential


def _statement_visible(obj):
    return bool(obj.live and obj.on_the_record) and _source_visible(obj.source)


def _request_visible(obj):
    return bool(obj.live and obj.is_public) and _source_visible(obj.source)


def _event_visible(obj):
    return _page_visible(obj.tracker)


def _media_visible(obj):
    return not _under(_restricted_paths("collections"), obj.collection.path)


PREDICATES = {
    "stories.StoryPage": _story_visible,
    "stories.Update": _update_visible,
    "trackers.TrackerPage": _page_visible,
    "trackers.TimelineEvent": _event_visible,
    "trackers.TrackerFigure": _event_visible,
    "sources.Source": _source_visible,
    "sources.Statement": _statement_visible,
    "sources.RequestForComment": _request_visible,
    "wagtaildocs.Document": _media_visible,
    "wagtailimages.Image": _media_visible,
}


def visible(obj):
    """Whether a reader may see `obj` (None: no). Pages without a rule of
    their own follow the page rule."""
    if obj is None:
        return False
    predicate = PREDICATES.get(obj._meta.label)
    if predicate is None:
        if isinstance(obj, Page):
            return _page_visible(obj)
        raise LookupError(f"No reader rule for {obj._meta.label}.")
    return predicate(obj)
