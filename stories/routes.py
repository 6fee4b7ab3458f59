"""A story's routes, declared on `StoryPage` and answered here: the story (or
its tombstone), its updates feed, its public history and the diff between two
published versions."""

from django.http import Http404, HttpResponseGone
from django.template.response import TemplateResponse

from stories.diff import diff_story
from stories.feeds import StoryUpdatesAtomFeed, StoryUpdatesFeed
from stories.history import find_versions, published_versions
from stories.models import Update


def story(request, page):
    """The story with its update box, or its tombstone once withdrawn."""
    updates = list(Update.objects.for_story(page))
    withdrawals = [u for u in updates if u.kind == Update.Kind.WITHDRAWAL]
    if withdrawals:
        return TemplateResponse(
            request,
            "stories/story_withdrawn.html",
            {"page": page, "withdrawal": withdrawals[-1], "updates": updates},
            status=410,
        )
    return page.render(
        request,
        context_overrides={
            "updates": updates,
            "latest_update": updates[0] if updates else None,
        },
    )


def feed(request, page):
    """This story's updates as RSS 2.0, for a reader following it."""
    return _updates_feed(request, page, StoryUpdatesFeed)


def feed_atom(request, page):
    return _updates_feed(request, page, StoryUpdatesAtomFeed)


def _updates_feed(request, page, feed_class):
    # A withdrawn story's address is a tombstone; its feed is gone too.
    # (An unpublished story never reaches its routes: Wagtail answers 404.)
    if page.withdrawal:
        return HttpResponseGone("This story was withdrawn.")
    return feed_class()(request, story=page)


def history(request, page):
    versions = published_versions(page)
    if not versions:
        raise Http404("This story has no published versions.")
    return page.render(
        request,
        context_overrides={"versions": versions[::-1], "latest": versions[-1]},
        template="stories/story_history.html",
    )


def compare(request, page, old, new):
    found = find_versions(published_versions(page), old, new)
    if found is None:
        raise Http404("Both versions must be published versions of this story.")
    old_version, new_version = found
    return page.render(
        request,
        context_overrides={
            "old": old_version,
            "new": new_version,
            "diff": diff_story(old_version.text, new_version.text),
        },
        template="stories/story_diff.html",
    )
