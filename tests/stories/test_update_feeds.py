"""Feeds of updates: site-wide and per story."""

import datetime

import pytest

from tests.factories import (
    make_story,
    make_update,
    unpublish_as_before,
)
from tests.feeds import by_id, moment, parse

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def updates(story_index):
    story = make_story(story_index, "Calls rerouted to 311")
    other = make_story(story_index, "Mayor drops the policy")
    update = make_update(story, "The office answered.")
    correction = make_update(other, "We misstated the date.", kind="correction")
    make_update(story, "A draft nobody may read.", kind="correction", publish=False)
    return story, other, update, correction


@pytest.mark.parametrize("url", ["/feeds/updates/", "/feeds/updates/atom/"])
def test_updates_feed_lists_published_updates_newest_first_linking_to_their_story(
    client, updates, url
):
    story, other, update, correction = updates

    feed = parse(client, url)

    assert [entry.title for entry in feed.entries] == [
        "Correction: Mayor drops the policy",
        "Update: Calls rerouted to 311",
    ]
    assert feed.entries[0].summary == "We misstated the date."
    assert feed.entries[0].link.endswith(f"{other.url}#update-{correction.pk}")
    assert feed.entries[1].link.endswith(f"{story.url}#update-{update.pk}")
    assert feed.entries[1].id == f"urn:uuid:{update.guid}"
    published = moment(feed.entries[0].published_parsed)
    assert abs(published - correction.first_published_at) < SECOND


def test_an_update_links_to_its_anchor_in_the_story_update_box(client, updates):
    story, _other, update, _correction = updates

    html = client.get(story.url).content.decode()

    assert f'id="update-{update.pk}"' in html


def test_an_amended_update_keeps_its_guid_and_carries_the_amendment_date(
    client, updates
):
    _story, _other, _update, correction = updates
    before = parse(client, "/feeds/updates/atom/").entries[0]

    correction.text = "We misstated the date of the vote."
    correction.save_revision().publish()
    correction.refresh_from_db()
    after = parse(client, "/feeds/updates/atom/")
    rss = parse(client, "/feeds/updates/")

    [entry] = [e for e in after.entries if e.id == before.id]
    assert len(after.entries) == 2
    assert entry.summary == "We misstated the date of the vote."
    assert entry.id == f"urn:uuid:{correction.guid}" == by_id(rss)[before.id].id
    assert moment(entry.published_parsed) == moment(before.published_parsed)
    assert abs(moment(entry.updated_parsed) - correction.last_published_at) < SECOND


@pytest.mark.parametrize("suffix", ["feed/", "feed/atom/"])
def test_story_feed_carries_only_that_story_s_published_updates(
    client, updates, suffix
):
    story, _other, update, _correction = updates
    later = make_update(story, "The commission voted.", kind="clarification")

    feed = parse(client, story.url + suffix)

    assert [entry.id for entry in feed.entries] == [
        f"urn:uuid:{later.guid}",
        f"urn:uuid:{update.guid}",
    ]
    assert feed.feed.title.endswith("updates to “Calls rerouted to 311”")


def test_a_withdrawn_story_s_feed_is_gone_and_an_unpublished_one_is_not_found(
    client, updates
):
    story, other, _update, _correction = updates
    make_update(story, "We could not stand by it.", kind="withdrawal")
    unpublish_as_before(other)

    assert client.get(story.url + "feed/").status_code == 410
    assert client.get(story.url + "feed/atom/").status_code == 410
    assert client.get(f"/stories/{other.slug}/feed/").status_code == 404


def test_updates_to_an_unpublished_story_leave_the_site_wide_feed(client, updates):
    _story, other, _update, _correction = updates
    unpublish_as_before(other)

    feed = parse(client, "/feeds/updates/")

    assert [entry.title for entry in feed.entries] == ["Update: Calls rerouted to 311"]


@pytest.mark.slow
def test_update_feed_queries_do_not_grow_with_the_updates(
    client, story_index, django_assert_max_num_queries
):
    story = make_story(story_index)

    def add(count):
        for _ in range(count):
            make_update(make_story(story_index), kind="correction")
            make_update(story)

    add(2)
    for url in ("/feeds/updates/", story.url + "feed/"):
        with django_assert_max_num_queries(12):
            parse(client, url)
    add(18)
    for url in ("/feeds/updates/", story.url + "feed/"):
        with django_assert_max_num_queries(12):
            assert len(parse(client, url).entries) >= 20
