"""The reader-report inbox: CorrectionRequest as a snippet, in the main menu.

Reports come only from readers (participation.report_views): nobody adds one
in the admin, whatever their permissions. Reporters read reports and add
notes; editors (decide_correctionrequest) set the status and what resolved it
(participation.forms.CorrectionRequestAdminForm). The listing shows open
reports first, oldest first, so the one waiting longest is on top.
"""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from participation.forms import CorrectionRequestAdminForm
from participation.models import CorrectionRequest

EXCERPT_LENGTH = 80


class CorrectionRequestPermissionPolicy(ModelPermissionPolicy):
    """The model's permissions, except that no one adds (or copies) a report."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action != "add"]
        if not actions:
            return super().users_with_any_permission(actions).none()
        return super().users_with_any_permission(actions)


class CorrectionRequestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        choices=CorrectionRequest.Status.choices, label="Status"
    )
    is_open = django_filters.BooleanFilter(
        label="Open (new or investigating)", method="filter_open"
    )

    class Meta:
        model = CorrectionRequest
        fields = ["status"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.resolved()


class CorrectionRequestIndexView(IndexView):
    # No column chosen: open reports first, then oldest first.
    default_ordering = None

    @cached_property
    def columns(self):
        columns = super().columns
        columns[0].label = "What is wrong"
        return columns

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("page")

    def order_queryset(self, queryset):
        if self.ordering:
            return super().order_queryset(queryset)
        return queryset.annotate(
            resolved=Case(
                When(status__in=CorrectionRequest.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("resolved", "received_at", "pk")


class StatusColumn(StatusTagColumn):
    """The status as a tag, marked as the primary colour while open."""

    def __init__(self):
        super().__init__(
            "get_status_display",
            label="Status",
            sort_key="status",
            primary=lambda report: report.is_open,
        )


class ReaderReportsMenuItem(MenuItem):
    """ "Reader reports", with the number still open (one count per admin page)."""

    def render_component(self, request):
        count = CorrectionRequest.objects.open().count()
        label = f"{self.label} ({count})" if count else self.label
        return LinkMenuItem(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class CorrectionRequestViewSet(SnippetViewSet):
    model = CorrectionRequest
    icon = "warning"
    menu_label = "Reader reports"
    menu_name = "reader-reports"
    menu_order = 205
    add_to_admin_menu = True
    index_view_class = CorrectionRequestIndexView
    filterset_class = CorrectionRequestFilterSet
    copy_view_enabled = False
    list_per_page = 50
    # The excerpt first: Wagtail links the first column to the report.
    list_display = [
        "__str__",
        DateColumn("received_at", label="Received", sort_key="received_at"),
        Column("page", label="Page", accessor="page"),
        StatusColumn(),
    ]
    # The reader's words and address stay out of exports: a spreadsheet
    # travels further than the admin does.
    list_export = ["pk", "received_at", "page", "page_url", "status", "resolved_at"]
    export_filename = "reader-reports"

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("page", read_only=True),
                            FieldPanel("received_at", read_only=True),
                        ]
                    ),
                    FieldPanel("what_is_wrong", read_only=True),
                    FieldPanel("where", read_only=True),
                    FieldRowPanel(
                        [
                            FieldPanel("name", read_only=True),
                            FieldPanel("email", read_only=True),
                            FieldPanel("wants_outcome", read_only=True),
                        ]
                    ),
                ],
                heading="The reader's report (private: never published)",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("status"),
                    FieldPanel("correction", widget=forms.Select),
                    FieldPanel("duplicate_of", widget=forms.Select),
                    FieldPanel("reason"),
                ],
                heading="Decision (editors)",
                help_text=(
                    "Corrected needs the published correction, clarification or "
                    "update of the story; declined needs a reason, which the "
                    "reader is sent; duplicate needs the earlier report."
                ),
            ),
            InlinePanel("notes", heading="Notes", label="note"),
        ],
        base_form_class=CorrectionRequestAdminForm,
    )

    @property
    def menu_item_class(self):
        viewset = self

        class Item(ReaderReportsMenuItem):
            def is_shown(self, request):
                return viewset.permission_policy.user_has_any_permission(
                    request.user, ["view", "change", "delete"]
                )

        return Item


register_permission_policy(
    CorrectionRequest, CorrectionRequestPermissionPolicy(CorrectionRequest)
)
register_snippet(CorrectionRequestViewSet)
