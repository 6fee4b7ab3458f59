"""The tracker page's routes, declared on `TrackerPage` and answered here."""

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from trackers import timeline
from trackers.feeds import TrackerTimelineAtomFeed, TrackerTimelineFeed


def tracker(request, page):
    """The tracker with one page of its timeline.

    A bad `?kind=`, `?order=` or `?page=` is answered with a 4xx page that
    says what was wrong; `?at=<anchor>` redirects to the page holding that
    event, so a permalink keeps working however long the timeline grows.
    """
    try:
        query = timeline.TimelineQuery.from_params(request.GET)
        items = timeline.build_timeline(page, query, request=request)
        if query.at:
            return HttpResponseRedirect(
                timeline.permalink_target(items, query, request.path)
            )
        window = timeline.paginate_items(items, query.page)
    except timeline.TimelineError as error:
        return TemplateResponse(
            request,
            "trackers/tracker_bad_request.html",
            {"page": page, "message": str(error)},
            status=error.status,
        )
    base = query.params(page=1)
    return page.render(
        request,
        context_overrides={
            "timeline": window,
            "query": query,
            "kind_choices": timeline.KIND_CHOICES,
            "permalink_prefix": f"?{base}&at=" if base else "?at=",
        },
    )


def feed(request, page):
    return TrackerTimelineFeed()(request, tracker=page)


def feed_atom(request, page):
    return TrackerTimelineAtomFeed()(request, tracker=page)
