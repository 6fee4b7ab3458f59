"""Tracker pages, their 4xx answers, the TimelineJS export, home and demo."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sources.models import RequestForComment, Statement
from stories.models import StoryPage
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
from trackers.models import TimelineEvent, TrackerPage
from trackers.routes import EMBED_EVENTS
from trackers.timeline import EVENTS_PER_PAGE

pytestmark = pytest.mark.django_db

JAN_27 = datetime.date(2017, 1, 27)
# The tracker page's queries: Wagtail's routing and site lookups, the tracker's
# figures and stories, one per timeline source and the view-restriction checks.
# The same bound holds at 20 events and at 2,000.
TRACKER_PAGE_QUERIES = 21
# The home page: its stories, then the active trackers and one query per
# timeline source for all of them together.
HOME_QUERIES = 18


@pytest.fixture
def tracker(home_page):
    return make_tracker(
        home_page,
        "County sanctuary policy reversal",
        events=[
            event_fields(
                JAN_27,
                kind="protest",
                title="Protest at County Hall",
                precision="time",
                start_time=datetime.time(11),
            ),
            event_fields(
                datetime.date(2017, 1, 30), kind="letter", title="Lawyers' letter"
            ),
            event_fields(
                datetime.date(2013, 6, 1),
                kind="vote",
                title="Unanimous resolution",
                precision="year",
            ),
        ],
        figures=[
            {
                "label": "Detainer requests",
                "value": 2000,
                "as_of": datetime.date(2012, 12, 31),
                "source": "Herald",
            },
            {
                "label": "Detainer requests",
                "value": 27,
                "as_of": datetime.date(2017, 2, 6),
                "source": "Herald",
            },
        ],
    )


def test_tracker_page_groups_events_by_year_and_month_with_permalinks(client, tracker):
    event = tracker.events.get(kind="protest")

    response = client.get("/trackers/" + tracker.slug + "/")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<h3 class="timeline__year">2013</h3>' in html
    assert '<h4 class="timeline__month">January 2017</h4>' in html
    assert f'id="event-{event.pk}"' in html
    assert "Jan. 27, 2017, 11 a.m." in html
    assert f'href="?at=event-{event.pk}"' in html
    events = html[html.index('class="timeline__events"') :]
    assert events.index("Unanimous resolution") < events.index("Protest at County Hall")


def test_key_figures_show_each_reading_oldest_first(client, tracker):
    html = client.get(tracker.url).content.decode()

    assert "<caption>Detainer requests</caption>" in html
    assert html.index("2,000") < html.index(">27 ")


def test_kind_filter_shows_only_the_chosen_kinds_and_keeps_them_checked(
    client, tracker
):
    html = client.get(tracker.url, {"kind": ["protest", "letter"]}).content.decode()
    timeline = html[html.index('id="timeline-heading"') :]

    assert "Protest at County Hall" in timeline
    assert "Lawyers&#x27; letter" in timeline
    assert "Unanimous resolution" not in timeline
    assert 'value="protest" id="kind-protest" checked' in html
    assert 'value="vote" id="kind-vote">' in html


def test_newest_first_puts_the_latest_event_at_the_top(client, tracker):
    html = client.get(tracker.url, {"order": "newest"}).content.decode()
    events = html[html.index('class="timeline__events"') :]

    assert events.index("Lawyers&#x27; letter") < events.index("Unanimous resolution")


def test_permalink_redirects_to_the_page_holding_the_event(client, home_page):
    days = [JAN_27 + datetime.timedelta(days=n) for n in range(EVENTS_PER_PAGE + 5)]
    tracker = make_tracker(home_page, events=[event_fields(day) for day in days])
    last = tracker.events.order_by("-start_date").first()

    response = client.get(tracker.url, {"at": f"event-{last.pk}", "kind": "decision"})
    page = client.get(response["Location"].split("#")[0])

    assert response.status_code == 302
    assert response["Location"] == (
        f"{tracker.url}?kind=decision&page=2#event-{last.pk}"
    )
    assert f'id="event-{last.pk}"' in page.content.decode()


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("kind=rumour", 400, "There is no kind of event called"),
        ("kind=protest&kind=rumour", 400, "There is no kind of event called"),
        ("order=sideways", 400, "The order must be"),
        ("page=abc", 400, "is not a page number"),
        ("page=99", 404, "This timeline has no page 99"),
        ("at=event-999999", 404, "There is no event"),
    ],
)
def test_bad_timeline_requests_get_a_clear_4xx_page(
    client, tracker, query, status, message
):
    response = client.get(f"{tracker.url}?{query}")

    assert response.status_code == status
    assert message in response.content.decode()


@pytest.mark.parametrize("count", [20, 2000])
def test_tracker_page_queries_are_bounded_whatever_the_timeline_length(
    client, home_page, story_index, django_assert_max_num_queries, count
):
    tracker = make_tracker(home_page)
    story = make_story(story_index)
    add_to_tracker(story, tracker)
    make_update(story, kind="correction")
    source = make_source()
    make_statement(source, tracker=tracker)
    make_request(source, tracker=tracker)
    hand_written = count // 2 - 4
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            tracker=tracker,
            kind="letter",
            title=f"Letter {n}",
            start_date=JAN_27,
            precision="day",
            source=source,
            statement_id=None,
            story=story,
        )
        for n in range(hand_written)
    )
    now = timezone.now()
    Statement.objects.bulk_create(
        Statement(
            source=source,
            tracker=tracker,
            said_at=now,
            channel="document",
            summary=f"Said {n}",
            live=True,
        )
        for n in range(count // 4)
    )
    RequestForComment.objects.bulk_create(
        RequestForComment(
            source=source,
            tracker=tracker,
            asked_at=now,
            channel="phone",
            public_summary=f"Asked {n}",
        )
        for n in range(count - hand_written - count // 4 - 4)
    )

    with django_assert_max_num_queries(TRACKER_PAGE_QUERIES):
        response = client.get(tracker.url, {"page": 2 if count > 50 else 1})

    assert response.status_code == 200
    assert response.content.decode().count('class="timeline-event ') == min(
        count, EVENTS_PER_PAGE
    )

    # The embed draws the latest events in the same bounded number of queries.
    with django_assert_max_num_queries(TRACKER_PAGE_QUERIES):
        embed = client.get(f"{tracker.url}embed/")

    assert embed.content.decode().count('class="tl-mark"') == min(count, EMBED_EVENTS)


def test_timeline_json_has_the_timelinejs3_shape(client, tracker, story_index):
    story = make_story(story_index, "Calls not taken")
    add_to_tracker(story, tracker)
    letter = tracker.events.get(kind="letter")
    letter.end_date = datetime.date(2017, 2, 2)
    letter.save()

    response = client.get(f"{tracker.url}timeline.json")
    data = json.loads(response.content)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert set(data) == {"title", "events"}
    assert set(data["title"]) == {"text"}
    assert set(data["title"]["text"]) == {"headline", "text"}
    assert data["title"]["text"]["headline"] == tracker.title
    by_id = {event["unique_id"]: event for event in data["events"]}
    for event in data["events"]:
        assert set(event) <= {"start_date", "end_date", "text", "group", "unique_id"}
        assert {"start_date", "text", "group", "unique_id"} <= set(event)
        assert set(event["text"]) == {"headline", "text"}
        assert isinstance(event["start_date"]["year"], int)
    vote = by_id[f"event-{tracker.events.get(kind='vote').pk}"]
    protest = by_id[f"event-{tracker.events.get(kind='protest').pk}"]
    assert vote["start_date"] == {"year": 2013}
    assert "end_date" not in vote
    assert vote["group"] == "Vote"
    assert protest["start_date"] == {
        "year": 2017,
        "month": 1,
        "day": 27,
        "hour": 11,
        "minute": 0,
    }
    assert by_id[f"event-{letter.pk}"]["end_date"] == {
        "year": 2017,
        "month": 2,
        "day": 2,
    }
    story_event = by_id[f"story-{story.pk}"]
    assert story_event["group"] == "Story"
    assert set(story_event["start_date"]) == {"year", "month", "day", "hour", "minute"}
    # Absolute, on BASE_URL: an embed on another site reads it.
    assert f'href="http://testserver{story.url}"' in story_event["text"]["text"]


def test_timeline_json_of_an_unknown_tracker_is_not_found(client, home_page):
    assert client.get("/trackers/nothing-here/timeline.json").status_code == 404


def test_home_lists_active_trackers_with_their_latest_event(client, home_page, tracker):
    make_tracker(home_page, "Closed issue", status="closed")

    html = client.get("/").content.decode()

    assert "County sanctuary policy reversal" in html
    assert "Closed issue" not in html
    assert 'Latest: <time datetime="2017-01-30">Jan. 30, 2017</time>' in html
    assert "Lawyers&#x27; letter" in html


def test_tracker_index_lists_trackers(client, tracker):
    html = client.get("/trackers/").content.decode()

    assert f'href="{tracker.url}"' in html


def test_nav_links_to_trackers(client, home_page):
    assert 'href="/trackers/"' in client.get("/").content.decode()


def test_reporter_sets_a_storys_trackers_in_the_story_editor(
    reporter_client, story_index, tracker
):
    story = make_story(story_index)

    html = reporter_client.get(f"/admin/pages/{story.pk}/edit/").content.decode()

    assert 'name="trackers"' in html
    assert f'value="{tracker.pk}"' in html


def test_statements_and_requests_can_be_linked_to_a_tracker_in_the_admin():
    for model in (Statement, RequestForComment):
        form_class = model.get_edit_handler().get_form_class()
        assert "tracker" in form_class.base_fields


def test_demo_tracker_has_the_seeded_events_and_links(client):
    call_command("load_demo", stdout=StringIO())
    tracker = TrackerPage.objects.get(slug="county-sanctuary-policy-reversal")

    html = client.get(tracker.url).content.decode()

    resolution = tracker.events.get(kind="vote")
    assert (resolution.precision, resolution.start_date.year) == ("year", 2013)
    protest = tracker.events.get(kind="protest")
    assert (protest.start_date, protest.start_time) == (JAN_27, datetime.time(11))
    assert tracker.events.get(kind="meeting").start_date == datetime.date(2017, 2, 17)
    assert tracker.stories.count() == StoryPage.objects.live().count() == 6
    assert Statement.objects.filter(tracker=tracker).count() == 8
    assert RequestForComment.objects.filter(tracker=tracker).count() == 10
    for text in (
        "Jan. 25, 2017",
        "Jan. 26, 2017",
        "Jan. 27, 2017, 11 a.m.",
        "Jan. 30, 2017",
        "Feb. 17, 2017",
        "27 detainer requests",
        "rerouted to 311",
        "1,000\u20131,500",
    ):
        assert text in html


def test_home_queries_stay_bounded_with_active_trackers(
    client, home_page, story_index, django_assert_max_num_queries
):
    for n in range(3):
        tracker = make_tracker(
            home_page, events=[event_fields(JAN_27 + datetime.timedelta(days=n))]
        )
        story = make_story(story_index)
        add_to_tracker(story, tracker)
        make_update(story)
        make_statement(make_source(), tracker=tracker)

    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get("/")

    assert response.content.decode().count('class="tracker-list__latest"') == 3


def test_a_tracker_lists_its_latest_stories_and_leads_to_the_rest_on_its_timeline(
    client, home_page, story_index
):
    tracker = make_tracker(home_page)
    for n in range(TrackerPage.LATEST_STORIES + 2):
        add_to_tracker(make_story(story_index, f"Story number {n}"), tracker)

    html = client.get(tracker.url).content.decode()
    listed = html[
        html.index('id="stories-heading"') : html.index('id="timeline-heading"')
    ]

    assert listed.count('class="story-list__item"') == TrackerPage.LATEST_STORIES
    assert f"Story number {TrackerPage.LATEST_STORIES + 1}" in listed
    assert "Story number 0<" not in listed
    assert 'href="?kind=story&amp;order=newest#timeline-heading"' in listed
    all_stories = client.get(tracker.url, {"kind": "story", "order": "newest"})
    assert all_stories.content.decode().count("timeline-event--story") == (
        TrackerPage.LATEST_STORIES + 2
    )
