"""A story's routes, declared on `StoryPage` and answered here: the story (or
its tombstone), its updates feed, its public history and the diff between two
published versions."""

from django.db.models import Max, prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponseGone, JsonResponse
from django.template.response import TemplateResponse

from core.page_cache import depends_on
from core.visibility import visible
from stories.diff import diff_story
from stories.feeds import StoryUpdatesAtomFeed, StoryUpdatesFeed
from stories.history import find_versions, published_versions
from stories.models import RecordEntry, StoryPage, Update
from stories.models.record import latest_entry_for_story, public_url, story_path
from stories.models.story import STORY_PAGE_IMAGE_SPECS, lead_image_renditions


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
    # Read through the page (a preview's draft holds its trackers in memory),
    # and kept only where readers may see them.
    trackers = sorted(
        (tracker for tracker in page.trackers.all() if visible(tracker)),
        key=lambda tracker: tracker.title,
    )
    # Loaded once for the tag list, the JSON-LD and Open Graph (which find
    # them prefetched), and the lead image's renditions for the page and its
    # previews, from the database rather than a cache read and write each.
    prefetch_related_objects(
        [page], "tags", lead_image_renditions(STORY_PAGE_IMAGE_SPECS)
    )
    tags = list(page.tags.all())
    # Related coverage: a story tagged or tracked like this one appearing,
    # going or being renamed (StoryPage.listed_in) changes it.
    depends_on(
        *(f"tag:{tag.pk}" for tag in tags),
        *(f"tracker-stories:{tracker.pk}" for tracker in trackers),
    )
    return page.render(
        request,
        context_overrides={
            "updates": updates,
            "latest_update": updates[0] if updates else None,
            "record_entry": latest_entry_for_story(page),
            "trackers": trackers,
            "tags": tags,
            "related_stories": StoryPage.objects.related_to(page, trackers, tags),
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
        context_overrides={
            "versions": versions[::-1],
            "latest": versions[-1],
            "record_entry": latest_entry_for_story(page),
        },
        template="stories/story_history.html",
    )


def history_json(request, page):
    """The versions as data: what a verifier or an archive reads first."""
    versions = published_versions(page)
    if not versions:
        raise Http404("This story has no published versions.")
    snapshots = [version.snapshot for version in versions]
    snapshots += [w.snapshot for v in versions for u in v.updates for w in u.wordings]
    seqs = dict(
        RecordEntry.objects.filter(snapshot__in=snapshots)
        .values("snapshot")
        .annotate(seq=Max("seq"))
        .values_list("snapshot", "seq")
    )
    return JsonResponse(
        {
            "story": public_url(story_path(page)),
            "versions": [_version_data(v, seqs) for v in versions],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _snapshot_data(snapshot, seqs):
    return {
        "snapshot_url": snapshot.url,
        "content_sha256": snapshot.content_sha256,
        "seq": seqs.get(snapshot.pk),
    }


def _version_data(version, seqs):
    return {
        "number": version.number,
        "published_at": version.published_at.isoformat(),
        "minor": version.minor,
        **_snapshot_data(version.snapshot, seqs),
        "updates": [
            {
                "kind": update.kind,
                "wordings": [
                    {
                        "published_at": wording.published_at.isoformat(),
                        **_snapshot_data(wording.snapshot, seqs),
                    }
                    for wording in update.wordings
                ],
            }
            for update in version.updates
        ],
    }


def version_json(request, page, number):
    snapshot = page.snapshots.filter(
        kind="story_version", object_id=str(page.pk), number=number
    ).first()
    if snapshot is None:
        raise Http404("This story has no published version with that number.")
    return HttpResponse(snapshot.content, content_type="application/json")


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
