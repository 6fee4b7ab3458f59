"""The geometry of the visual timeline and the figure charts, without HTTP."""

import datetime
from decimal import Decimal

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from trackers import charts
from trackers.models import TrackerFigure, TrackerPage
from trackers.timeline import KIND_CHOICES, PreciseDate, TimelineItem


def item(kind, when, *, end=None, anchor=None, headline="Something happened"):
    return TimelineItem(
        anchor=anchor or f"event-{id(when)}",
        kind=kind,
        headline=headline,
        when=when,
        end=end,
        rank=0,
        pk=1,
        tracker_id=1,
    )


def year(y):
    return PreciseDate(precision="year", year=y)


def month(y, m):
    return PreciseDate(precision="month", year=y, month=m)


def day(y, m, d):
    return PreciseDate(precision="day", year=y, month=m, day=d)


def chart_of(*items):
    return charts.timeline_chart(items, KIND_CHOICES, lambda i: f"#{i.anchor}")


def only_mark(chart):
    (lane,) = chart.lanes
    (mark,) = lane.marks
    return mark


def test_a_year_precise_event_is_a_bar_over_its_whole_year():
    chart = chart_of(item("vote", year(2013)))

    mark = only_mark(chart)
    assert mark.is_span
    assert (mark.x, mark.x + mark.width) == (chart.plot_left, chart.plot_right)
    assert [tick.label for tick in chart.ticks] == ["2013", ""]


def test_a_month_precise_event_is_a_bar_over_its_month_only():
    chart = chart_of(item("vote", month(2017, 2)), item("vote", day(2017, 12, 31)))

    bar = chart.lanes[0].marks[0]
    plot = chart.plot_right - chart.plot_left
    february = plot * 28 / 365
    assert bar.is_span
    assert bar.width == pytest.approx(february, abs=0.2)
    assert bar.x == pytest.approx(chart.plot_left + plot * 31 / 365, abs=0.2)


def test_a_day_precise_event_is_a_point_at_the_middle_of_its_day():
    chart = chart_of(item("letter", day(2017, 7, 2)))

    mark = only_mark(chart)
    assert not mark.is_span
    assert mark.width == 0
    # 2 July at noon is the middle of 2017.
    middle = (chart.plot_left + chart.plot_right) / 2
    assert mark.x == pytest.approx(middle, abs=1)


def test_an_event_with_an_end_is_a_bar_to_the_end_of_its_last_day():
    chart = chart_of(
        item("protest", day(2017, 1, 1), end=day(2017, 1, 10)),
        item("letter", day(2017, 12, 31)),
    )

    bar = chart.lanes[0].marks[0]
    assert bar.is_span
    plot = chart.plot_right - chart.plot_left
    assert bar.width == pytest.approx(plot * 10 / 365, abs=0.2)


def test_a_short_span_is_still_wide_enough_to_see_and_click():
    chart = chart_of(
        item("vote", month(2000, 2)), item("vote", day(2020, 1, 1), end=day(2020, 1, 1))
    )

    assert all(mark.width >= charts.MIN_SPAN_WIDTH for mark in chart.lanes[0].marks)


def test_lanes_follow_the_kind_order_and_are_labelled_with_the_kind():
    chart = chart_of(
        item("story", day(2017, 1, 2)),
        item("protest", day(2017, 1, 27)),
        item("decision", day(2017, 1, 26)),
    )

    assert [(lane.kind, lane.label) for lane in chart.lanes] == [
        ("decision", "Decision"),
        ("protest", "Protest"),
        ("story", "Story"),
    ]
    ys = [lane.y for lane in chart.lanes]
    assert ys == sorted(ys) and len(set(ys)) == 3
    assert chart.height > ys[-1] + charts.SPAN_HEIGHT


def test_each_mark_links_to_its_anchor_and_names_kind_date_and_headline():
    event = item("protest", day(2017, 1, 27), anchor="event-4", headline="March")

    mark = only_mark(chart_of(event))

    assert mark.href == "#event-4"
    assert mark.name == "Protest, Jan. 27, 2017: March"


def test_a_long_timeline_labels_at_most_a_dozen_years():
    chart = chart_of(item("vote", year(1950)), item("vote", year(2020)))

    labels = [tick.label for tick in chart.ticks if tick.label]
    assert len(labels) <= charts.MAX_YEAR_LABELS
    assert labels[0] == "1950"


def test_nothing_to_draw_without_items():
    assert chart_of() is None


# --- Figures ---------------------------------------------------------------


def reading(value, as_of, *, precision="day", unit="requests", value_to=None):
    return TrackerFigure(
        label="Requests",
        value=Decimal(value),
        value_to=None if value_to is None else Decimal(value_to),
        unit=unit,
        as_of=as_of,
        precision=precision,
        source="Herald",
    )


@pytest.mark.parametrize(
    ("precision", "label", "iso"),
    [
        ("year", "2012", "2012"),
        ("month", "Feb. 2017", "2017-02"),
        ("day", "Feb. 6, 2017", "2017-02-06"),
    ],
)
def test_a_readings_date_shows_only_its_known_parts(precision, label, iso):
    figure = reading(1, datetime.date(2017 if precision != "year" else 2012, 2, 6))
    figure.precision = precision
    if precision == "year":
        figure.as_of = datetime.date(2012, 12, 31)

    assert figure.as_of_label == label
    assert figure.as_of_iso == iso


def test_a_series_of_two_readings_is_charted_oldest_left_from_zero_up():
    old, new = (
        reading(2000, datetime.date(2012, 6, 1)),
        reading(27, datetime.date(2017, 2, 6)),
    )

    chart = charts.figure_chart("Requests", [new, old])

    first, last = chart.readings
    assert first.x == chart.plot_left and last.x == chart.plot_right
    assert first.y == charts.CHART_TOP  # 2,000 is the top of the scale
    assert last.y < chart.baseline and last.y > first.y
    assert [tick.label for tick in chart.y_ticks] == ["0", "1,000", "2,000"]
    assert chart.summary == (
        "Requests: 2 readings, from 2,000 requests (June 1, 2012) "
        "to 27 requests (Feb. 6, 2017)."
    )


def test_a_range_is_drawn_from_its_bottom_to_its_top():
    chart = charts.figure_chart(
        "Requests",
        [
            reading(500, datetime.date(2016, 1, 1)),
            reading(1000, datetime.date(2017, 1, 1), value_to=1500),
        ],
    )

    ranged = chart.readings[1]
    assert ranged.is_range
    assert ranged.y_to < ranged.y
    assert ranged.value_label == "1,000\u20131,500 requests"
    assert chart.line.endswith(f"{ranged.x},{ranged.middle_y}")


def test_readings_measured_otherwise_are_left_out_of_the_chart():
    series = [
        reading(2000, datetime.date(2012, 12, 31), precision="year"),
        reading(1900, datetime.date(2013, 12, 31), precision="day"),
        reading(1800, datetime.date(2014, 12, 31), precision="day"),
        reading(5, datetime.date(2015, 12, 31), unit="people"),
        reading(1700, datetime.date(2016, 12, 31), precision="day"),
    ]

    chart = charts.figure_chart("Requests", series)

    assert chart.skipped == 2
    assert [r.value_label for r in chart.readings] == [
        "1,900 requests",
        "1,800 requests",
        "1,700 requests",
    ]


def test_a_single_comparable_reading_gets_no_chart():
    assert (
        charts.figure_chart(
            "Requests",
            [
                reading(2000, datetime.date(2012, 12, 31), precision="year"),
                reading(27, datetime.date(2017, 2, 6)),
            ],
        )
        is None
    )


@pytest.mark.parametrize(
    ("value", "ceiling"), [(27, 50), (2000, 2000), (1500, 2000), (0.3, 0.5), (0, 1)]
)
def test_the_chart_scale_ends_on_a_round_number(value, ceiling):
    assert charts.nice_ceiling(value) == pytest.approx(ceiling)


# --- The editor's rule ------------------------------------------------------


def figure_row(label, unit, precision):
    return {
        "label": label,
        "value": "10",
        "value_to": "",
        "unit": unit,
        "precision": precision,
        "period": "",
        "as_of": "2017-02-06",
        "source": "Herald",
        "source_url": "",
    }


def tracker_form(*rows):
    form_class = TrackerPage.get_edit_handler().get_form_class()
    data = nested_form_data(
        {
            "title": "Tracker",
            "slug": "tracker",
            "summary": "An issue.",
            "status": "active",
            "figures": inline_formset(list(rows)),
            "events": inline_formset([]),
        }
    )
    return form_class(data, instance=TrackerPage(), for_user=None)


@pytest.mark.django_db
def test_the_editor_refuses_a_series_that_mixes_units_or_precisions():
    form = tracker_form(
        figure_row("Requests", "requests", "year"),
        figure_row("Requests", "requests", "day"),
        figure_row("Requests in 11 days", "requests", "day"),
    )

    assert not form.is_valid()
    figures = form.formsets["figures"]
    assert "comparable readings only" in str(figures.forms[1].errors["unit"])
    assert not figures.forms[0].errors and not figures.forms[2].errors


@pytest.mark.django_db
def test_the_editor_accepts_separate_series_with_their_own_precision():
    form = tracker_form(
        figure_row("Requests in a year", "requests", "year"),
        figure_row("Requests in 11 days", "requests", "day"),
    )

    assert form.is_valid(), form.errors
