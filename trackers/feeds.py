"""A tracker's timeline as RSS 2.0 with an Atom twin, at /trackers/<slug>/feed/.

The feeds are routes of `TrackerPage` (trackers.routes), so they follow the
tracker wherever its page lives.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings

from core.feeds import FEED_LENGTH, NewsroomFeed, atom_twin
from trackers import timeline
from trackers.models import TrackerPage


class TrackerTimelineFeed(NewsroomFeed):
    """A tracker's merged timeline, newest event first.

    An item's date is the event's own date (to its known precision, the start
    of that period), not the day we wrote it down; its link is the event's
    permalink, which finds the timeline page holding it.
    """

    description = "Events on the timeline of an issue we follow, newest first."

    def get_object(self, request, tracker):
        # A route of the tracker page: Wagtail has already checked that the
        # page is live and that this reader may see it.
        return tracker

    def title(self, tracker):
        return f"{settings.WAGTAIL_SITE_NAME}: {tracker.title}"

    def link(self, tracker):
        return tracker.get_full_url(self.request)

    def items(self, tracker):
        items = timeline.latest_items(tracker, FEED_LENGTH, request=self.request)
        # The feed instance serves every request, so each item carries its
        # tracker rather than the feed remembering it.
        return [TrackerEvent(tracker, item) for item in items]

    def item_title(self, event):
        return f"{event.item.kind_label}: {event.item.headline}"

    def item_description(self, event):
        return "\n\n".join(
            part for part in [event.item.detail, event.item.text] if part
        )

    def item_link(self, event):
        return f"{event.tracker.get_full_url(self.request)}?at={event.item.anchor}"

    def item_stable_key(self, event):
        # Anchors are unique within a tracker and never reused; the tracker's
        # translation key makes them unique across trackers.
        return uuid.uuid5(event.tracker.translation_key, event.item.anchor)

    def item_pubdate(self, event):
        return event.item.when.start

    def item_categories(self, event):
        return [event.item.kind_label]


@dataclass(frozen=True)
class TrackerEvent:
    tracker: TrackerPage
    item: timeline.TimelineItem


TrackerTimelineAtomFeed = atom_twin(TrackerTimelineFeed)
