"""The merged timeline (trackers.timeline), tested without HTTP."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from newsroom.scaffold import backdate_update
from sources.models import RequestForComment, Statement
from tests.factories import (
    add_to_tracker,
    event_fields,
    make_request,
    make_source,
    make_statement,
    make_story,
    make_tracker,
    make_update,
)
from trackers.models import TimelineEvent
from trackers.timeline import (
    EVENTS_PER_PAGE,
    PreciseDate,
    TimelineError,
    TimelinePageNotFound,
    TimelineQuery,
    build_timeline,
    count_items,
    latest_events,
    latest_items,
    permalink_target,
    timeline_page,
)

pytestmark = pytest.mark.django_db

MIAMI = ZoneInfo("America/New_York")
JAN_27 = datetime.date(2017, 1, 27)


def at(month, day, hour=0, minute=0):
    return datetime.datetime(2017, month, day, hour, minute, tzinfo=MIAMI)


def anchors(items):
    return [item.anchor for item in items]


@pytest.fixture
def merged(home_page, story_index):
    """A tracker with one item of every source kind and every precision."""
    tracker = make_tracker(
        home_page,
        events=[
            event_fields(
                JAN_27,
                kind="protest",
                precision="time",
                start_time=datetime.time(11),
                title="Protest",
            ),
            event_fields(JAN_27, kind="letter", title="Letter, day"),
            event_fields(JAN_27, kind="meeting", precision="month", title="Month"),
            event_fields(JAN_27, kind="vote", precision="year", title="Year"),
        ],
    )
    events = {event.title: event for event in tracker.events.all()}
    story = make_story(story_index, "Calls not taken", when=at(1, 27, 9))
    add_to_tracker(story, tracker)
    correction = make_update(story, "We fixed a date.", kind="correction")
    backdate_update(correction, at(1, 28, 8))
    source = make_source("Mayor's office")
    statement = make_statement(
        source, said_at=at(1, 26, 15), precision="day", tracker=tracker
    )
    request = make_request(source, asked_at=at(1, 27, 11), tracker=tracker)
    return {
        "tracker": tracker,
        "events": events,
        "story": story,
        "correction": correction,
        "statement": statement,
        "request": request,
        "source": source,
    }


def test_merge_orders_kinds_and_precisions_by_the_start_of_each_period(merged):
    events = merged["events"]

    items = build_timeline(merged["tracker"])

    assert anchors(items) == [
        f"event-{events['Year'].pk}",  # 2017: before every month of 2017
        f"event-{events['Month'].pk}",  # January 2017: before its days
        f"statement-{merged['statement'].pk}",  # Jan. 26 (day precision)
        f"event-{events['Letter, day'].pk}",  # Jan. 27: before its timed events
        f"story-{merged['story'].pk}",  # Jan. 27, 9 a.m.
        f"event-{events['Protest'].pk}",  # Jan. 27, 11 a.m.: hand-written first
        f"request-{merged['request'].pk}",  # Jan. 27, 11 a.m.
        f"update-{merged['correction'].pk}",  # Jan. 28, 8 a.m.
    ]
    assert [item.kind for item in items] == [
        "vote",
        "meeting",
        "statement",
        "letter",
        "story",
        "protest",
        "request",
        "correction",
    ]


def test_newest_first_is_the_exact_reverse_of_oldest_first(merged):
    oldest = build_timeline(merged["tracker"], TimelineQuery(newest_first=False))
    newest = build_timeline(merged["tracker"], TimelineQuery(newest_first=True))

    assert anchors(newest) == anchors(oldest)[::-1]


def test_dates_are_shown_as_precisely_as_they_are_known():
    assert PreciseDate.from_parts("year", JAN_27).label == "2017"
    assert PreciseDate.from_parts("month", JAN_27).label == "January 2017"
    assert PreciseDate.from_parts("day", JAN_27).label == "Jan. 27, 2017"
    timed = PreciseDate.from_parts("time", JAN_27, datetime.time(11))
    assert timed.label == "Jan. 27, 2017, 11 a.m."
    assert timed.iso == "2017-01-27T11:00"
    assert PreciseDate.from_parts("month", JAN_27).iso == "2017-01"


def test_system_times_are_read_in_the_newsrooms_time_zone():
    late_evening = datetime.datetime(2017, 1, 28, 3, 30, tzinfo=datetime.UTC)

    when = PreciseDate.from_datetime(late_evening)

    assert when.label == "Jan. 27, 2017, 10:30 p.m."


def test_kind_filter_keeps_only_the_chosen_kinds(merged):
    events = merged["events"]
    tracker = merged["tracker"]

    hand_written = build_timeline(tracker, TimelineQuery(kinds=("protest", "letter")))
    corrections = build_timeline(tracker, TimelineQuery(kinds=("correction",)))
    updates = build_timeline(tracker, TimelineQuery(kinds=("update",)))

    assert anchors(hand_written) == [
        f"event-{events['Letter, day'].pk}",
        f"event-{events['Protest'].pk}",
    ]
    assert anchors(corrections) == [f"update-{merged['correction'].pk}"]
    assert updates == []


def test_drafts_private_and_unlinked_objects_stay_off_the_timeline(merged, story_index):
    tracker = merged["tracker"]
    source = merged["source"]
    before = anchors(build_timeline(tracker))
    make_statement(source, tracker=tracker, publish=False)
    make_statement(source, tracker=tracker, on_the_record=False)
    make_statement(source)
    make_request(source, tracker=tracker, is_public=False)
    secret = make_source("Whistleblower", is_confidential=True)
    make_request(secret, tracker=tracker)
    make_statement(secret, tracker=tracker)
    unpublished = make_source("Not yet published", publish=False)
    make_request(unpublished, tracker=tracker)
    make_statement(unpublished, tracker=tracker)
    draft = make_story(story_index, "Draft", publish=False)
    draft.trackers = [tracker]
    draft.save_revision()
    make_update(merged["story"], "Not out yet.", publish=False)

    assert anchors(build_timeline(tracker)) == before


def test_a_story_in_two_trackers_shows_on_both_timelines(merged, home_page):
    other = make_tracker(home_page)
    add_to_tracker(merged["story"], other)

    assert f"story-{merged['story'].pk}" in anchors(build_timeline(other))
    assert f"update-{merged['correction'].pk}" in anchors(build_timeline(other))


def test_permalink_leads_to_the_page_holding_the_event_with_the_filters(
    home_page,
):
    days = [JAN_27 + datetime.timedelta(days=n) for n in range(EVENTS_PER_PAGE + 10)]
    tracker = make_tracker(
        home_page, events=[event_fields(day, kind="letter") for day in days]
    )
    items = build_timeline(tracker)
    late = items[EVENTS_PER_PAGE + 3].anchor

    oldest = permalink_target(tracker, TimelineQuery(at=late), "/trackers/t/")
    newest = permalink_target(
        tracker,
        TimelineQuery(at=late, newest_first=True, kinds=("letter",)),
        "/trackers/t/",
    )

    assert oldest == f"/trackers/t/?page=2#{late}"
    assert newest == f"/trackers/t/?kind=letter&order=newest#{late}"


def test_permalink_to_an_event_not_on_the_timeline_is_not_found(merged):
    tracker = merged["tracker"]
    story = f"story-{merged['story'].pk}"

    for query in [
        TimelineQuery(at="event-0"),
        TimelineQuery(at=f"event-{2**64}"),
        TimelineQuery(at=story, kinds=("statement",)),
    ]:
        with pytest.raises(TimelinePageNotFound):
            permalink_target(tracker, query)


@pytest.mark.parametrize(
    "params",
    [
        {"kind": ["rumour"]},
        {"order": ["sideways"]},
        {"page": ["two"]},
        {"page": ["0"]},
        {"at": ["<script>"]},
    ],
)
def test_bad_query_parameters_are_refused_with_a_message(params):
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)

    with pytest.raises(TimelineError) as error:
        TimelineQuery.from_params(query)
    assert error.value.status == 400
    assert str(error.value)


def test_a_statement_is_headlined_by_what_was_said_not_its_channel(
    home_page, story_index
):
    tracker = make_tracker(home_page)
    mayor = make_source("Carlos Gimenez", slug="carlos-gimenez")
    make_statement(
        mayor,
        channel="press_release",
        quote="Miami-Dade County has never been a sanctuary county.",
        tracker=tracker,
    )
    make_statement(
        mayor,
        channel="phone_call",
        quote="",
        summary="The mayor ordered county jails to honor detention requests. "
        "He said the county was never a sanctuary, whatever the order says.",
        tracker=tracker,
    )

    quoted, summarised = sorted(
        build_timeline(tracker), key=lambda item: item.detail, reverse=True
    )

    assert quoted.headline == (
        "Carlos Gimenez: “Miami-Dade County has never been a sanctuary county.”"
    )
    assert quoted.detail == "Press release"
    # Our summary is not put in their mouth: no quotation marks, and said to be ours.
    assert summarised.headline == (
        "The mayor ordered county jails to honor detention requests."
    )
    assert "“" not in summarised.headline
    assert (
        summarised.detail == "Our summary of a statement by Carlos Gimenez · Phone call"
    )
    assert summarised.text == (
        "He said the county was never a sanctuary, whatever the order says."
    )


def test_a_long_statement_headline_is_cut_at_a_word_and_the_text_keeps_it_all(
    home_page,
):
    tracker = make_tracker(home_page)
    words = "word " * 60
    make_statement(make_source(), quote=words, tracker=tracker)

    (item,) = build_timeline(tracker)

    assert item.headline.endswith("word…”")
    assert len(item.headline) < 160
    assert item.text == f"“{words.strip()}”"


def test_an_update_headline_does_not_repeat_the_kind_label(merged):
    story = merged["story"]
    make_update(story, "A note from the editor.", kind="editors_note")

    items = build_timeline(merged["tracker"])
    headlines = {item.anchor.split("-")[0]: [] for item in items}
    for item in items:
        headlines[item.anchor.split("-")[0]].append((item.kind_label, item.headline))

    assert ("Correction", story.title) in headlines["update"]
    assert ("Update", f"Editor's note: {story.title}") in headlines["update"]


@pytest.fixture
def long_timeline(merged):
    """The merged tracker with pages of items tied at the same moments: events
    of every precision on the same days, and statements and requests (some
    of them hidden) at the same minutes, as bulk writes leave them."""
    tracker, source = merged["tracker"], merged["source"]
    precisions = ["year", "month", "day", "time"]
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            tracker=tracker,
            kind=["letter", "vote", "protest"][n % 3],
            title=f"Event {n}",
            start_date=JAN_27 + datetime.timedelta(days=n % 4),
            precision=precisions[n % 4],
            start_time=datetime.time(11) if n % 4 == 3 else None,
        )
        for n in range(60)
    )
    Statement.objects.bulk_create(
        Statement(
            source=source,
            tracker=tracker,
            said_at=at(1, 27 + n % 3, 11),
            precision=["day", "time"][n % 2],
            channel="document",
            summary=f"Said {n}",
            live=True,
            on_the_record=n % 7 != 0,
        )
        for n in range(40)
    )
    RequestForComment.objects.bulk_create(
        RequestForComment(
            source=source,
            tracker=tracker,
            asked_at=at(1, 27, 11, 30 * (n % 2)),
            channel="phone",
            public_summary=f"Asked {n}",
            is_public=n % 5 != 0,
        )
        for n in range(30)
    )
    return tracker


def all_pages(tracker, **query):
    first = timeline_page(tracker, TimelineQuery(**query))
    pages = [first.object_list]
    for number in first.paginator.page_range[1:]:
        pages.append(
            timeline_page(tracker, TimelineQuery(page=number, **query)).object_list
        )
    return first.paginator.num_pages, [anchors(page) for page in pages]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"newest_first": True},
        {"kinds": ("statement", "letter", "correction")},
        {"kinds": ("request",), "newest_first": True},
    ],
)
def test_pages_cut_by_the_database_follow_the_whole_timelines_order(
    long_timeline, query
):
    whole = anchors(build_timeline(long_timeline, TimelineQuery(**query)))

    num_pages, pages = all_pages(long_timeline, **query)

    assert num_pages == -(-len(whole) // EVENTS_PER_PAGE)
    assert [anchor for page in pages for anchor in page] == whole
    assert all(len(page) == EVENTS_PER_PAGE for page in pages[:-1])
    for position in [0, 1, 49, 50, 51, len(whole) - 1]:
        if position >= len(whole):
            continue
        target = permalink_target(
            long_timeline, TimelineQuery(at=whole[position], **query), "/t/"
        )
        page = position // EVENTS_PER_PAGE + 1
        assert target.startswith("/t/?" if page > 1 or query else "/t/#")
        assert (f"page={page}" in target) == (page > 1)


def test_a_page_of_a_long_timeline_reads_only_that_page_of_rows(long_timeline):
    with CaptureQueriesContext(connection) as queries:
        page = timeline_page(long_timeline, TimelineQuery(page=2))

    assert len(page.object_list) == EVENTS_PER_PAGE
    merged = [q["sql"] for q in queries if "UNION ALL" in q["sql"]]
    cut = [sql for sql in merged if "COUNT(" not in sql]
    assert len(cut) == 1
    assert re.search(r"LIMIT 50 OFFSET 50\b", cut[0])
    # Each source then loads only the rows of that page, by id.
    loads = [q["sql"] for q in queries if "UNION ALL" not in q["sql"]]
    for sql in loads:
        ids = re.search(r'"id" IN \(([^)]*)\)', sql)
        assert ids, sql
        assert len(ids.group(1).split(",")) <= EVENTS_PER_PAGE


def test_the_latest_items_are_the_end_of_the_whole_timeline(long_timeline):
    whole = anchors(build_timeline(long_timeline))

    assert anchors(latest_items(long_timeline, 7)) == whole[::-1][:7]
    assert count_items(long_timeline) == len(whole)


def test_the_latest_event_of_each_tracker_is_its_timelines_last(
    long_timeline, merged, home_page
):
    other = make_tracker(home_page, events=[event_fields(JAN_27)])
    empty = make_tracker(home_page)

    latest = latest_events([long_timeline, other, empty])

    assert latest[long_timeline.pk].anchor == build_timeline(long_timeline)[-1].anchor
    assert latest[other.pk].anchor == build_timeline(other)[-1].anchor
    assert empty.pk not in latest
