"""Admin panels of the stories app."""

from django.urls import reverse
from wagtail.admin.panels import Panel


class StoryRecordPanel(Panel):
    """At the top of a story's edit view: what its next publish adds to the record.

    It names the draft updates that go out with the next publish (with a
    box to tick before anyone else's go out too), offers "Add update /
    correction" for the story, and says so when the story has been withdrawn.
    """

    @property
    def clean_name(self):
        return super().clean_name or "story_record"

    class BoundPanel(Panel.BoundPanel):
        template_name = "stories/admin/record_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.first_published_at)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            pending = list(self.instance.pending_updates())
            user = self.request.user if self.request else None
            context.update(
                withdrawal=self.instance.withdrawal,
                pending=pending,
                others=self.instance.colleagues_pending_updates(user, pending),
                add_url=reverse("wagtailsnippets_stories_update:add")
                + f"?story={self.instance.pk}",
            )
            return context
