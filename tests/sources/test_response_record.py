"""Response-record figures against values worked out by hand."""

import datetime

import pytest
from django.utils import timezone

from sources.models import Outcome
from sources.response_record import (
    InvalidPeriod,
    build_response_record,
    describe_duration,
    parse_period,
)
from tests.factories import make_request, make_source

pytestmark = pytest.mark.django_db

NOW = timezone.now()
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def responded(source, hours, *, days_ago=1, deadline_hours=None):
    asked = NOW - days_ago * DAY
    return make_request(
        source,
        asked_at=asked,
        outcome=Outcome.RESPONDED,
        answered_at=asked + hours * HOUR,
        deadline=asked + deadline_hours * HOUR if deadline_hours else None,
    )


def test_a_source_never_asked_has_an_empty_record_and_no_rate():
    record = build_response_record(make_source())

    assert record.requests == 0
    assert record.responses == 0
    assert record.median_time_to_respond is None
    assert record.response_rate is None
    assert "only 0 settled requests" in record.rate_withheld_reason


def test_all_pending_requests_count_as_requests_but_not_against_the_source():
    source = make_source()
    for _ in range(6):
        make_request(source, deadline=NOW + DAY)

    record = build_response_record(source)

    assert (record.requests, record.pending, record.settled) == (6, 6, 0)
    assert record.response_rate is None
    assert record.median_time_to_respond is None


def test_figures_match_hand_computed_values_including_late_responses():
    source, centre = make_source(), make_source("311 centre")
    responded(source, 2)
    responded(source, 4, deadline_hours=3)  # late
    responded(source, 30, deadline_hours=24)  # late
    responded(source, 1)
    make_request(source, outcome=Outcome.DECLINED, answered_at=NOW)
    make_request(source, outcome=Outcome.NO_RESPONSE)
    make_request(source, outcome=Outcome.REFUSED_MESSAGE, answered_at=NOW)
    make_request(source, outcome=Outcome.REFERRED, referred_to=centre, answered_at=NOW)
    make_request(source, outcome=Outcome.REFERRED, referred_to=centre, answered_at=NOW)
    make_request(source)  # pending
    make_request(source, is_public=False, outcome=Outcome.NO_RESPONSE)

    record = build_response_record(source)

    assert record.requests == 10
    assert record.pending == 1
    assert record.settled == 9
    assert record.responses == 4
    assert record.late_responses == 2
    assert (record.declines, record.no_response, record.refusals) == (1, 1, 1)
    assert record.referrals == 2
    assert [(r.name, r.count) for r in record.referred_to] == [("311 centre", 2)]
    # 4 of 9 settled requests answered.
    assert record.response_rate_percent == 44
    # Times 1, 2, 4 and 30 hours: the median is between 2 and 4.
    assert record.median_time_to_respond == 3 * HOUR
    assert record.timed_responses == 4


def test_the_median_of_an_odd_count_is_the_middle_value():
    source = make_source()
    for hours in (5, 1, 9):
        responded(source, hours)

    assert build_response_record(source).median_time_to_respond == 5 * HOUR


def test_the_rate_is_withheld_below_five_settled_requests_and_shown_at_five():
    source = make_source()
    for hours in (1, 2, 3, 4):
        responded(source, hours)
    assert build_response_record(source).response_rate is None

    make_request(source, outcome=Outcome.NO_RESPONSE)
    assert build_response_record(source).response_rate_percent == 80


def test_periods_count_requests_by_their_first_contact():
    source = make_source()
    responded(source, 1, days_ago=10)
    responded(source, 1, days_ago=60)
    responded(source, 1, days_ago=200)
    responded(source, 1, days_ago=800)

    counts = {
        period: build_response_record(source, period).requests
        for period in ("30", "90", "365", "all")
    }

    assert counts == {"30": 1, "90": 2, "365": 3, "all": 4}


def test_an_unknown_period_is_refused_with_the_choices():
    assert parse_period("") == "all"
    with pytest.raises(InvalidPeriod, match="30, 90, 365, all"):
        parse_period("7")


def test_durations_read_in_words():
    assert describe_duration(3 * HOUR + datetime.timedelta(minutes=20)) == (
        "3 hours 20 minutes"
    )
    assert describe_duration(DAY + HOUR) == "1 day 1 hour"
