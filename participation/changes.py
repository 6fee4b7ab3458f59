"""What followers hear about: recording changes to followed pages, and
describing them for the mail.

Recording happens in the publishing transaction (participation.signals calls
these from Wagtail's publish signals and the rows' own save signals), so a
change is kept exactly when what it announces is published. Only what readers
may see is recorded (core.visibility), only on pages someone has confirmed a
follow of, and each thing once (FollowedChange is unique per page, kind and
object): an amended update or a republished story is not news again.

What counts as a change:

- on a story: a newly published update, correction, clarification, editor's
  note or withdrawal (Update; amendments of its wording are not);
- on a tracker: a new timeline event, a new key figure reading, a story first
  published with the tracker among its trackers or later added to it.

`record*` return `{page_id: [new change ids]}`; the caller
(participation.follow_tasks.schedule) decides when the mail goes. `describe`
turns claimed changes into what a mail says, reading again what readers may
see at that moment.
"""

import dataclasses
import datetime

from wagtail.models import Page

from core import visibility
from core.public_urls import absolute_url
from participation.models import Follow, FollowedChange
from stories.history import with_versions
from stories.models import StoryPage, Update
from trackers.models import TimelineEvent, TrackerFigure, TrackerPage

Kind = FollowedChange.Kind
UPDATE_KINDS = frozenset(Update.Kind.values)


def record(page_id, kind, object_ids):
    """Record `kind` changes for `object_ids` on `page_id`; return the new ids.

    Nothing is recorded for a page nobody has confirmed a follow of: a
    follower hears only of what is published after they confirmed.
    """
    if not object_ids:
        return []
    if not Follow.objects.confirmed().filter(page_id=page_id).exists():
        return []
    # The page row is the lock that orders this against the sending task
    # (follow_tasks.mail_followers): each sees the other's changes whole.
    list(Page.objects.select_for_update().filter(pk=page_id).values_list("pk"))
    known = set(
        FollowedChange.objects.filter(
            page_id=page_id, kind=kind, object_id__in=object_ids
        ).values_list("object_id", flat=True)
    )
    new = [
        FollowedChange(page_id=page_id, kind=kind, object_id=object_id)
        for object_id in sorted(set(object_ids) - known)
    ]
    return [change.pk for change in FollowedChange.objects.bulk_create(new)]


def _on(page_id, ids):
    return {page_id: ids} if ids else {}


def record_update(update):
    """A story's update, the first time it is published (not an amendment)."""
    first_time = update.first_published_at is not None and (
        update.last_published_at in (None, update.first_published_at)
    )
    if not (first_time and visibility.visible(update)):
        return {}
    return _on(update.story_id, record(update.story_id, update.kind, [update.pk]))


def record_tracker_item(item, kind):
    """A timeline event or key figure reading just added to a tracker."""
    if not visibility.visible(item):
        return {}
    return _on(item.tracker_id, record(item.tracker_id, kind, [item.pk]))


def record_story_on_trackers(story_id, tracker_ids):
    """A story now on `tracker_ids`: news for those trackers' followers, if
    readers are offered the story (not withdrawn) and may see the tracker."""
    if not StoryPage.objects.listed().filter(pk=story_id).exists():
        return {}
    visible_trackers = TrackerPage.objects.visible_to_readers().filter(
        pk__in=tracker_ids
    )
    recorded = {}
    for tracker_id in visible_trackers.values_list("pk", flat=True):
        recorded.update(_on(tracker_id, record(tracker_id, Kind.STORY, [story_id])))
    return recorded


# Describing changes for the mail.


@dataclasses.dataclass
class Item:
    """One change as a follower reads it."""

    kind: str
    label: str
    title: str
    text: str
    url: str
    recorded_at: datetime.datetime
    diff_url: str = ""
    diff_label: str = ""


def _update_items(ids, recorded):
    updates = with_versions(
        Update.objects.visible_to_readers().filter(pk__in=ids).select_related("story")
    )
    items = {}
    for update in updates:
        story_url = update.story.url
        item = Item(
            kind=update.kind,
            label=update.get_kind_display(),
            title="",
            text=update.text,
            url=absolute_url(f"{story_url}#update-{update.pk}"),
            recorded_at=recorded[update.kind, update.pk],
        )
        version = update.version
        if version and version.previous_revision_id:
            item.diff_url = absolute_url(
                f"{story_url}history/{version.previous_revision_id}/"
                f"{version.revision_id}/"
            )
            item.diff_label = f"What changed in version {version.number}"
        elif version:
            item.diff_url = absolute_url(
                f"{story_url}history/#version-{version.revision_id}"
            )
            item.diff_label = f"Version {version.number}, the first published"
        items[update.kind, update.pk] = item
    return items


def _event_items(page, ids, recorded):
    items = {}
    events = TimelineEvent.objects.visible_to_readers().filter(pk__in=ids, tracker=page)
    for event in events:
        items[Kind.EVENT, event.pk] = Item(
            kind=Kind.EVENT,
            label=f"New event: {event.get_kind_display()}",
            title=event.title,
            text=event.description,
            # The timeline is paginated; ?at= leads to the page holding it.
            url=absolute_url(f"{page.url}?at=event-{event.pk}"),
            recorded_at=recorded[Kind.EVENT, event.pk],
        )
    return items


def _figure_items(page, ids, recorded):
    items = {}
    # TrackerFigure has no queryset of its own; its rule is the same.
    figures = TrackerFigure.objects.filter(
        visibility.filter_for(TrackerFigure), pk__in=ids, tracker=page
    )
    for figure in figures:
        value = f"{figure.value:,.2f}".removesuffix(".00")
        if figure.value_to is not None:
            value += f" to {figure.value_to:,.2f}".removesuffix(".00")
        text = " ".join(
            part
            for part in (
                f"{value} {figure.unit}".strip(),
                figure.period,
                f"(as of {figure.as_of_label}; source: {figure.source})",
            )
            if part
        )
        items[Kind.FIGURE, figure.pk] = Item(
            kind=Kind.FIGURE,
            label="New figure",
            title=figure.label,
            text=text,
            url=absolute_url(f"{page.url}#figures-heading"),
            recorded_at=recorded[Kind.FIGURE, figure.pk],
        )
    return items


def _story_items(ids, recorded):
    items = {}
    for story in StoryPage.objects.listed().filter(pk__in=ids):
        items[Kind.STORY, story.pk] = Item(
            kind=Kind.STORY,
            label="New story",
            title=story.title,
            text=story.dek,
            url=absolute_url(story.url),
            recorded_at=recorded[Kind.STORY, story.pk],
        )
    return items


def describe(page, changes):
    """`changes` (FollowedChange rows of `page`, a specific page) as Items,
    oldest first, leaving out whatever readers may no longer see. A bounded
    number of queries, whatever the number of changes."""
    recorded = {(c.kind, c.object_id): c.created_at for c in changes}
    ids = {}
    for change in changes:
        ids.setdefault(change.kind, []).append(change.object_id)
    update_ids = [i for kind in UPDATE_KINDS for i in ids.get(kind, ())]
    items = {}
    if update_ids:
        items.update(_update_items(update_ids, recorded))
    if ids.get(Kind.EVENT):
        items.update(_event_items(page, ids[Kind.EVENT], recorded))
    if ids.get(Kind.FIGURE):
        items.update(_figure_items(page, ids[Kind.FIGURE], recorded))
    if ids.get(Kind.STORY):
        items.update(_story_items(ids[Kind.STORY], recorded))
    return [
        items[c.kind, c.object_id] for c in changes if (c.kind, c.object_id) in items
    ]
