"""Trackers: an ongoing accountability issue, its key figures and its timeline.

A tracker's timeline is merged by trackers.timeline from the hand-written
`TimelineEvent`s here and what the site already records about the tracker:
its stories, their updates, and the statements and requests for comment
linked to it.
"""

import datetime
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from core import dates, visibility
from core.page_cache import TRACKERS, CachedViewRestrictionsMixin, link_changed
from core.revisions import FrozenPublishedRevisionsMixin
from core.routing import route
from stories.models import StoryPage
from trackers.forms import TrackerPageForm


class TrackerStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Precision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"
    TIME = "time", "Date and time"


class EventKind(models.TextChoices):
    """Kinds of hand-written events; trackers.timeline adds the kinds it derives."""

    DECISION = "decision", "Decision"
    PROTEST = "protest", "Protest"
    LETTER = "letter", "Letter"
    MEETING = "meeting", "Meeting"
    VOTE = "vote", "Vote"
    DATA_RELEASE = "data_release", "Data release"
    ANNOUNCEMENT = "announcement", "Announcement"
    COURT = "court", "Court action"
    OTHER = "other", "Other"


class TrackerIndexPage(
    FrozenPublishedRevisionsMixin, CachedViewRestrictionsMixin, Page
):
    """/trackers/: every tracker, active ones first."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["trackers.TrackerPage"]
    max_count = 1

    class Meta:
        db_table = "stories_trackerindexpage"  # kept from before the app moved

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        trackers = TrackerPage.objects.child_of(self).visible_to_readers()
        context["trackers"] = trackers.order_by("status", "title")
        return context


class TrackerPageQuerySet(visibility.VisibleQuerySetMixin, PageQuerySet):
    pass


class TrackerPage(
    visibility.VisibleMixin,
    FrozenPublishedRevisionsMixin,
    CachedViewRestrictionsMixin,
    RoutablePageMixin,
    Page,
):
    """One accountability issue followed over time, at /trackers/<slug>/."""

    summary = models.TextField(help_text="What the issue is, in two or three lines.")
    status = models.CharField(
        max_length=10, choices=TrackerStatus.choices, default=TrackerStatus.ACTIVE
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("status"),
        InlinePanel("figures", heading="Key figures", label="Figure reading"),
        InlinePanel("events", heading="Timeline events", label="Event"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    base_form_class = TrackerPageForm

    objects = PageManager.from_queryset(TrackerPageQuerySet)()

    LATEST_STORIES = 10

    parent_page_types = ["trackers.TrackerIndexPage"]
    subpage_types = []

    class Meta:
        db_table = "stories_trackerpage"  # kept from before the app moved

    @classmethod
    def find_public(cls, slug):
        """The tracker with this slug that readers may see, or None."""
        return cls.objects.visible_to_readers().filter(slug=slug).first()

    @property
    def is_active(self):
        return self.status == TrackerStatus.ACTIVE

    # The page cache (core.page_cache): which cached pages a change retires.

    def cache_dependencies(self):
        """What the tracker's pages show: its timeline and its stories."""
        return [f"timeline:{self.pk}", f"tracker-stories:{self.pk}"]

    def cache_tags(self, change):
        """Its own pages; every page, where its link changed (stories name
        their trackers, and a tracker's title is rarely edited)."""
        if link_changed(self, change):
            return None
        return {TRACKERS, f"timeline:{self.pk}"}

    def figures_by_label(self):
        """Key figure readings grouped by what they count, oldest reading first."""
        readings = sorted(self.figures.all(), key=lambda f: (f.label, f.as_of))
        return [
            (label, list(group))
            for label, group in groupby(readings, key=lambda f: f.label)
        ]

    @path("")
    def timeline(self, request):
        """The tracker with one page of its timeline (trackers.routes)."""
        return route("trackers.routes.tracker", request, self)

    @path("embed/")
    def embed(self, request):
        """The visual timeline alone, for other sites to frame."""
        return route("trackers.routes.embed", request, self)

    @path("feed/")
    def feed(self, request):
        """The timeline as RSS 2.0, newest event first."""
        return route("trackers.routes.feed", request, self)

    @path("feed/atom/")
    def feed_atom(self, request):
        return route("trackers.routes.feed_atom", request, self)

    def get_context(self, request, *args, **kwargs):
        """The latest few stories: the timeline's story filter lists them all,
        a page at a time, so the page costs the same however many there are."""
        context = super().get_context(request, *args, **kwargs)
        stories = StoryPage.objects.for_listing().filter(trackers=self)
        stories = list(stories[: self.LATEST_STORIES + 1])
        context["stories"] = stories[: self.LATEST_STORIES]
        context["more_stories"] = len(stories) > self.LATEST_STORIES
        return context


class DatedMixin(models.Model):
    """A date known to a precision: the parts finer than it are not shown."""

    precision = models.CharField(
        max_length=10, choices=Precision.choices, default=Precision.DAY
    )
    start_date = models.DateField(
        help_text="For a year or a month, any day in it: only the known parts show."
    )
    start_time = models.TimeField(
        null=True, blank=True, help_text="Local time; only with “Date and time”."
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="Optional; shown to the same precision."
    )
    end_time = models.TimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        timed = self.precision == Precision.TIME
        if timed and self.start_time is None:
            errors["start_time"] = "Give the time, or choose the day as precision."
        if not timed and (self.start_time or self.end_time):
            errors["start_time"] = "Times are kept only with “Date and time”."
        if self.end_time and not self.end_date:
            errors["end_date"] = "An end time needs an end date."
        if self.end_date and self.start_date and self._ends_before_start():
            errors["end_date"] = "The end cannot come before the start."
        if errors:
            raise ValidationError(errors)

    def _ends_before_start(self):
        start = datetime.datetime.combine(
            self.start_date, self.start_time or datetime.time.min
        )
        end = datetime.datetime.combine(
            self.end_date, self.end_time or datetime.time.max
        )
        return end < start


class TimelineEventQuerySet(visibility.VisibleQuerySetMixin, models.QuerySet):
    pass


class TimelineEvent(visibility.VisibleMixin, index.Indexed, DatedMixin, Orderable):
    """A hand-written event on a tracker's timeline."""

    tracker = ParentalKey(TrackerPage, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    story = models.ForeignKey(
        "stories.StoryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    statement = models.ForeignKey(
        "sources.Statement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.ForeignKey(
        "sources.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TimelineEventQuerySet.as_manager()

    # Site search finds events on their own; the filters are those of
    # core.visibility.event(), so it can search visible_to_readers().
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("description"),
        # "protest", "vote", "letter": the kind is a word readers search by.
        index.SearchField("get_kind_display"),
        index.RelatedFields(
            "tracker",
            [
                index.FilterField("live"),
                index.FilterField("path"),
            ],
        ),
        index.FilterField("tracker_id"),
    ]

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("precision")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
        FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("story"), FieldPanel("statement"), FieldPanel("source")],
            heading="Links",
        ),
    ]

    class Meta(Orderable.Meta):
        db_table = "stories_timelineevent"  # kept from before the app moved
        indexes = [
            models.Index(
                fields=["tracker", "start_date"], name="stories_tim_tracker_6e5af6_idx"
            )
        ]

    def __str__(self):
        return self.title

    def cache_tags(self, change):
        return {f"timeline:{self.tracker_id}"}


class TrackerFigure(visibility.VisibleMixin, Orderable):
    """One reading of a key figure: its value as of a date, and who says so.

    Readings that share a label show how that figure changed over time.
    """

    tracker = ParentalKey(TrackerPage, related_name="figures", on_delete=models.CASCADE)
    label = models.CharField(max_length=200, help_text="What the figure counts.")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    value_to = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The top of a range, e.g. a projection of 1,000 to 1,500.",
    )
    unit = models.CharField(max_length=40, blank=True)
    # Like an event's date: a yearly total is "2012", not "Dec. 31, 2012".
    # No "Date and time": nobody reads a key figure to the minute.
    precision = models.CharField(
        max_length=10,
        choices=Precision.choices[:3],
        default=Precision.DAY,
        help_text="How precisely the date is known. Readings of one figure "
        "share their unit and precision.",
    )
    period = models.CharField(
        max_length=100,
        blank=True,
        help_text="What the reading covers, e.g. “in 2012” or “projected for 2017”.",
    )
    as_of = models.DateField(help_text="The date the figure was true or published.")
    source = models.CharField(max_length=200, help_text="Where the figure comes from.")
    source_url = models.URLField(blank=True)

    class Meta(Orderable.Meta):
        db_table = "stories_trackerfigure"  # kept from before the app moved

    panels = [
        FieldPanel("label"),
        FieldRowPanel(
            [FieldPanel("value"), FieldPanel("value_to"), FieldPanel("unit")]
        ),
        FieldRowPanel(
            [FieldPanel("period"), FieldPanel("as_of"), FieldPanel("precision")]
        ),
        FieldRowPanel([FieldPanel("source"), FieldPanel("source_url")]),
    ]

    def __str__(self):
        return f"{self.label}: {self.value}"

    @property
    def as_of_label(self):
        """The date to its precision: "2012", "Feb. 2017", "Feb. 6, 2017"."""
        return dates.label(self.as_of, self.precision)

    @property
    def as_of_iso(self):
        """The value of a <time datetime=…>: only the known parts."""
        return dates.iso(self.as_of, self.precision)

    @property
    def measure(self):
        """What makes readings comparable in one series: unit and precision."""
        return (self.unit, self.precision)

    def clean(self):
        super().clean()
        if self.value_to is not None and self.value_to < self.value:
            raise ValidationError({"value_to": "The top of a range must be higher."})

    def cache_tags(self, change):
        return {f"timeline:{self.tracker_id}"}
