"""Admin panels of the sources app."""

from wagtail.admin.panels import Panel

from sources.admin_urls import add_request_url


class LogRequestForCommentPanel(Panel):
    """A link on a source's edit form that opens a request for comment to it."""

    @property
    def clean_name(self):
        return super().clean_name or "log_request_for_comment"

    class BoundPanel(Panel.BoundPanel):
        template_name = "sources/admin/log_request_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["add_url"] = add_request_url(source=self.instance)
            context["requests"] = self.instance.requests_for_comment.order_by(
                "-asked_at"
            )[:5]
            return context
