"""/feeds/stories/ (RSS 2.0) and /feeds/stories/atom/, read by feedparser."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from tests.factories import make_author, make_story

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/stories/", "/feeds/stories/atom/"]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


@pytest.fixture
def stories(story_index):
    author = make_author("Douglas Hanks")
    older = make_story(
        story_index,
        "Mayor drops the sanctuary policy",
        dek="The county will honor detainer requests.",
        authors=[author],
        tags=["immigration", "county-government"],
        when=timezone.now() - datetime.timedelta(days=3),
    )
    newer = make_story(story_index, "Calls rerouted to 311", authors=[author])
    make_story(story_index, "A draft nobody may read", publish=False)
    return older, newer


@pytest.mark.parametrize("url", FEEDS)
def test_feed_lists_published_stories_newest_first_with_dates_and_authors(
    client, stories, url
):
    older, newer = stories

    feed = parse(client, url)

    assert [entry.title for entry in feed.entries] == [newer.title, older.title]
    entry = feed.entries[1]
    assert entry.summary == "The county will honor detainer requests."
    assert entry.author == "Douglas Hanks"
    assert {tag.term for tag in entry.tags} == {"immigration", "county-government"}
    published = datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)
    assert abs(published - older.first_published_at) < datetime.timedelta(seconds=1)
    assert entry.link.endswith(older.url)


def test_atom_entries_carry_the_update_date(client, stories):
    older, _newer = stories
    older.dek = "A corrected dek."
    older.save_revision().publish()
    older.refresh_from_db()

    entry = parse(client, "/feeds/stories/atom/").entries[1]

    updated = datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC)
    published = datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)
    assert updated > published
    assert abs(updated - older.last_published_at) < datetime.timedelta(seconds=1)


@pytest.mark.parametrize("url", FEEDS)
def test_guid_stays_the_same_when_a_story_is_retitled_and_moved(client, stories, url):
    older, _newer = stories
    before = parse(client, url).entries[1].id

    older.title = "Mayor reverses the sanctuary policy"
    older.slug = "mayor-reverses"
    older.save_revision().publish()

    entry = parse(client, url).entries[1]
    assert entry.title == "Mayor reverses the sanctuary policy"
    assert entry.id == before == f"urn:uuid:{older.translation_key}"


@pytest.mark.slow
def test_feed_query_count_does_not_grow_with_the_number_of_stories(
    client, story_index, django_assert_max_num_queries
):
    for _ in range(3):
        make_story(story_index, authors=[make_author()], tags=["a", "b"])
    with django_assert_max_num_queries(12):
        parse(client, "/feeds/stories/")
    for _ in range(27):
        make_story(story_index, authors=[make_author()], tags=["a", "b"])
    with django_assert_max_num_queries(12):
        assert len(parse(client, "/feeds/stories/").entries) == 30
