"""Pages of the reader-facing site."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from stories.models.story import StoryPage

LATEST_COUNT = 10


class HomePage(Page):
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
        return context
