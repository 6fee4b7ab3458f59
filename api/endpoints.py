"""The public API's endpoints, on Wagtail's API v2.

Each endpoint starts from the reader queryset its app already defines
(`StoryPage.objects.for_listing()`, `Source.objects.for_listing()`,
`Statement.objects.for_display()`, `RequestForComment.objects.for_display()`),
lists its fields explicitly — private fields are simply never named — and
declares its filters in `query_filters`.
"""

from django.db.models import Prefetch
from django.urls import path, register_converter
from django.urls.converters import IntConverter
from rest_framework.fields import BooleanField, CharField
from rest_framework.renderers import JSONRenderer
from taggit.models import Tag
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet

from api.fields import (
    AuthorsField,
    ChoiceLabelField,
    EventsField,
    FiguresField,
    HtmlUrlField,
    LeadImageField,
    PublicObjectField,
    TagNamesField,
    TimelineField,
    UpdatesField,
)
from api.filters import (
    Choice,
    DateRange,
    DeclaredFilters,
    Ordering,
    PublicObject,
    Slug,
)
from api.pagination import Pagination
from core import visibility
from sources.citations import citing_stories
from sources.models import (
    Outcome,
    RequestForComment,
    Source,
    SourceKind,
    Statement,
    StatementChannel,
)
from stories.models import StoryPage, Update
from trackers.models import TrackerPage, TrackerStatus


def public_trackers():
    return TrackerPage.objects.visible_to_readers()


def tracker_filter(narrow, what):
    """`tracker=<id>`: the same filter on stories, statements and requests."""
    return PublicObject(
        "tracker",
        public_trackers,
        narrow,
        f"Only {what} linked to this tracker (its id).",
    )


class ObjectId(IntConverter):
    """An id that fits a database integer: longer ones match no URL, so a 404.

    Past 18 digits SQLite cannot even take the number as a parameter.
    """

    regex = "[0-9]{1,18}"


register_converter(ObjectId, "object_id")


class ReadOnlyEndpoint:
    """What every public endpoint shares: JSON only, strict parameters, GET only.

    Wagtail routes only GET (and so HEAD and OPTIONS) to these views, so any
    write is a 405.
    """

    renderer_classes = [JSONRenderer]
    # Anonymous and read-only: no sessions, so no CSRF or login to describe.
    authentication_classes = []
    filter_backends = [DeclaredFilters, Ordering]
    pagination_class = Pagination
    # The OpenAPI description uses api.schema.EndpointSchema, named in settings
    # (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS), since it reads this router.
    known_query_parameters = frozenset(
        ["limit", "offset", "fields", "order", "rich_text_format"]
    )
    query_filters = []

    def check_query_parameters(self, queryset=None):
        """Unknown parameters are a 400: a typo must not silently return everything."""
        allowed = set(self.known_query_parameters).union(
            *(query_filter.parameters for query_filter in self.query_filters)
        )
        unknown = set(self.request.GET) - allowed
        if unknown:
            raise BadRequestError(
                f"unknown query parameter: {', '.join(sorted(unknown))}; "
                f"this endpoint takes: {', '.join(sorted(allowed))}"
            )

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            # Describing the API: no request to read `?fields=` or an object from.
            detail = self.action == "detail_view"
            serializer_class = self._get_serializer_class(
                api_router, self.model, [], show_details=detail
            )
            # One component per shape: a listing item shows fewer fields.
            name = f"{self.model.__name__}{'' if detail else 'Summary'}Serializer"
            return type(name, (serializer_class,), {})
        return super().get_serializer_class()

    def detail_view(self, request, pk):
        self.check_query_parameters()
        return super().detail_view(request, pk)

    @classmethod
    def get_urlpatterns(cls):
        return [
            path("", cls.as_view({"get": "listing_view"}), name="listing"),
            path(
                "<object_id:pk>/",
                cls.as_view({"get": "detail_view"}),
                name="detail",
            ),
        ]


class StoriesEndpoint(ReadOnlyEndpoint, PagesAPIViewSet):
    """Published stories, newest first."""

    model = StoryPage
    body_fields = [
        *PagesAPIViewSet.body_fields,
        "dek",
        APIField("authors", serializer=AuthorsField()),
        APIField("tags", serializer=TagNamesField()),
        APIField("lead_image", serializer=LeadImageField()),
        "body",
        APIField("updates", serializer=UpdatesField(source="published_updates")),
    ]
    meta_fields = [*PagesAPIViewSet.meta_fields, "last_published_at"]
    listing_default_fields = [
        *PagesAPIViewSet.listing_default_fields,
        "last_published_at",
        "dek",
        "authors",
        "tags",
        "lead_image",
    ]
    query_filters = [
        Slug(
            "tag",
            lambda: Tag.objects.filter(visibility.tag()),
            lambda stories, tag: stories.filter(tags=tag),
            "Only stories with this tag (its slug).",
        ),
        PublicObject(
            "source",
            Source.objects.visible_to_readers,
            lambda stories, source: stories.filter(
                pk__in=citing_stories(source).values("pk")
            ),
            "Only stories that cite this source or quote its statements (its id).",
        ),
        tracker_filter(
            lambda stories, tracker: stories.filter(trackers=tracker), "stories"
        ),
        DateRange("published", "first_published_at", "stories first published"),
    ]

    def get_queryset(self):
        return (
            StoryPage.objects.for_listing()
            .select_related("locale")
            .prefetch_related(
                "tags",
                Prefetch(
                    "updates",
                    queryset=Update.objects.published().order_by(
                        "-first_published_at", "-pk"
                    ),
                    to_attr="published_updates",
                ),
            )
        )


class TrackersEndpoint(ReadOnlyEndpoint, PagesAPIViewSet):
    """Published trackers with key figures and events; the detail view adds the
    merged timeline (see TimelineField for its cap)."""

    model = TrackerPage
    body_fields = [
        *PagesAPIViewSet.body_fields,
        "summary",
        "status",
        APIField("status_label", serializer=ChoiceLabelField("status")),
        APIField("figures", serializer=FiguresField()),
        APIField("events", serializer=EventsField()),
        APIField("timeline", serializer=TimelineField()),
    ]
    meta_fields = [*PagesAPIViewSet.meta_fields, "last_published_at"]
    detail_only_fields = [*PagesAPIViewSet.detail_only_fields, "timeline"]
    listing_default_fields = [
        *PagesAPIViewSet.listing_default_fields,
        "summary",
        "status",
    ]
    query_filters = [
        Choice(
            "status", "status", TrackerStatus.choices, "Only trackers with this status."
        ),
    ]

    def get_queryset(self):
        return (
            public_trackers()
            .select_related("locale")
            .prefetch_related("figures", "events")
            .order_by("status", "title")
        )


class SourcesEndpoint(ReadOnlyEndpoint, BaseAPIViewSet):
    """Sources readers may see, with their public fields only."""

    model = Source
    body_fields = [
        "id",
        "name",
        "slug",
        "kind",
        APIField("kind_label", serializer=ChoiceLabelField("kind")),
        "role",
        APIField(
            "organisation",
            serializer=PublicObjectField(label="name"),
        ),
        "description",
        "public_phone",
        "public_email",
        "public_url",
        APIField("html_url", serializer=HtmlUrlField()),
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "name",
        "kind",
        "role",
        "html_url",
    ]
    nested_default_fields = [*BaseAPIViewSet.nested_default_fields, "name"]
    query_filters = [
        Choice("kind", "kind", SourceKind.choices, "Only sources of this kind."),
        PublicObject(
            "organisation",
            Source.objects.visible_to_readers,
            lambda sources, organisation: sources.filter(organisation=organisation),
            "Only sources that belong to this office or organisation (its id).",
        ),
    ]

    def get_queryset(self):
        return Source.objects.for_listing()


class StatementsEndpoint(ReadOnlyEndpoint, BaseAPIViewSet):
    """Published, on-the-record statements of public sources, newest first."""

    model = Statement
    body_fields = [
        "id",
        "source",
        "said_at",
        "precision",
        "channel",
        APIField("channel_label", serializer=ChoiceLabelField("channel")),
        "quote",
        "summary",
        "original_url",
        APIField(
            "earlier_statement",
            serializer=PublicObjectField(label="quote"),
        ),
        "reversal_kind",
        APIField("html_url", serializer=HtmlUrlField()),
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "source",
        "said_at",
        "channel",
        "quote",
        "summary",
        "html_url",
    ]
    query_filters = [
        PublicObject(
            "source",
            Source.objects.visible_to_readers,
            lambda statements, source: statements.filter(source=source),
            "Only statements of this source (its id).",
        ),
        Choice(
            "channel",
            "channel",
            StatementChannel.choices,
            "Only statements made through this channel.",
        ),
        tracker_filter(
            lambda statements, tracker: statements.filter(tracker=tracker),
            "statements",
        ),
        DateRange("said", "said_at", "statements said or published"),
    ]

    def get_queryset(self):
        return Statement.objects.for_display()


class RequestsForCommentEndpoint(ReadOnlyEndpoint, BaseAPIViewSet):
    """Public requests for comment to public sources, newest first."""

    model = RequestForComment
    body_fields = [
        "id",
        "source",
        APIField(
            "story",
            serializer=PublicObjectField(label="title"),
        ),
        "asked_at",
        "channel",
        "deadline",
        "outcome",
        APIField("public_outcome", serializer=CharField(read_only=True)),
        "answered_at",
        APIField("answered_late", serializer=BooleanField(read_only=True)),
        APIField(
            "referred_to",
            serializer=PublicObjectField(label="name"),
        ),
        APIField(
            "follow_up_of",
            serializer=PublicObjectField(
                label="asked_at",
            ),
        ),
        "public_summary",
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "source",
        "story",
        "asked_at",
        "outcome",
        "public_outcome",
    ]
    query_filters = [
        PublicObject(
            "source",
            Source.objects.visible_to_readers,
            lambda requests, source: requests.filter(source=source),
            "Only requests to this source (its id).",
        ),
        PublicObject(
            "story",
            StoryPage.objects.for_listing,
            lambda requests, story: requests.filter(story=story),
            "Only requests made for this published story (its id).",
        ),
        Choice(
            "outcome", "outcome", Outcome.choices, "Only requests with this outcome."
        ),
        tracker_filter(
            lambda requests, tracker: requests.filter(tracker=tracker), "requests"
        ),
        DateRange("asked", "asked_at", "requests first made"),
    ]

    def get_queryset(self):
        return RequestForComment.objects.for_display()


# Names are kept here rather than on the classes: DRF resets a viewset's `name`.
ENDPOINTS = {
    "stories": StoriesEndpoint,
    "sources": SourcesEndpoint,
    "statements": StatementsEndpoint,
    "requests-for-comment": RequestsForCommentEndpoint,
    "trackers": TrackersEndpoint,
}
api_router = WagtailAPIRouter("api")
for name, endpoint in ENDPOINTS.items():
    api_router.register_endpoint(name, endpoint)
