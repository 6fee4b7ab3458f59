"""A tracker's TimelineJS export, the one tracker address that is not a page route."""

from django.http import Http404, JsonResponse

from core.cors import allow_any_origin
from core.page_cache import depends_on
from trackers import timeline
from trackers.models import TrackerPage


@allow_any_origin
def tracker_timelinejs(request, slug):
    """/trackers/<slug>/timeline.json: the whole timeline for a TimelineJS 3 embed.

    A Django view rather than a route of the page, because Wagtail's page URLs
    end in a slash and this address is a file name.
    """
    tracker = TrackerPage.find_public(slug)
    if tracker is None:
        raise Http404(f"There is no published tracker called {slug!r}.")
    depends_on(*tracker.cache_dependencies())
    items = timeline.build_timeline(tracker, request=request)
    return JsonResponse(timeline.as_timelinejs(tracker, items))
