"""The site root: the home page with the latest stories, corrections,
statements and active trackers."""

from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from core.internals import set_parent
from core.page_cache import CachedViewRestrictionsMixin, remember
from core.revisions import FrozenPublishedRevisionsMixin
from core.routing import route


class HomePage(FrozenPublishedRevisionsMixin, CachedViewRestrictionsMixin, Page):
    """The site root: latest stories, corrections, statements, active trackers."""

    intro = models.TextField(
        blank=True, help_text="One or two sentences under the masthead."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        db_table = "stories_homepage"  # kept from before the app moved

    def serve(self, request, *args, **kwargs):
        """Latest stories, corrections, statements, active trackers (home.routes)."""
        return route("home.routes.home", request, self)

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
        set_parent(section, self)
        return section.specific_deferred.route(request, path_components[1:])
