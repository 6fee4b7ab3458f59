"""Geometry of a tracker's pictures: the visual timeline and the figure charts.

Plain numbers for the templates, which draw them as inline SVG. Positions are
SVG attributes, never `style` attributes: reader pages are served under a
Content-Security-Policy that allows no inline styles. Nothing here queries the
database; both pictures are built from what the page has already loaded.

Dates are drawn as honestly as they are known: an event known to the year is
a bar over that year, one known to the month a bar over that month, one known
to the day (or the minute) a point.
"""

import datetime
import math
from dataclasses import dataclass

from django.template.defaultfilters import floatformat

# The visual timeline, in SVG user units; it scales to the width it is given.
TIMELINE_WIDTH = 800
LABEL_WIDTH = 160
RIGHT_MARGIN = 16
AXIS_HEIGHT = 28
LANE_HEIGHT = 30
SPAN_HEIGHT = 12
POINT_RADIUS = 6
# A bar narrower than this cannot be seen, or clicked.
MIN_SPAN_WIDTH = 4
TINY = datetime.timedelta(microseconds=1)
# Year labels closer together than this would overlap.
MAX_YEAR_LABELS = 12

# A figure chart.
CHART_WIDTH = 480
CHART_HEIGHT = 220
CHART_LEFT = 64
CHART_RIGHT = 24
CHART_TOP = 16
CHART_BOTTOM = 36


# --- The visual timeline ---------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One event: a bar (`x`, `width`) or a point (`x` is its centre)."""

    anchor: str
    href: str
    name: str
    x: float
    width: float
    y: float
    is_span: bool

    @property
    def centre_y(self):
        return self.y + SPAN_HEIGHT / 2


@dataclass(frozen=True)
class Lane:
    kind: str
    label: str
    y: float
    marks: tuple

    @property
    def label_y(self):
        return self.y + SPAN_HEIGHT / 2 + 4

    @property
    def line_y(self):
        return self.y + SPAN_HEIGHT / 2


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    lanes: tuple
    ticks: tuple
    plot_left: int
    plot_right: int
    first_year: int
    last_year: int


def period_start(when):
    """The naive moment the known period of a PreciseDate starts."""
    return datetime.datetime(
        when.year, when.month or 1, when.day or 1, when.hour or 0, when.minute or 0
    )


def period_end(when):
    """The naive moment the known period ends: the start of the next one."""
    start = period_start(when)
    if when.month is None:
        return start.replace(year=when.year + 1)
    if when.day is None:
        return (start + datetime.timedelta(days=32)).replace(day=1)
    if when.hour is None:
        return start + datetime.timedelta(days=1)
    return start


def is_point(item):
    """Known to the day or finer, and with no end: drawn as a point."""
    return item.end is None and item.when.day is not None


def accessible_name(item):
    """What a mark says to a screen reader, and in its tooltip."""
    when = item.when.label
    if item.end:
        when = f"{when} to {item.end.label}"
    return f"{item.kind_label}, {when}: {item.headline}"


def timeline_chart(items, kinds, href):
    """The visual timeline of `items`, one lane per kind, in the order of
    `kinds` ((value, label) pairs); `href(item)` is where each mark leads.

    None when there is nothing to draw.
    """
    items = list(items)
    if not items:
        return None
    starts = [period_start(item.when) for item in items]
    ends = [period_end(item.end or item.when) for item in items]
    # The axis runs over whole years, from the first period's year to the
    # last one's (a period ends where the next begins, hence the step back).
    first_year = min(starts).year
    last_year = max(max(starts).year, (max(ends) - TINY).year)
    lo = datetime.datetime(first_year, 1, 1)
    hi = datetime.datetime(last_year + 1, 1, 1)
    plot_left, plot_right = LABEL_WIDTH, TIMELINE_WIDTH - RIGHT_MARGIN
    scale = (plot_right - plot_left) / (hi - lo).total_seconds()

    def x(moment):
        return round(plot_left + (moment - lo).total_seconds() * scale, 1)

    present = {item.kind for item in items}
    lanes = []
    for kind, label in kinds:
        if kind not in present:
            continue
        y = AXIS_HEIGHT + len(lanes) * LANE_HEIGHT + (LANE_HEIGHT - SPAN_HEIGHT) / 2
        marks = tuple(
            _mark(item, start, end, x, y, href)
            for item, start, end in zip(items, starts, ends, strict=True)
            if item.kind == kind
        )
        lanes.append(Lane(kind=kind, label=label, y=y, marks=marks))
    return TimelineChart(
        width=TIMELINE_WIDTH,
        height=AXIS_HEIGHT + len(lanes) * LANE_HEIGHT + 4,
        lanes=tuple(lanes),
        ticks=tuple(_year_ticks(lo.year, hi.year, x)),
        plot_left=plot_left,
        plot_right=plot_right,
        first_year=first_year,
        last_year=last_year,
    )


def _mark(item, start, end, x, y, href):
    common = {"anchor": item.anchor, "href": href(item), "name": accessible_name(item)}
    if is_point(item):
        # A day is drawn at its middle, a moment where it falls.
        moment = start if item.when.hour is not None else start.replace(hour=12)
        return Mark(x=x(moment), width=0, y=y, is_span=False, **common)
    left, right = x(start), x(end)
    width = max(right - left, MIN_SPAN_WIDTH)
    return Mark(x=left, width=round(width, 1), y=y, is_span=True, **common)


def _year_ticks(first, end, x):
    """A line where each labelled year starts (its label just after it), and
    an unlabelled one where the axis ends."""
    step = math.ceil((end - first) / MAX_YEAR_LABELS)
    for year in range(first, end, step):
        yield Tick(x=x(datetime.datetime(year, 1, 1)), label=str(year))
    yield Tick(x=x(datetime.datetime(end, 1, 1)), label="")


# --- Figure charts -----------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """One reading on a chart: a point at `y`, or a range from `y` up to `y_to`."""

    x: float
    y: float
    y_to: float | None
    date_label: str
    value_label: str

    @property
    def is_range(self):
        return self.y_to is not None

    @property
    def middle_y(self):
        return self.y if self.y_to is None else round((self.y + self.y_to) / 2, 1)


@dataclass(frozen=True)
class FigureChart:
    width: int
    height: int
    readings: tuple
    y_ticks: tuple
    line: str
    summary: str
    plot_left: int
    plot_right: int
    baseline: int
    # Readings left out: a different unit or precision from the series.
    skipped: int


def format_value(reading):
    """ "2,000", "1,000\u20131,500", with the unit when there is one."""
    text = floatformat(reading.value, "-2g")
    if reading.value_to is not None:
        text += f"\u2013{floatformat(reading.value_to, '-2g')}"  # an en dash
    return f"{text} {reading.unit}".strip()


def comparable(readings):
    """The readings measured as the latest one is (same unit and precision).

    The admin form refuses a mixed series; this keeps a chart honest about
    rows written without it. The others stay in the table only.
    """
    if not readings:
        return []
    measure = max(readings, key=lambda r: r.as_of).measure
    return [reading for reading in readings if reading.measure == measure]


def nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 times 10^k that is at least `value` (> 0)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover (the loop always returns)


def figure_chart(label, readings):
    """A chart of one figure's readings (oldest first), or None below two.

    Time runs left to right, by each reading's date (the middle of its period
    when known only to the year or month); values run up from zero.
    """
    series = sorted(comparable(readings), key=lambda r: r.as_of)
    if len(series) < 2:
        return None
    moments = [_reading_moment(reading) for reading in series]
    top = nice_ceiling(float(max(r.value_to or r.value for r in series)))
    plot_left, plot_right = CHART_LEFT, CHART_WIDTH - CHART_RIGHT
    baseline = CHART_HEIGHT - CHART_BOTTOM
    span = (moments[-1] - moments[0]).total_seconds() or 1

    def x(moment):
        return round(
            plot_left
            + (moment - moments[0]).total_seconds() / span * (plot_right - plot_left),
            1,
        )

    def y(value):
        return round(baseline - float(value) / top * (baseline - CHART_TOP), 1)

    drawn = tuple(
        Reading(
            x=x(moment),
            y=y(reading.value),
            y_to=None if reading.value_to is None else y(reading.value_to),
            date_label=reading.as_of_label,
            value_label=format_value(reading),
        )
        for reading, moment in zip(series, moments, strict=True)
    )
    ticks = tuple(
        Tick(x=y(top * share), label=floatformat(top * share, "-2g"))
        for share in (0, 0.5, 1)
    )
    return FigureChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        readings=drawn,
        y_ticks=ticks,
        line=" ".join(f"{r.x},{r.middle_y}" for r in drawn),
        summary=_summary(label, series),
        plot_left=plot_left,
        plot_right=plot_right,
        baseline=baseline,
        skipped=len(readings) - len(series),
    )


def _reading_moment(reading):
    as_of = reading.as_of
    if reading.precision == "year":
        return datetime.datetime(as_of.year, 7, 2)
    if reading.precision == "month":
        return datetime.datetime(as_of.year, as_of.month, 15)
    return datetime.datetime(as_of.year, as_of.month, as_of.day, 12)


def _summary(label, series):
    first, last = series[0], series[-1]
    return (
        f"{label}: {len(series)} readings, from {format_value(first)} "
        f"({first.as_of_label}) to {format_value(last)} ({last.as_of_label})."
    )
