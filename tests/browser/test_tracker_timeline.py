"""A reader filters a tracker's timeline, follows an event to its story, and
comes back to the same place."""

import datetime

import pytest

from tests.factories import add_to_tracker, event_fields, make_story, make_tracker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_filters_follows_an_event_to_its_story_and_comes_back(
    live_server, page, home_page, story_index
):
    tracker = make_tracker(
        home_page,
        events=[
            event_fields(
                datetime.date(2017, 1, 27),
                kind="protest",
                title="Protest at County Hall",
            ),
            event_fields(datetime.date(2017, 1, 30), kind="letter", title="Letter"),
        ],
    )
    story = make_story(story_index, "Office stops taking calls")
    add_to_tracker(story, tracker)

    page.goto(live_server.url + tracker.url)
    page.get_by_label("Story", exact=True).check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**?kind=story**")
    events = page.locator(".timeline-event")
    assert events.count() == 1
    assert "Protest at County Hall" not in page.locator("main").inner_text()

    page.get_by_role("link", name="Link to this event").click()
    page.wait_for_url(f"**#story-{story.pk}")
    place = page.url
    assert "kind=story" in place

    page.locator(f"#story-{story.pk}").get_by_role(
        "link", name="Read the story"
    ).click()
    page.wait_for_url(f"{live_server.url}{story.url}")
    assert page.locator("h1").inner_text() == "Office stops taking calls"

    page.go_back()
    page.wait_for_url(place)
    assert page.url == place
    assert page.locator(".timeline-event").count() == 1
    assert page.locator(f"#story-{story.pk}").is_visible()
