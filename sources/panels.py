"""Admin panels of the sources app."""

from django.urls import reverse
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


def can_redact(user):
    """Redacting is an editor's decision: it rewrites what readers were shown."""
    return user.has_perm("sources.publish_statement")


class RedactPanel(Panel):
    """A link to the Redact action, on statements and sources that the public
    record names (editors only; see sources.admin_views)."""

    @property
    def clean_name(self):
        return super().clean_name or "redact"

    class BoundPanel(Panel.BoundPanel):
        template_name = "sources/admin/redact_panel.html"

        def is_shown(self):
            instance = self.instance
            return bool(instance and instance.pk) and can_redact(self.request.user)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            kind = self.instance._meta.model_name
            context["redact_url"] = reverse(
                "sources_redact", args=[kind, self.instance.pk]
            )
            return context
