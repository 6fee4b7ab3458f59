"""Pages of the reader-facing site."""

from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from core.page_cache import CachedViewRestrictionsMixin, remember
from stories.models.story import StoryPage
from stories.models.tracker import TrackerPage, TrackerStatus

LATEST_COUNT = 10
ACTIVE_TRACKERS_COUNT = 5


class HomePage(CachedViewRestrictionsMixin, Page):
    """The site root: latest stories and active trackers."""

    intro = models.TextField(
        blank=True, help_text="One or two sentences under the masthead."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_stories"] = StoryPage.objects.for_listing()[:LATEST_COUNT]
        context["active_trackers"] = active_trackers(request)
        return context

    def route(self, request, path_components):
        """Pass through a section on the way to a page below it.

        The few sections are remembered in the shared cache, and passed through
        without loading their own fields, which only their own pages show.
        """
        if len(path_components) < 2:
            return super().route(request, path_components)
        sections = remember(
            f"sections-of-{self.pk}",
            lambda: {child.slug: child for child in self.get_children()},
        )
        section = sections.get(path_components[0])
        if section is None:
            raise Http404
        section._cached_parent_obj = self
        return section.specific_deferred.route(request, path_components[1:])


def active_trackers(request):
    """[(tracker, its latest timeline item or None)] in a fixed number of queries."""
    from stories.timeline import latest_events

    trackers = list(
        TrackerPage.objects.live()
        .public()
        .filter(status=TrackerStatus.ACTIVE)
        .order_by("-last_published_at")[:ACTIVE_TRACKERS_COUNT]
    )
    latest = latest_events(trackers, request)
    return [(tracker, latest.get(tracker.pk)) for tracker in trackers]
