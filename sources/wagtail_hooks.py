"""Admin for the sources app: snippet viewsets, quick links and the dashboard panel."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from sources import admin_views
from sources.admin_urls import PREFILL_PARAMS, add_request_url
from sources.models import RequestForComment, Source, Statement
from stories.models import StoryPage

OVERDUE_SHOWN = 20


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "user"
    # Status says which sources readers see: "draft" never published, "live +
    # draft" a change waiting for an editor.
    list_display = ["name", "kind", "role", "organisation", LiveStatusTagColumn()]
    list_filter = ["kind", "organisation", "is_confidential", "live"]
    list_per_page = 50


class StatementViewSet(SnippetViewSet):
    model = Statement
    icon = "openquote"
    list_display = ["__str__", "channel", "said_at"]
    list_filter = ["source", "channel", "on_the_record", "live"]
    list_per_page = 50
    # CSV and XLSX from the listing, for staff who may view statements.
    list_export = [
        "pk",
        "source",
        "said_at",
        "precision",
        "channel",
        "quote",
        "summary",
        "original_url",
        "on_the_record",
        "live",
        "first_published_at",
    ]
    export_filename = "statements"


class RequestForCommentCreateView(CreateView):
    """Opens with the source, story or referral given in the query string chosen."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or self.model()
        for name in PREFILL_PARAMS:
            value = self.request.GET.get(name, "")
            if value.isascii() and value.isdigit():
                setattr(instance, f"{name}_id", int(value))
        if instance.follow_up_of_id and not instance.source_id:
            referral = RequestForComment.objects.filter(pk=instance.follow_up_of_id)
            instance.source_id = referral.values_list("referred_to", flat=True).first()
        instance.asked_by = self.request.user
        return instance


class RequestForCommentViewSet(SnippetViewSet):
    model = RequestForComment
    icon = "mail"
    add_view_class = RequestForCommentCreateView
    list_display = ["source", "asked_at", "outcome", "deadline", "story"]
    list_filter = ["outcome", "channel", "source", "is_public"]
    list_per_page = 50
    # Internal notes stay out of exports: a spreadsheet travels further than
    # the admin does.
    list_export = [
        "pk",
        "source",
        "story",
        "asked_at",
        "channel",
        "deadline",
        "outcome",
        "answered_at",
        "referred_to",
        "public_summary",
        "is_public",
    ]
    export_filename = "requests-for-comment"


class SourcesViewSetGroup(SnippetViewSetGroup):
    items = (SourceViewSet, StatementViewSet, RequestForCommentViewSet)
    menu_icon = "user"
    menu_label = "Sources"
    menu_name = "sources"
    menu_order = 210


register_snippet(SourcesViewSetGroup)


@hooks.register("register_page_header_buttons")
def log_request_from_story(page, user, next_url=None, view_name=None):
    """A story's edit view links to a request-for-comment form for that story."""
    if not isinstance(page.specific_deferred, StoryPage):
        return []
    if not user.has_perm("sources.add_requestforcomment"):
        return []
    return [
        Button(
            "Log a request for comment",
            url=add_request_url(story=page),
            icon_name="mail",
            priority=60,
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def log_request_from_source_listing(snippet, user, next_url=None):
    if not isinstance(snippet, Source):
        return []
    if not user.has_perm("sources.add_requestforcomment"):
        return []
    return [
        Button(
            "Log a request for comment",
            url=add_request_url(source=snippet),
            icon_name="mail",
            priority=60,
        )
    ]


class OverdueRequestsPanel(Component):
    """Dashboard: pending requests for comment whose deadline has passed."""

    name = "overdue_requests_for_comment"
    template_name = "sources/admin/overdue_panel.html"
    order = 90

    def get_context_data(self, parent_context=None):
        requests = (
            RequestForComment.objects.overdue()
            .select_related("source", "story")
            .order_by("deadline")
        )
        return {"requests": requests[:OVERDUE_SHOWN]}


@hooks.register("construct_homepage_panels")
def add_overdue_requests_panel(request, panels):
    if request.user.has_perm("sources.view_requestforcomment"):
        panels.append(OverdueRequestsPanel())


QUOTED_DELETE_REFUSED = (
    "{what} is quoted or cited by a published version of a story, so it stays "
    "on the record and cannot be deleted."
)


def _quoted(objects):
    """The first statement or source among `objects` that a published version
    quotes or cites (a source also through its statements), or None."""
    for obj in objects:
        if isinstance(obj, Statement) and obj.citations.exists():
            return obj
        if isinstance(obj, Source) and (
            obj.citations.exists()
            or Statement.objects.filter(source=obj, citations__isnull=False).exists()
        ):
            return obj
    return None


def _refuse_deleting_quoted(request, objects):
    quoted = _quoted(objects)
    if quoted is None:
        return None
    messages.error(request, QUOTED_DELETE_REFUSED.format(what=f"“{quoted}”"))
    viewset = "statement" if isinstance(quoted, Statement) else "source"
    return redirect(f"wagtailsnippets_sources_{viewset}:list")


@hooks.register("before_delete_snippet")
def refuse_deleting_quoted_statements_and_sources(request, instances):
    return _refuse_deleting_quoted(request, instances)


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_quoted(request, action_type, objects, action_class):
    if action_type != "delete":
        return None
    return _refuse_deleting_quoted(request, objects)


@hooks.register("register_admin_urls")
def redact_urls():
    return [
        path(
            "sources/redact/<str:kind>/<int:pk>/",
            admin_views.redact,
            name="sources_redact",
        )
    ]
