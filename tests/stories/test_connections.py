"""A story connects to its trackers and to related coverage readers may see."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.factories import (
    add_to_tracker,
    make_story,
    make_tracker,
    make_update,
    publish_new_version,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def related_titles(client, story):
    soup = BeautifulSoup(client.get(story.url).content.decode(), "html.parser")
    aside = soup.find("aside", class_="related")
    return [a.get_text() for a in aside.find_all("a")] if aside else []


def test_a_story_names_the_trackers_it_is_part_of(client, home_page, story_index):
    tracker = make_tracker(home_page, "Sanctuary policy reversal")
    story = make_story(story_index)
    add_to_tracker(story, tracker)

    html = client.get(story.url).content.decode()
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())

    assert "Part of our tracking of Sanctuary policy reversal" in text
    assert f'<a href="{tracker.url}">Sanctuary policy reversal</a>' in html


def test_a_hidden_tracker_is_not_named(client, home_page, story_index):
    tracker = make_tracker(home_page, "Draft tracker")
    story = make_story(story_index)
    add_to_tracker(story, tracker)
    tracker.unpublish()

    html = client.get(story.url).content.decode()

    assert "Part of our tracking" not in html
    assert "Draft tracker" not in html


def test_related_stories_share_a_tracker_first_then_tags_five_at_most(
    client, home_page, story_index
):
    tracker = make_tracker(home_page)
    start = timezone.now() - 30 * DAY
    story = make_story(story_index, "The story", tags=["jails", "mayor"], when=start)
    add_to_tracker(story, tracker)
    same_tracker = make_story(story_index, "Same tracker", when=start + DAY)
    add_to_tracker(same_tracker, tracker)
    two_tags = make_story(
        story_index, "Two tags", tags=["jails", "mayor"], when=start + 2 * DAY
    )
    for n in range(4):
        make_story(
            story_index, f"One tag {n}", tags=["jails"], when=start + (3 + n) * DAY
        )
    make_story(story_index, "Unrelated", tags=["weather"], when=start + 9 * DAY)
    assert two_tags

    titles = related_titles(client, story)

    assert titles == ["Same tracker", "Two tags", "One tag 3", "One tag 2", "One tag 1"]


def test_related_stories_leave_out_hidden_and_withdrawn_ones(
    client, home_page, story_index
):
    story = make_story(story_index, "The story", tags=["jails"])
    make_story(story_index, "A draft", tags=["jails"], publish=False)
    withdrawn = make_story(story_index, "Withdrawn", tags=["jails"])
    make_update(withdrawn, "We could not stand by it.", kind="withdrawal")
    make_story(story_index, "Visible", tags=["jails"])

    assert related_titles(client, story) == ["Visible"]


def test_a_corrections_log_entry_links_its_anchor_and_the_diff_it_went_out_with(
    client, story_index, editor
):
    story = make_story(story_index, paragraphs=["The call was on Tuesday."])
    make_update(story, "The call was on Monday.", kind="correction", publish=False)
    second = publish_new_version(story, editor=editor, paragraphs=["Monday."])
    correction = story.updates.get()
    first = story.snapshots.get(kind="story_version", number=1).revision_id

    html = client.get("/corrections/").content.decode()
    diff = client.get(f"{story.url}history/{first}/{second.pk}/")

    assert f'href="{story.url}#update-{correction.pk}"' in html
    assert (
        f'href="{story.url}history/{first}/{second.pk}/">What changed in version 2'
        in (html)
    )
    assert diff.status_code == 200
    assert f'id="update-{correction.pk}"' in client.get(story.url).content.decode()
