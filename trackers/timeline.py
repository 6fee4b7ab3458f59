"""A tracker's timeline: hand-written events merged with what the site records.

Sources, each a queryset holding only what readers may see (core.visibility):

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

The database orders, cuts and counts the merged timeline (one UNION ALL of
the sources, by an integer form of each date: `sort_key`); only the rows of
the page asked for are loaded (docs/architecture.md, "Paginated in SQL").

Every item has a stable anchor (`event-42`, `story-7`, `update-3`,
`statement-5`, `request-9`), used as its permalink.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import InvalidPage
from django.db.models import (
    BigIntegerField,
    Case,
    ExpressionWrapper,
    F,
    Func,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncMinute
from django.utils import dateformat, timezone
from django.utils.html import format_html

from core.pagination import RememberedCountPaginator, remembered_count
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
        return sort_key(
            self.year, self.month or 0, self.day or 0, self.hour, self.minute or 0
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


def timeline_page(tracker, query, request=None):
    """One page of the tracker's timeline (a Django `Page` of TimelineItems),
    or TimelinePageNotFound.

    The database orders and cuts the rows; only the page's items are loaded.
    """
    sources = _sources([tracker.pk], query.kinds)
    paginator = RememberedCountPaginator(
        _ordered_rows(sources, query.newest_first), EVENTS_PER_PAGE
    )
    try:
        page = paginator.page(query.page)
    except InvalidPage as error:
        raise TimelinePageNotFound(
            f"This timeline has no page {query.page}. It has "
            f"{paginator.num_pages} with these filters."
        ) from error
    page.object_list = _load(list(page.object_list), sources, request)
    return page


def latest_items(tracker, count, request=None):
    """The tracker's `count` latest items, every kind, newest first."""
    sources = _sources([tracker.pk], ())
    rows = _ordered_rows(sources, newest_first=True)[:count]
    return _load(list(rows), sources, request)


def count_items(tracker):
    """How many items the tracker's whole timeline holds (counted once per
    content change, core.pagination)."""
    return remembered_count(_ordered_rows(_sources([tracker.pk], ())))


def build_timeline(tracker, query=None, request=None):
    """The tracker's whole merged timeline, filtered and ordered as `query`
    says: what timeline.json holds, the whole timeline by definition."""
    query = query or TimelineQuery()
    items = collect([tracker.pk], query.kinds, request)
    items.sort(key=lambda item: item.sort_key, reverse=query.newest_first)
    return items


def latest_events(trackers, request=None):
    """{tracker id: its latest timeline item}, for several trackers at once.

    One query per source for all the trackers: a window function numbers each
    tracker's rows newest first and keeps the first, so the work is bounded
    by the trackers' own timelines, never by the archive.
    """
    if not trackers:
        return {}
    latest = {}
    for rank, rows in _sources([tracker.pk for tracker in trackers], ()).items():
        newest = rows.annotate(
            timeline_place=Window(
                RowNumber(),
                partition_by=F("timeline_tracker"),
                order_by=[F("timeline_key").desc(), F("pk").desc()],
            )
        ).filter(timeline_place=1)
        for row in SOURCES[rank].load(newest):
            item = SOURCES[rank].item(row, request)
            current = latest.get(item.tracker_id)
            if current is None or item.sort_key > current.sort_key:
                latest[item.tracker_id] = item
    return latest


def permalink_target(tracker, query, path=""):
    """Where `?at=<anchor>` leads: the page holding that event, at its anchor.

    The event's place is the number of rows that sort before it, counted by
    the database in one query.
    """
    name, _dash, number = query.at.partition("-")
    rank, pk = ANCHOR_RANKS[name], int(number)
    sources = _sources([tracker.pk], query.kinds)
    key = None
    if rank in sources and pk <= MAX_ID:
        key = (
            sources[rank]
            .filter(pk=pk)
            .annotate(timeline_order=F("timeline_key"))
            .values_list("timeline_order", flat=True)
            .first()
        )
    if key is None:
        raise TimelinePageNotFound(
            f"There is no event {query.at!r} on this timeline with these filters."
        )
    before = [
        rows.filter(_sorts_before(own, (key, rank, pk), query.newest_first))
        .annotate(timeline_id=F("pk"))
        .values("timeline_id")
        for own, rows in sources.items()
    ]
    position = before[0].union(*before[1:], all=True).count()
    page = position // EVENTS_PER_PAGE + 1
    params = query.params(page=page)
    query_string = f"?{params}" if params else ""
    return f"{path}{query_string}#{query.at}"


def _sorts_before(rank, target, newest_first):
    """Rows of the source `rank` that come before `target` (key, rank, pk)."""
    key, target_rank, pk = target
    earlier = "gt" if newest_first else "lt"
    if rank == target_rank:
        return Q(**{f"timeline_key__{earlier}": key}) | Q(
            timeline_key=key, **{f"pk__{earlier}": pk}
        )
    # A whole source sorts before another at the same moment, or after it.
    if (rank < target_rank) != newest_first:
        return Q(**{f"timeline_key__{earlier}e": key})
    return Q(**{f"timeline_key__{earlier}": key})


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
    return [
        SOURCES[rank].item(row, request)
        for rank, rows in _sources(tracker_ids, kinds).items()
        for row in SOURCES[rank].load(rows)
    ]


def _event_item(event, request):
    return TimelineItem(
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
        tracker_id=event.timeline_tracker,
        links=tuple(_event_links(event, request)),
    )


def _event_links(event, request):
    """Links of a hand-written event, leaving out anything readers may not see."""
    if visible(event.story):
        yield "Read the story", event.story.get_url(request)
    if visible(event.statement):
        yield "The statement", event.statement.get_absolute_url()
    if visible(event.source):
        yield event.source.name, event.source.get_absolute_url()


def _story_item(story, request):
    return TimelineItem(
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


def _statement_item(statement, request=None):
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
        tracker_id=statement.timeline_tracker,
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


def _request_item(rfc, request=None):
    return TimelineItem(
        anchor=f"request-{rfc.pk}",
        kind="request",
        headline=f"We asked {rfc.source.name} for comment: "
        f"{rfc.public_outcome_in_sentence}",
        text=rfc.public_summary,
        when=PreciseDate.from_datetime(rfc.asked_at),
        rank=REQUEST,
        pk=rfc.pk,
        tracker_id=rfc.timeline_tracker,
        links=((rfc.source.name, rfc.source.get_absolute_url()),),
    )


# --- Where the items come from ------------------------------------------------
#
# Each source is a queryset of the rows readers may see (core.visibility),
# annotated with `timeline_tracker` and aliased `timeline_key` (computed only
# where a query orders, filters or counts by it): the item's date as the
# integer `PreciseDate.sort_key`, computed by the database from the same parts
# (in the newsroom's time zone), so that it can order, cut and count the
# merged timeline without loading it.


def sort_key(year, month=0, day=0, hour=None, minute=0):
    """A date known to some precision as one integer, YYYYMMDDHHMM with the
    hour counted from 1: a missing part is 0, so a period sorts before
    everything inside it. The database computes the same from its columns
    (`_moment_key`, `_event_key`)."""
    hours = 0 if hour is None else hour + 1
    return year * 10**8 + month * 10**6 + day * 10**4 + hours * 100 + minute


class Digits(Func):
    """A date (YYYYMMDD), a time (HHMM) or a moment to the minute (YYYYMMDDHHMM)
    as one integer, read from the database's own form of the value: a single
    call per row on SQLite, where Extract makes one per part."""

    output_field = BigIntegerField()
    # SQLite keeps dates and times as ISO text: "2017-01-27 11:05:00".
    LENGTHS = {"YYYYMMDD": 10, "HHMM": 5, "YYYYMMDDHHMM": 16}
    POSTGRESQL = {"YYYYMMDD": "YYYYMMDD", "HHMM": "HH24MI"}
    POSTGRESQL |= {"YYYYMMDDHHMM": "YYYYMMDDHH24MI"}

    def __init__(self, expression, digits):
        super().__init__(expression)
        self.digits = digits

    def as_sqlite(self, compiler, connection, **extra):
        text = f"substr(%(expressions)s, 1, {self.LENGTHS[self.digits]})"
        for separator in "- :":
            text = f"replace({text}, '{separator}', '')"
        template = f"CAST({text} AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        pattern = self.POSTGRESQL[self.digits]
        template = f"CAST(to_char(%(expressions)s, '{pattern}') AS BIGINT)"
        return self.as_sql(compiler, connection, template=template, **extra)


def _moment_key(field, precision=Precision.TIME):
    """`sort_key` of a datetime column, read in the newsroom's time zone."""
    local = TruncMinute(field, tzinfo=timezone.get_current_timezone())
    minute = Digits(local, "YYYYMMDDHHMM")
    if precision == Precision.TIME:
        key = minute + 100  # hours count from 1 in sort_key
    else:
        key = minute / 10**4 * 10**4
    # Said outright: left to infer it, Django takes the sum for a 32-bit
    # integer, and on PostgreSQL drops a comparison with a larger key as
    # always true.
    return ExpressionWrapper(key, output_field=BigIntegerField())


def _event_key():
    """`sort_key` of a hand-written event's start, to its precision."""
    day = Digits("start_date", "YYYYMMDD")
    # A timed event written without its time (by code, not the admin form)
    # sorts with the day's untimed events, as PreciseDate does.
    time = Coalesce(Digits("start_time", "HHMM") + 100, 0)
    return Case(
        When(precision=Precision.YEAR, then=day / 10**4 * 10**8),
        When(precision=Precision.DAY, then=day * 10**4),
        When(precision=Precision.TIME, then=day * 10**4 + time),
        default=day / 100 * 10**6,
        output_field=BigIntegerField(),
    )


def _event_rows(tracker_ids, wanted):
    kinds = wanted & set(EventKind.values)
    if not kinds:
        return None
    return (
        TimelineEvent.objects.visible_to_readers()
        .filter(tracker_id__in=tracker_ids, kind__in=kinds)
        .annotate(timeline_tracker=F("tracker_id"))
        .alias(timeline_key=_event_key())
    )


def _story_rows(tracker_ids, wanted):
    if "story" not in wanted:
        return None
    return (
        StoryPage.objects.visible_to_readers()
        .filter(trackers__in=tracker_ids)
        .annotate(timeline_tracker=F("trackers"))
        .alias(timeline_key=_moment_key("first_published_at"))
    )


def _update_rows(tracker_ids, wanted):
    kinds = wanted & {"update", "correction"}
    if not kinds:
        return None
    updates = (
        Update.objects.visible_to_readers()
        .filter(story__trackers__in=tracker_ids)
        .annotate(timeline_tracker=F("story__trackers"))
        .alias(timeline_key=_moment_key("first_published_at"))
    )
    if kinds == {"correction"}:
        return updates.filter(kind=Update.Kind.CORRECTION)
    if kinds == {"update"}:
        return updates.exclude(kind=Update.Kind.CORRECTION)
    return updates


def _statement_rows(tracker_ids, wanted):
    if "statement" not in wanted:
        return None
    return (
        Statement.objects.visible_to_readers()
        .filter(tracker_id__in=tracker_ids)
        .annotate(timeline_tracker=F("tracker_id"))
        .alias(
            timeline_key=Case(
                When(
                    precision=DatePrecision.DAY,
                    then=_moment_key("said_at", Precision.DAY),
                ),
                default=_moment_key("said_at"),
                output_field=BigIntegerField(),
            ),
        )
    )


def _request_rows(tracker_ids, wanted):
    if "request" not in wanted:
        return None
    return (
        RequestForComment.objects.visible_to_readers()
        .filter(tracker_id__in=tracker_ids)
        .annotate(timeline_tracker=F("tracker_id"))
        .alias(timeline_key=_moment_key("asked_at"))
    )


@dataclass(frozen=True)
class TimelineSource:
    """One kind of row on the timeline: `rows(tracker_ids, wanted kinds)` (None
    when no wanted kind comes from it), `load(rows)` with what its items
    show, `item(row, request)` the TimelineItem."""

    rows: Callable
    load: Callable
    item: Callable


SOURCES = {
    EVENT: TimelineSource(
        _event_rows,
        lambda rows: rows.select_related("story", "statement__source", "source"),
        _event_item,
    ),
    STORY: TimelineSource(_story_rows, lambda rows: rows, _story_item),
    UPDATE: TimelineSource(
        _update_rows, lambda rows: rows.select_related("story"), _update_item
    ),
    STATEMENT: TimelineSource(
        _statement_rows, lambda rows: rows.select_related("source"), _statement_item
    ),
    REQUEST: TimelineSource(
        _request_rows,
        lambda rows: rows.select_related("source", "referred_to"),
        _request_item,
    ),
}
ANCHOR_RANKS = {"event": EVENT, "story": STORY, "update": UPDATE}
ANCHOR_RANKS |= {"statement": STATEMENT, "request": REQUEST}
# The largest id a database column holds; an anchor beyond it names nothing.
MAX_ID = 2**63 - 1


def _sources(tracker_ids, kinds):
    """{rank: rows} of each source holding a wanted kind (none: all kinds)."""
    wanted = set(kinds) or set(KIND_LABELS)
    sources = {}
    for rank, source in SOURCES.items():
        rows = source.rows(tracker_ids, wanted)
        if rows is not None:
            sources[rank] = rows.order_by()
    return sources


def _ordered_rows(sources, newest_first=False):
    """(key, rank, id) of every row of `sources` in timeline order: one
    UNION ALL query, which a paginator cuts with LIMIT/OFFSET and counts."""
    members = [
        rows.annotate(
            timeline_order=F("timeline_key"),
            timeline_rank=Value(rank),
            timeline_id=F("pk"),
        ).values_list("timeline_order", "timeline_rank", "timeline_id")
        for rank, rows in sources.items()
    ]
    order = ["timeline_order", "timeline_rank", "timeline_id"]
    if newest_first:
        order = [f"-{name}" for name in order]
    merged = (
        members[0].union(*members[1:], all=True) if len(members) > 1 else members[0]
    )
    return merged.order_by(*order)


def _load(rows, sources, request):
    """The TimelineItems of `rows` ((key, rank, id)), in their order: one
    query per source among them, for those rows only."""
    wanted = defaultdict(list)
    for _key, rank, pk in rows:
        wanted[rank].append(pk)
    items = {}
    for rank, pks in wanted.items():
        source = SOURCES[rank]
        for row in source.load(sources[rank].filter(pk__in=pks)):
            items[rank, row.pk] = source.item(row, request)
    return [items[rank, pk] for _key, rank, pk in rows]
