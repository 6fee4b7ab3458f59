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
    # The kinds are folded away until the reader opens them.
    assert not page.get_by_label("Story", exact=True).is_visible()
    page.get_by_text("Kinds of event", exact=True).click()
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


def focused(page):
    """A short description of the element that has the keyboard focus."""
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}#${e.id} ${e.textContent.trim()}`; })()"
    )


def press_until_focused(page, selector, key="Tab", limit=80):
    """Press `key` until `selector` has the focus, as a keyboard user would.

    Fails if the focus never gets there, and unless the focus is drawn: the
    element matches :focus-visible and has an outline.
    """
    for _ in range(limit):
        page.keyboard.press(key)
        if page.locator(selector).evaluate("e => e === document.activeElement"):
            break
    else:
        raise AssertionError(f"{key} never reached {selector}")
    drawn = page.locator(selector).evaluate(
        "e => e.matches(':focus-visible')"
        " && getComputedStyle(e).outlineStyle !== 'none'"
        " && parseFloat(getComputedStyle(e).outlineWidth) > 0"
    )
    assert drawn, f"{selector} has the focus but does not show it"


def test_reader_filters_the_timeline_and_follows_a_permalink_by_keyboard_alone(
    live_server, page, home_page, story_index
):
    tracker = make_tracker(
        home_page,
        events=[
            event_fields(
                datetime.date(2017, 1, 27), kind="protest", title="Protest at Hall"
            ),
            event_fields(datetime.date(2017, 1, 30), kind="letter", title="Letter"),
        ],
    )
    story = make_story(story_index, "Office stops taking calls")
    add_to_tracker(story, tracker)
    page.goto(live_server.url + tracker.url)

    press_until_focused(page, ".timeline-filter__kinds > summary")
    page.keyboard.press("Enter")
    press_until_focused(page, "#kind-protest")
    page.keyboard.press("Space")
    press_until_focused(page, "#kind-story")
    page.keyboard.press("Space")
    press_until_focused(page, "#order-oldest")
    page.keyboard.press("ArrowRight")
    assert page.locator("#order-newest").is_checked()
    press_until_focused(page, ".timeline-filter button")
    # Back and forth: the order radios are one stop, in both directions.
    press_until_focused(page, "#order-newest", key="Shift+Tab", limit=1)
    press_until_focused(page, ".timeline-filter button", limit=1)
    page.keyboard.press("Enter")

    page.wait_for_url("**?kind=protest&kind=story&order=newest#timeline-heading")
    headlines = page.locator(".timeline-event__headline").all_inner_texts()
    assert headlines == ["Office stops taking calls", "Protest at Hall"]
    # The form sends the reader back to the timeline, and the keyboard goes on
    # from there rather than from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.querySelector('.timeline').contains(document.activeElement)"
    ), focused(page)

    press_until_focused(page, f"#story-{story.pk} .timeline-event__permalink")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**kind=protest&kind=story&order=newest#story-{story.pk}")
    assert page.locator(f"#story-{story.pk}").evaluate("e => e.matches(':target')")

    press_until_focused(page, "text=Show everything", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{tracker.url}#timeline-heading")
    assert page.locator(".timeline-event").count() == 3


def test_reader_reaches_each_mark_of_the_visual_timeline_by_keyboard(
    live_server, page, home_page
):
    tracker = make_tracker(
        home_page,
        events=[
            event_fields(
                datetime.date(2013, 6, 1),
                kind="vote",
                title="Resolution",
                precision="year",
            ),
            event_fields(datetime.date(2017, 1, 27), kind="protest", title="Protest"),
        ],
    )
    vote, protest = tracker.events.get(kind="vote"), tracker.events.get(kind="protest")
    page.goto(live_server.url + tracker.url)

    # Each mark is a link with a name that says what and when.
    assert page.get_by_role("link", name="Vote, 2013: Resolution").count() == 1
    # Lane by lane, in the order of the kinds: protests come before votes.
    press_until_focused(page, f'.tl-mark[href="#event-{protest.pk}"]')
    press_until_focused(page, f'.tl-mark[href="#event-{vote.pk}"]', limit=1)
    page.keyboard.press("Enter")

    page.wait_for_url(f"**#event-{vote.pk}")
    assert page.locator(f"#event-{vote.pk}").evaluate("e => e.matches(':target')")
