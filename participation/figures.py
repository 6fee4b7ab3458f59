"""The corrections policy's live figures: how readers' reports were handled.

Counts only: nothing here reads a reader's name, address or words, so nothing
the page shows can carry them.

The figures cover the last `MONTHS` calendar months in TIME_ZONE, the current
one included, one row a month and one for them all together. Definitions, also
stated on the page (docs/architecture.md, "The corrections policy page"):

- A report counts in the month it was **received**, whatever happened to it
  later: a month's row is that month's reports and where they stand now.
- **Corrected**, **declined**, **duplicates** and **still open** (new or being
  investigated) split the month's reports by their status today, so they add
  up to the reports received. A month's row changes when one of its reports
  is resolved later.
- **Median days to resolution**: over the month's reports that were corrected
  or declined, the median of the days from receipt to that decision, shown
  with how many reports stand behind it. A duplicate is left out: marking one
  is filing, not deciding. Reports still open are left out too, so a slow
  month looks faster until they are resolved; the still-open count says so.
- **Corrections that began with a report**: published corrections and
  clarifications that readers can see (core.visibility), counted in the month
  they were first published, that a report marked corrected points to.

Costs six queries whatever the number of reports: two grouped counts in the
database (TruncMonth), and one fetch of the receipt and decision times of the
reports decided in the period, whose medians are taken in Python (a newsroom
decides hundreds of reports a year, not millions; a median in SQL differs
between SQLite and PostgreSQL); then, for **all time** since the first report,
one count of each kind, the middle one or two decided reports sorted by the
time they took, and one count of corrections, so that years of reports cost
no more than one.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from participation.models import CorrectionRequest
from stories.models import Update

MONTHS = 12
Status = CorrectionRequest.Status
# The decisions the median measures the time to.
DECIDED = (Status.CORRECTED, Status.DECLINED)
# The kinds of update that put right what a story got wrong.
CORRECTING_KINDS = (Update.Kind.CORRECTION, Update.Kind.CLARIFICATION)
SECONDS_A_DAY = 24 * 60 * 60


@dataclass(frozen=True)
class Figures:
    """One row of the table: a month, or the whole period (`month` None)."""

    month: datetime.date | None
    received: int = 0
    corrected: int = 0
    declined: int = 0
    duplicates: int = 0
    still_open: int = 0
    # The reports behind the median, and the median in days (None without any).
    decided: int = 0
    median_days: float | None = None
    corrections_from_reports: int = 0


@dataclass(frozen=True)
class PolicyFigures:
    start: datetime.datetime
    now: datetime.datetime
    # Newest month first, every month of the period, empty ones included.
    months: list[Figures] = field(default_factory=list)
    total: Figures = field(default_factory=lambda: Figures(month=None))
    # Every report since the first one (`since`, the month it came in).
    all_time: Figures = field(default_factory=lambda: Figures(month=None))
    since: datetime.date | None = None

    @property
    def first_month(self):
        return self.months[-1].month

    @property
    def last_month(self):
        return self.months[0].month


def month_starts(now, months=MONTHS):
    """The first days of the last `months` calendar months, newest first."""
    local = timezone.localtime(now).date().replace(day=1)
    starts = []
    for _ in range(months):
        starts.append(local)
        local = (local - datetime.timedelta(days=1)).replace(day=1)
    return starts


def _start_of(day):
    """Midnight at the start of `day` in TIME_ZONE, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _month_of(moment):
    return timezone.localtime(moment).date().replace(day=1)


def build_figures(now=None, months=MONTHS):
    """The figures for the `months` calendar months up to `now`."""
    now = now or timezone.now()
    starts = month_starts(now, months)
    start = _start_of(starts[-1])
    reports = CorrectionRequest.objects.filter(
        received_at__gte=start, received_at__lte=now
    )

    counts = {row["month"]: row for row in _status_counts(reports)}
    durations = _days_to_decision(reports)
    corrections = _corrections_from_reports(start, now)

    rows = [
        _row(day, counts.get(day, {}), durations.get(day, []), corrections.get(day, 0))
        for day in starts
    ]
    every_duration = [days for month in durations.values() for days in month]
    total = Figures(
        month=None,
        received=sum(row.received for row in rows),
        corrected=sum(row.corrected for row in rows),
        declined=sum(row.declined for row in rows),
        duplicates=sum(row.duplicates for row in rows),
        still_open=sum(row.still_open for row in rows),
        decided=len(every_duration),
        median_days=_median(every_duration),
        corrections_from_reports=sum(row.corrections_from_reports for row in rows),
    )
    all_time, since = _all_time(now)
    return PolicyFigures(
        start=start, now=now, months=rows, total=total, all_time=all_time, since=since
    )


def _all_time(now):
    """Every report up to `now`: counts in one query, the median in two more.

    The median is read in the database, not in Python, so its cost does not
    grow with the years of reports: the decided reports sorted by how long
    they took, and the middle one or two of them fetched.
    """
    reports = CorrectionRequest.objects.filter(received_at__lte=now)
    counts = reports.aggregate(
        first=Min("received_at"),
        received=Count("pk"),
        corrected=Count("pk", filter=Q(status=Status.CORRECTED)),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        duplicates=Count("pk", filter=Q(status=Status.DUPLICATE)),
        still_open=Count("pk", filter=Q(status__in=CorrectionRequest.OPEN)),
        decided=Count("pk", filter=Q(status__in=DECIDED, resolved_at__isnull=False)),
    )
    first = counts.pop("first")
    if first is None:
        return Figures(month=None), None
    taken = ExpressionWrapper(
        F("resolved_at") - F("received_at"), output_field=DurationField()
    )
    decided = counts["decided"]
    middle = []
    if decided:
        durations = (
            reports.filter(status__in=DECIDED, resolved_at__isnull=False)
            .annotate(taken=taken)
            .order_by("taken", "pk")
            .values_list("taken", flat=True)
        )
        # The middle one of an odd number, the two middle ones of an even.
        low = (decided - 1) // 2
        middle = [
            max(d.total_seconds(), 0) / SECONDS_A_DAY
            for d in durations[low : decided // 2 + 1]
        ]
    corrections = _correcting_updates().filter(first_published_at__lte=now).count()
    figures = Figures(
        month=None,
        median_days=_median(middle),
        corrections_from_reports=corrections,
        **counts,
    )
    return figures, _month_of(first)


def _correcting_updates():
    """Published corrections and clarifications that a corrected report points to."""
    began_with_a_report = CorrectionRequest.objects.filter(
        correction=OuterRef("pk"), status=Status.CORRECTED
    )
    return (
        Update.objects.visible_to_readers()
        .filter(kind__in=CORRECTING_KINDS)
        .filter(Exists(began_with_a_report))
    )


def _status_counts(reports):
    rows = (
        reports.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(
            received=Count("pk"),
            corrected=Count("pk", filter=Q(status=Status.CORRECTED)),
            declined=Count("pk", filter=Q(status=Status.DECLINED)),
            duplicates=Count("pk", filter=Q(status=Status.DUPLICATE)),
            still_open=Count("pk", filter=Q(status__in=CorrectionRequest.OPEN)),
        )
        .order_by()
    )
    for row in rows:
        yield {**row, "month": _month_of(row["month"])}


def _days_to_decision(reports):
    """Days from receipt to decision of each decided report, by month received."""
    times = (
        reports.filter(status__in=DECIDED, resolved_at__isnull=False)
        .values_list("received_at", "resolved_at")
        .order_by()
    )
    by_month = {}
    for received_at, resolved_at in times:
        days = max((resolved_at - received_at).total_seconds(), 0) / SECONDS_A_DAY
        by_month.setdefault(_month_of(received_at), []).append(days)
    return by_month


def _corrections_from_reports(start, now):
    """Those of _correcting_updates() published in the period, by month."""
    rows = (
        _correcting_updates()
        .filter(first_published_at__gte=start, first_published_at__lte=now)
        .annotate(month=TruncMonth("first_published_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {_month_of(row["month"]): row["count"] for row in rows}


def _median(days):
    return round(statistics.median(days), 1) if days else None


def _row(month, counts, durations, corrections):
    return Figures(
        month=month,
        received=counts.get("received", 0),
        corrected=counts.get("corrected", 0),
        declined=counts.get("declined", 0),
        duplicates=counts.get("duplicates", 0),
        still_open=counts.get("still_open", 0),
        decided=len(durations),
        median_days=_median(durations),
        corrections_from_reports=corrections,
    )
