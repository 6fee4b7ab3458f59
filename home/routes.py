"""The home page, declared by `HomePage.serve` and answered here."""

from django.template.response import TemplateResponse

from core.page_cache import STATEMENTS, STORIES, TRACKERS, UPDATES, depends_on
from sources.models import Statement
from stories.models import StoryPage, Update
from trackers.models import TrackerPage, TrackerStatus
from trackers.timeline import latest_events

LATEST_COUNT = 10
ACTIVE_TRACKERS_COUNT = 5
LATEST_UPDATES_COUNT = 5
LATEST_STATEMENTS_COUNT = 5


def home(request, page):
    context = page.get_context(request)
    trackers = active_trackers(request)
    # Every list on it, and the timelines of the trackers it shows.
    depends_on(
        STORIES,
        UPDATES,
        STATEMENTS,
        TRACKERS,
        *(f"timeline:{tracker.pk}" for tracker, _latest in trackers),
    )
    context["latest_stories"] = StoryPage.objects.for_listing()[:LATEST_COUNT]
    context["active_trackers"] = trackers
    context["latest_updates"] = Update.objects.for_log()[:LATEST_UPDATES_COUNT]
    context["latest_statements"] = (
        Statement.objects.visible_to_readers()
        .select_related("source")
        .order_by("-said_at", "-pk")[:LATEST_STATEMENTS_COUNT]
    )
    return TemplateResponse(request, page.get_template(request), context)


def active_trackers(request):
    """[(tracker, its latest timeline item or None)] in a fixed number of queries."""
    trackers = list(
        TrackerPage.objects.visible_to_readers()
        .filter(status=TrackerStatus.ACTIVE)
        .order_by("-last_published_at")[:ACTIVE_TRACKERS_COUNT]
    )
    latest = latest_events(trackers, request)
    return [(tracker, latest.get(tracker.pk)) for tracker in trackers]
