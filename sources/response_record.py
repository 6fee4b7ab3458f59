"""A source's response record: how it answered our requests for comment.

Every figure is computed by the database (counts with filters, one grouped query
for referrals, and the median as an ordered offset query), so a source with
thousands of requests costs the same few queries as one with ten.

Definitions, also stated on the source's page:

- *requests*: public requests for comment to the source whose first contact
  falls in the period. The clock starts at the first contact.
- *settled*: requests that are no longer pending.
- *responses*: requests the source answered; *late* ones came after the
  deadline we gave.
- *response rate*: responses divided by settled requests. Pending requests are
  left out, so a request still inside its deadline never counts against anyone.
  The rate is withheld when fewer than `MIN_REQUESTS_FOR_RATE` settled requests
  stand behind it.
- *median time to respond*: the median of (answer time minus first contact) over the
  responses with a recorded answer time, shown with how many there are.
- *declines*, *referrals* (with where we were sent) and *refusals to take a
  message* are counted separately: none of them is a response.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)
from django.utils import timezone

from core import visibility
from sources.models import Outcome, RequestForComment

MIN_REQUESTS_FOR_RATE = 5
DEFAULT_PERIOD = "all"
PERIODS = {
    "30": ("the last 30 days", 30),
    "90": ("the last 90 days", 90),
    "365": ("the last 365 days", 365),
    "all": ("all time", None),
}


class InvalidPeriod(ValueError):
    """A `?period=` value that is not one of PERIODS."""


def parse_period(value):
    """The period key for a query-string value; empty means the default."""
    if not value:
        return DEFAULT_PERIOD
    if value not in PERIODS:
        choices = ", ".join(PERIODS)
        raise InvalidPeriod(f"Unknown period {value!r}. Choose one of: {choices}.")
    return value


def period_start(period, now=None):
    days = PERIODS[period][1]
    if days is None:
        return None
    return (now or timezone.now()) - datetime.timedelta(days=days)


def requests_in_period(source, period, now=None):
    """Public requests to `source` whose first contact falls in `period`."""
    requests = RequestForComment.objects.visible_to_readers().filter(source=source)
    start = period_start(period, now)
    if start is not None:
        requests = requests.filter(asked_at__gte=start)
    return requests


@dataclass(frozen=True)
class Referral:
    name: str
    slug: str
    count: int


@dataclass(frozen=True)
class ResponseRecord:
    period: str
    requests: int = 0
    pending: int = 0
    responses: int = 0
    late_responses: int = 0
    no_response: int = 0
    declines: int = 0
    referrals: int = 0
    refusals: int = 0
    timed_responses: int = 0
    median_time_to_respond: datetime.timedelta | None = None
    referred_to: list[Referral] = field(default_factory=list)

    @property
    def period_label(self):
        return PERIODS[self.period][0]

    @property
    def settled(self):
        return self.requests - self.pending

    @property
    def rate_withheld_reason(self):
        if self.settled >= MIN_REQUESTS_FOR_RATE:
            return ""
        return (
            f"Not shown: only {self.settled} settled request"
            f"{'' if self.settled == 1 else 's'} in {self.period_label}, fewer than "
            f"the {MIN_REQUESTS_FOR_RATE} a fair rate needs."
        )

    @property
    def response_rate(self):
        """Responses per settled request, 0 to 1; None when withheld."""
        if self.rate_withheld_reason:
            return None
        return self.responses / self.settled

    @property
    def response_rate_percent(self):
        rate = self.response_rate
        return None if rate is None else round(rate * 100)


def _time_to_respond():
    return ExpressionWrapper(
        F("answered_at") - F("asked_at"), output_field=DurationField()
    )


def _median(durations, count):
    """The median of an ordered queryset of `count` durations, fetching ≤ 2 rows."""
    if count == 0:
        return None
    middle = list(durations[(count - 1) // 2 : count // 2 + 1])
    return sum(middle, datetime.timedelta()) / len(middle)


def build_response_record(source, period=DEFAULT_PERIOD, now=None):
    """The response record of `source` over `period` (a key of PERIODS)."""
    requests = requests_in_period(source, period, now)
    timed = Q(outcome=Outcome.RESPONDED, answered_at__isnull=False)
    counts = requests.aggregate(
        requests=Count("pk"),
        pending=Count("pk", filter=Q(outcome=Outcome.PENDING)),
        responses=Count("pk", filter=Q(outcome=Outcome.RESPONDED)),
        late_responses=Count(
            "pk",
            filter=Q(
                outcome=Outcome.RESPONDED,
                deadline__isnull=False,
                answered_at__gt=F("deadline"),
            ),
        ),
        no_response=Count("pk", filter=Q(outcome=Outcome.NO_RESPONSE)),
        declines=Count("pk", filter=Q(outcome=Outcome.DECLINED)),
        referrals=Count("pk", filter=Q(outcome=Outcome.REFERRED)),
        refusals=Count("pk", filter=Q(outcome=Outcome.REFUSED_MESSAGE)),
        timed_responses=Count("pk", filter=timed),
    )
    durations = (
        requests.filter(timed)
        .annotate(time_to_respond=_time_to_respond())
        .order_by("time_to_respond", "pk")
        .values_list("time_to_respond", flat=True)
    )
    return ResponseRecord(
        period=period,
        median_time_to_respond=_median(durations, counts["timed_responses"]),
        referred_to=_referral_targets(requests) if counts["referrals"] else [],
        **counts,
    )


def _referral_targets(requests):
    rows = (
        requests.filter(outcome=Outcome.REFERRED)
        .annotate(
            shown=Case(
                When(visibility.source("referred_to__"), then=Value(True)),
                default=Value(False),
            )
        )
        .values("referred_to__name", "referred_to__slug", "shown")
        .annotate(count=Count("pk"))
        .order_by("-count", "referred_to__name")
    )
    return [_referral(row) for row in rows]


def _referral(row):
    # An office readers may not see (confidential, or not published) is never
    # named; the referral still counts.
    if not row["shown"]:
        return Referral(name="an office we do not name", slug="", count=row["count"])
    return Referral(
        name=row["referred_to__name"],
        slug=row["referred_to__slug"],
        count=row["count"],
    )


def describe_duration(duration):
    """A duration as a reader reads it: "3 hours 20 minutes", "2 days 4 hours"."""
    if duration is None:
        return ""
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    shown = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n][:2]
    return " ".join(shown) or "under a minute"
