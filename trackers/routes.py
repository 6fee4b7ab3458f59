"""The tracker page's routes, declared on `TrackerPage` and answered here."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override

from core.public_urls import absolute_url
from trackers import charts, timeline
from trackers.feeds import TrackerTimelineAtomFeed, TrackerTimelineFeed

# The embed is meant to be framed by any site; everything else keeps the
# reader policy's `frame-ancestors 'self'` and X-Frame-Options DENY.
EMBED_CSP = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}
# The embed draws at most this many of the latest events (its size is a partner's page).
EMBED_EVENTS = 50


def tracker(request, page):
    """The tracker with one page of its timeline.

    A bad `?kind=`, `?order=` or `?page=` is answered with a 4xx page that
    says what was wrong; `?at=<anchor>` redirects to the page holding that
    event, so a permalink keeps working however long the timeline grows.
    """
    try:
        query = timeline.TimelineQuery.from_params(request.GET)
        if query.at:
            return HttpResponseRedirect(
                timeline.permalink_target(page, query, request.path)
            )
        window = timeline.timeline_page(page, query, request=request)
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
            # The page's own events, each mark leading to it in the list.
            "visual": charts.timeline_chart(
                window.object_list,
                timeline.KIND_CHOICES,
                lambda item: f"#{item.anchor}",
            ),
            "figures": figure_series(page),
            "embed_url": absolute_url(page.url + page.reverse_subpage("embed")),
        },
    )


def figure_series(page):
    """(label, readings, chart or None) for each key figure."""
    return [
        (label, readings, charts.figure_chart(label, readings))
        for label, readings in page.figures_by_label()
    ]


@xframe_options_exempt
@csp_override(EMBED_CSP)
def embed(request, page):
    """The visual timeline alone, for other sites to frame.

    The latest EMBED_EVENTS events, every kind, oldest first: each mark leads
    to the event's permalink on the tracker page, which finds the page holding
    it. The cap keeps the drawing a size a partner's page can hold, however
    long the tracker runs.
    """
    items = timeline.latest_items(page, EMBED_EVENTS, request=request)[::-1]
    tracker_url = absolute_url(page.url)
    return TemplateResponse(
        request,
        "trackers/tracker_embed.html",
        {
            "page": page,
            "tracker_url": tracker_url,
            "embed_events": EMBED_EVENTS,
            "visual": charts.timeline_chart(
                items,
                timeline.KIND_CHOICES,
                lambda item: f"{tracker_url}?at={item.anchor}",
            ),
        },
    )


def feed(request, page):
    return TrackerTimelineFeed()(request, tracker=page)


def feed_atom(request, page):
    return TrackerTimelineAtomFeed()(request, tracker=page)
