"""Pages of the reader-facing site."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The site root: latest stories and active trackers."""

    intro = models.TextField(
        blank=True, help_text="One or two sentences under the masthead."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
