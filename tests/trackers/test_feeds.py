"""A tracker's timeline feed, a route of the tracker page."""

import datetime

import pytest

from tests.factories import (
    add_to_tracker,
    event_fields,
    make_story,
    make_tracker,
    make_update,
)
from tests.feeds import moment, parse

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def tracker(home_page, story_index):
    tracker = make_tracker(
        home_page,
        "Sanctuary policy reversal",
        events=[
            event_fields(datetime.date(2017, 1, 26), title="Mayor signs the order"),
            event_fields(
                datetime.date(2017, 2, 17), kind="vote", title="Commission votes"
            ),
        ],
    )
    story = make_story(story_index, "Calls rerouted to 311")
    add_to_tracker(story, tracker)
    return tracker


@pytest.mark.parametrize("suffix", ["feed/", "feed/atom/"])
def test_tracker_feed_lists_its_timeline_newest_first_with_permalinks(
    client, tracker, suffix
):
    feed = parse(client, f"/trackers/{tracker.slug}/{suffix}")

    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Story: Calls rerouted to 311",
        "Vote: Commission votes",
        "Decision: Mayor signs the order",
    ]
    vote = tracker.events.get(title="Commission votes")
    assert feed.entries[1].link.endswith(f"{tracker.url}?at=event-{vote.pk}")
    assert feed.entries[1].id.startswith("urn:uuid:")
    assert moment(feed.entries[1].published_parsed).date() == datetime.date(2017, 2, 17)


def test_a_tracker_feed_permalink_leads_to_the_event(client, tracker):
    entry = parse(client, f"/trackers/{tracker.slug}/feed/").entries[1]
    path = entry.link.split("://", 1)[1].partition("/")[2]
    anchor = entry.link.rsplit("?at=", 1)[1]

    response = client.get("/" + path)

    assert response.status_code == 302
    assert response["Location"].endswith(f"#{anchor}")


def test_tracker_feed_guids_survive_a_retitled_event_and_new_events(client, tracker):
    before = {
        e.title: e.id for e in parse(client, f"/trackers/{tracker.slug}/feed/").entries
    }

    tracker = tracker.get_latest_revision_as_object()
    events = list(tracker.events.all())
    for event in events:
        if event.title == "Commission votes":
            event.title = "Commission votes 7 to 6"
    new = type(events[0])(**event_fields(datetime.date(2017, 3, 1), title="Protest"))
    tracker.events = [*events, new]
    tracker.save_revision().publish()
    after = {
        e.title: e.id for e in parse(client, f"/trackers/{tracker.slug}/feed/").entries
    }

    assert after["Vote: Commission votes 7 to 6"] == before["Vote: Commission votes"]
    assert (
        after["Decision: Mayor signs the order"]
        == before["Decision: Mayor signs the order"]
    )
    assert len(set(after.values())) == 4


def test_unknown_or_unpublished_tracker_feed_is_a_404(client, tracker):
    tracker.unpublish()

    assert client.get(f"/trackers/{tracker.slug}/feed/").status_code == 404
    assert client.get("/trackers/no-such-tracker/feed/atom/").status_code == 404


def test_home_story_and_tracker_pages_announce_their_feeds(
    client, tracker, story_index
):
    story = make_story(story_index, "Mayor drops the policy")

    home = client.get("/").content.decode()
    story_html = client.get(story.url).content.decode()
    tracker_html = client.get(tracker.url).content.decode()

    assert (
        'type="application/rss+xml" title="Stories (RSS)" href="/feeds/stories/"'
        in home
    )
    assert 'href="/feeds/updates/"' in home
    assert f'title="Updates to this story (RSS)" href="{story.url}feed/"' in story_html
    assert f'href="/trackers/{tracker.slug}/feed/"' in tracker_html


@pytest.mark.slow
def test_tracker_feed_queries_do_not_grow_with_the_timeline(
    client, home_page, story_index, django_assert_max_num_queries
):
    def tracker_with(count):
        tracker = make_tracker(
            home_page,
            events=[
                event_fields(datetime.date(2017, 1, 1) + datetime.timedelta(days=n))
                for n in range(count)
            ],
        )
        for _ in range(count):
            story = make_story(story_index)
            add_to_tracker(story, tracker)
            make_update(story, kind="correction")
        return tracker

    small, large = tracker_with(2), tracker_with(20)
    with django_assert_max_num_queries(15):
        parse(client, f"/trackers/{small.slug}/feed/")
    with django_assert_max_num_queries(15):
        assert len(parse(client, f"/trackers/{large.slug}/feed/").entries) == 50


def test_a_correction_in_the_tracker_feed_is_labelled_once(client, tracker):
    story = tracker.stories.get()
    make_update(story, "We got the day wrong.", kind="correction")

    titles = [
        entry.title
        for entry in parse(client, f"/trackers/{tracker.slug}/feed/").entries
    ]

    assert "Correction: Calls rerouted to 311" in titles
    assert not [title for title in titles if "Correction: Correction" in title]
