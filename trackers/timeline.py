"""A tracker's timeline: hand-written events merged with what the site records.

Sources, one query each whatever the number of events, each holding only what
readers may see (core.visibility):

- hand-written `TimelineEvent`s of the tracker (kinds in `EventKind`);
- its stories' first publication (`story`);
- the published updates of those stories, withdrawals included (`correction`
  for corrections, `update` for every other kind);
- published, on-the-record statements linked to the tracker (`statement`);
- public requests for comment linked to the tracker (`request`).

Ordering across precisions: an event sorts at the *start* of the period it is
known to. A year-precision event comes before every month, day and time of that
year; a month-precision event before the days of its month; a day-precision
event before the timed events of that day. Ties keep a fixed order of sources
(hand-written events, stories, updates, statements, requests) and then the
database id, so the order never changes between requests. Newest-first is the
exact reverse of oldest-first.

Every item has a stable anchor (`event-42`, `story-7`, `update-3`,
`statement-5`, `request-9`), used as its permalink.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.db.models import F
from django.utils import dateformat, timezone
from django.utils.html import format_html

from core.public_urls import absolute_url
from core.visibility import visible
from sources.models import DatePrecision, RequestForComment, Statement
from stories.models import StoryPage, Update
from trackers.models import EventKind, Precision, TimelineEvent

EVENTS_PER_PAGE = 50
# A statement's headline holds this much of what was said; the rest follows.
HEADLINE_LENGTH = 120

DERIVED_KINDS = [
    ("story", "Story"),
    ("update", "Update"),
    ("correction", "Correction"),
    ("statement", "Statement"),
    ("request", "Request for comment"),
]
KIND_CHOICES = [*EventKind.choices, *DERIVED_KINDS]
KIND_LABELS = dict(KIND_CHOICES)

ORDERS = {"oldest": False, "newest": True}
ANCHOR = re.compile(r"^(event|story|update|statement|request)-[0-9]+$")

# Ties at the same moment: hand-written events first, then in the order a
# reader would meet them (the story, then what was added to it, and so on).
EVENT, STORY, UPDATE, STATEMENT, REQUEST = range(5)


class TimelineError(Exception):
    """A request for the timeline that cannot be answered; `status` is its 4xx."""

    status = 400


class TimelinePageNotFound(TimelineError):
    status = 404


@dataclass(frozen=True)
class PreciseDate:
    """A local date and time known to `precision`; finer parts are None."""

    precision: str
    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None

    @classmethod
    def from_parts(cls, precision, date, time=None):
        parts = {"precision": precision, "year": date.year}
        if precision != Precision.YEAR:
            parts["month"] = date.month
        if precision in (Precision.DAY, Precision.TIME):
            parts["day"] = date.day
        if precision == Precision.TIME and time is not None:
            parts.update(hour=time.hour, minute=time.minute)
        return cls(**parts)

    @classmethod
    def from_datetime(cls, value, precision=Precision.TIME):
        local = timezone.localtime(value)
        return cls.from_parts(precision, local.date(), local.time())

    @property
    def sort_key(self):
        """Missing parts sort first: a period starts before anything inside it."""
        return (
            self.year,
            self.month or 0,
            self.day or 0,
            -1 if self.hour is None else self.hour,
            self.minute or 0,
        )

    @property
    def start(self):
        """The aware moment the known period starts, in the newsroom's time zone."""
        return timezone.make_aware(
            datetime.datetime(
                self.year,
                self.month or 1,
                self.day or 1,
                self.hour or 0,
                self.minute or 0,
            )
        )

    @property
    def label(self):
        """As precisely as known: "2013", "January 2017", "Jan. 27, 2017, 11 a.m."."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return dateformat.format(datetime.date(self.year, self.month, 1), "F Y")
        if self.hour is None:
            return dateformat.format(self._date(), "N j, Y")
        moment = datetime.datetime(
            self.year, self.month, self.day, self.hour, self.minute
        )
        return dateformat.format(moment, "N j, Y, P")

    @property
    def iso(self):
        """The value of a <time datetime=…>: a valid string of the known parts."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        if self.hour is None:
            return self._date().isoformat()
        return f"{self._date().isoformat()}T{self.hour:02d}:{self.minute:02d}"

    @property
    def month_heading(self):
        if self.month is None:
            return ""
        return dateformat.format(datetime.date(self.year, self.month, 1), "F")

    def as_timelinejs(self):
        """A TimelineJS 3 date object: `year` always, then only the known parts."""
        parts = {"year": self.year}
        for name in ("month", "day", "hour", "minute"):
            value = getattr(self, name)
            if value is not None:
                parts[name] = value
        return parts

    def _date(self):
        return datetime.date(self.year, self.month, self.day)


@dataclass(frozen=True)
class TimelineItem:
    anchor: str
    kind: str
    headline: str
    when: PreciseDate
    rank: int
    pk: int
    tracker_id: int
    text: str = ""
    # Secondary words under the headline: for a statement, its channel and
    # whose words the headline holds.
    detail: str = ""
    end: PreciseDate | None = None
    links: tuple = field(default_factory=tuple)

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def sort_key(self):
        return (self.when.sort_key, self.rank, self.pk)


@dataclass(frozen=True)
class TimelineQuery:
    """What a reader asked for: kinds (none means all), order, page and anchor."""

    kinds: tuple = ()
    newest_first: bool = False
    page: int = 1
    at: str = ""

    @classmethod
    def from_params(cls, params):
        """Read `?kind=`, `?order=`, `?page=` and `?at=`; raise TimelineError."""
        kinds = tuple(kind for kind in params.getlist("kind") if kind)
        unknown = [kind for kind in kinds if kind not in KIND_LABELS]
        if unknown:
            raise TimelineError(
                f"There is no kind of event called {unknown[0]!r}. The kinds are: "
                + ", ".join(KIND_LABELS)
                + "."
            )
        order = params.get("order") or "oldest"
        if order not in ORDERS:
            raise TimelineError(
                f"The order must be “oldest” or “newest”, not {order!r}."
            )
        page = params.get("page") or "1"
        if not (page.isascii() and page.isdigit()) or int(page) < 1:
            raise TimelineError(f"{page!r} is not a page number.")
        at = params.get("at") or ""
        if at and not ANCHOR.match(at):
            raise TimelineError(f"{at!r} is not the name of a timeline event.")
        return cls(kinds=kinds, newest_first=ORDERS[order], page=int(page), at=at)

    @property
    def order(self):
        return "newest" if self.newest_first else "oldest"

    def params(self, **changes):
        """The query string for the same view, with `changes` applied."""
        values = {"kind": list(self.kinds), "order": self.order, "page": self.page}
        values.update(changes)
        if values["order"] == "oldest":
            del values["order"]
        if values["page"] == 1:
            del values["page"]
        return urlencode(values, doseq=True)


def build_timeline(tracker, query=None, request=None):
    """The tracker's merged timeline, filtered and ordered as `query` says."""
    query = query or TimelineQuery()
    items = collect([tracker.pk], query.kinds, request)
    items.sort(key=lambda item: item.sort_key, reverse=query.newest_first)
    return items


def latest_events(trackers, request=None):
    """{tracker id: its latest timeline item}, for several trackers at once."""
    if not trackers:
        return {}
    latest = {}
    for item in collect([tracker.pk for tracker in trackers], (), request):
        current = latest.get(item.tracker_id)
        if current is None or item.sort_key > current.sort_key:
            latest[item.tracker_id] = item
    return latest


def paginate_items(items, number):
    """One page of the timeline, or TimelinePageNotFound."""
    try:
        return Paginator(items, EVENTS_PER_PAGE).page(number)
    except InvalidPage as error:
        raise TimelinePageNotFound(
            f"This timeline has no page {number}. It has "
            f"{Paginator(items, EVENTS_PER_PAGE).num_pages} with these filters."
        ) from error


def permalink_target(items, query, path=""):
    """Where `?at=<anchor>` leads: the page holding that event, at its anchor."""
    for position, item in enumerate(items):
        if item.anchor == query.at:
            page = position // EVENTS_PER_PAGE + 1
            params = query.params(page=page)
            query_string = f"?{params}" if params else ""
            return f"{path}{query_string}#{item.anchor}"
    raise TimelinePageNotFound(
        f"There is no event {query.at!r} on this timeline with these filters."
    )


def as_timelinejs(tracker, items):
    """The timeline in TimelineJS 3's JSON format (title slide and events)."""
    return {
        "title": {
            "text": {
                "headline": format_html("{}", tracker.title),
                "text": format_html(
                    '<p>{}</p><p><a href="{}">The whole tracker</a></p>',
                    tracker.summary,
                    absolute_url(tracker.url),
                ),
            }
        },
        "events": [_timelinejs_event(item) for item in items],
    }


def _timelinejs_event(item):
    text = format_html("<p>{}</p>", item.detail) if item.detail else ""
    if item.text:
        text += format_html("<p>{}</p>", item.text)
    # Absolute, on BASE_URL: the data is read by an embed on another site.
    for label, url in item.links:
        text += format_html('<p><a href="{}">{}</a></p>', absolute_url(url), label)
    event = {
        "start_date": item.when.as_timelinejs(),
        "text": {"headline": format_html("{}", item.headline), "text": text},
        "group": item.kind_label,
        "unique_id": item.anchor,
    }
    if item.end:
        event["end_date"] = item.end.as_timelinejs()
    return event


def collect(tracker_ids, kinds, request=None):
    """Every timeline item of the trackers, unsorted; `kinds` empty means all."""
    wanted = set(kinds) or set(KIND_LABELS)
    items = []
    event_kinds = wanted & set(EventKind.values)
    if event_kinds:
        items += _hand_written(tracker_ids, event_kinds, request)
    if "story" in wanted:
        items += _stories(tracker_ids, request)
    update_kinds = wanted & {"update", "correction"}
    if update_kinds:
        items += _updates(tracker_ids, update_kinds, request)
    if "statement" in wanted:
        items += _statements(tracker_ids)
    if "request" in wanted:
        items += _requests(tracker_ids)
    return items


def _hand_written(tracker_ids, kinds, request):
    events = TimelineEvent.objects.filter(
        tracker_id__in=tracker_ids, kind__in=kinds
    ).select_related("story", "statement__source", "source")
    return [
        TimelineItem(
            anchor=f"event-{event.pk}",
            kind=event.kind,
            headline=event.title,
            text=event.description,
            when=PreciseDate.from_parts(
                event.precision, event.start_date, event.start_time
            ),
            end=PreciseDate.from_parts(event.precision, event.end_date, event.end_time)
            if event.end_date
            else None,
            rank=EVENT,
            pk=event.pk,
            tracker_id=event.tracker_id,
            links=tuple(_event_links(event, request)),
        )
        for event in events
    ]


def _event_links(event, request):
    """Links of a hand-written event, leaving out anything readers may not see."""
    if visible(event.story):
        yield "Read the story", event.story.get_url(request)
    if visible(event.statement):
        yield "The statement", event.statement.get_absolute_url()
    if visible(event.source):
        yield event.source.name, event.source.get_absolute_url()


def _stories(tracker_ids, request):
    stories = (
        StoryPage.objects.visible_to_readers()
        .filter(trackers__in=tracker_ids)
        .annotate(timeline_tracker=F("trackers"))
        .order_by()
    )
    return [
        TimelineItem(
            anchor=f"story-{story.pk}",
            kind="story",
            headline=story.title,
            text=story.dek,
            when=PreciseDate.from_datetime(story.first_published_at),
            rank=STORY,
            pk=story.pk,
            tracker_id=story.timeline_tracker,
            links=(("Read the story", story.get_url(request)),),
        )
        for story in stories
    ]


def _updates(tracker_ids, kinds, request):
    updates = (
        Update.objects.visible_to_readers()
        .filter(story__trackers__in=tracker_ids)
        .annotate(timeline_tracker=F("story__trackers"))
        .select_related("story")
        .order_by()
    )
    if kinds == {"correction"}:
        updates = updates.filter(kind=Update.Kind.CORRECTION)
    elif kinds == {"update"}:
        updates = updates.exclude(kind=Update.Kind.CORRECTION)
    return [_update_item(update, request) for update in updates]


def _update_item(update, request):
    kind = "correction" if update.kind == Update.Kind.CORRECTION else "update"
    # The kind's label goes with the headline wherever it is shown (the
    # timeline, the feed's titles), so the headline names only what the
    # label does not: "Editor's note" under "Update", nothing under "Correction".
    label = update.get_kind_display()
    headline = update.story.title
    if label != KIND_LABELS[kind]:
        headline = f"{label}: {headline}"
    return TimelineItem(
        anchor=f"update-{update.pk}",
        kind=kind,
        headline=headline,
        text=update.text,
        when=PreciseDate.from_datetime(update.first_published_at),
        rank=UPDATE,
        pk=update.pk,
        tracker_id=update.timeline_tracker,
        links=(("Read the story", update.story.get_url(request)),),
    )


def _statements(tracker_ids):
    statements = (
        Statement.objects.visible_to_readers()
        .filter(tracker_id__in=tracker_ids)
        .select_related("source")
        .order_by()
    )
    return [_statement_item(statement) for statement in statements]


def _statement_item(statement):
    """A statement headlined by what was said, its channel as secondary text.

    Only `quote` is the source's words and goes in quotation marks under their
    name; a summary is our paraphrase and is said to be ours.
    """
    name = statement.source.name
    channel = statement.get_channel_display()
    if statement.quote:
        words = " ".join(statement.quote.split())
        short, rest = lead(words)
        headline = f"{name}: “{short}”"
        detail = channel
        text = f"“{words}”" if rest else ""
        if statement.summary:
            text = " ".join(part for part in [text, statement.summary] if part)
    else:
        headline, text = lead(" ".join(statement.summary.split()))
        detail = f"Our summary of a statement by {name} · {channel}"
    return TimelineItem(
        anchor=f"statement-{statement.pk}",
        kind="statement",
        headline=headline,
        detail=detail,
        text=text,
        when=PreciseDate.from_datetime(
            statement.said_at,
            Precision.DAY
            if statement.precision == DatePrecision.DAY
            else Precision.TIME,
        ),
        rank=STATEMENT,
        pk=statement.pk,
        tracker_id=statement.tracker_id,
        links=(("The statement", statement.get_absolute_url()),),
    )


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"'])")


def lead(text, limit=HEADLINE_LENGTH):
    """(headline, rest) of `text`: its first sentence when that fits in
    `limit` characters (the rest follows it), otherwise `text` cut at a word
    boundary with "…" (the rest is then the whole text, so nothing is lost)."""
    if len(text) <= limit:
        return text, ""
    first = SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first, text[len(first) :].strip()
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.\u2013\u2014-")
    return f"{cut}…", text


def _requests(tracker_ids):
    requests = (
        RequestForComment.objects.visible_to_readers()
        .filter(tracker_id__in=tracker_ids)
        .select_related("source", "referred_to")
        .order_by()
    )
    return [
        TimelineItem(
            anchor=f"request-{request.pk}",
            kind="request",
            headline=f"We asked {request.source.name} for comment: "
            f"{request.public_outcome_in_sentence}",
            text=request.public_summary,
            when=PreciseDate.from_datetime(request.asked_at),
            rank=REQUEST,
            pk=request.pk,
            tracker_id=request.tracker_id,
            links=((request.source.name, request.source.get_absolute_url()),),
        )
        for request in requests
    ]
