"""One feed instance serves many requests at once without mixing them up."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from core.public_urls import absolute_url
from stories.feeds import LatestUpdatesFeed, StoryUpdatesFeed
from tests.factories import event_fields, make_story, make_tracker, make_update
from trackers.feeds import TrackerTimelineFeed

# Threads need committed rows; migrations make the root page and the groups,
# which a flushed database needs back.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HOSTS = ("a.example", "b.example")


def interleaved(feed_class):
    """`feed_class` whose requests wait for each other inside `feed_url`.

    Each request is then past `__call__` (where the request used to be put on
    the shared instance) before either reads its own request back.
    """
    both_inside = threading.Barrier(2, timeout=10)

    class Interleaved(feed_class):
        def feed_url(self):
            both_inside.wait()
            return super().feed_url()

    return Interleaved


def serve_at_once(feed, calls):
    """Call `feed` from one thread per (request, kwargs); the responses in order."""
    responses = [None] * len(calls)
    errors = []

    def serve(n, request, kwargs):
        try:
            responses[n] = feed(request, **kwargs)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=serve, args=[n, *call]) for n, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return responses


@pytest.fixture
def objects(request, home_page, story_index):
    """Two objects the feed is about, or None for a site-wide feed."""
    if request.param == "story":
        stories = [make_story(story_index, f"Story {host}") for host in HOSTS]
        for story in stories:
            make_update(story, f"An update to {story.title}.")
        return "story", stories
    if request.param == "tracker":
        day = datetime.date(2017, 1, 26)
        trackers = [
            make_tracker(home_page, f"Tracker {host}", events=[event_fields(day)])
            for host in HOSTS
        ]
        return "tracker", trackers
    make_update(make_story(story_index, "A story"), "A site-wide update.")
    return None, [None, None]


@pytest.mark.parametrize(
    ("feed_class", "objects"),
    [
        (StoryUpdatesFeed, "story"),
        (TrackerTimelineFeed, "tracker"),
        (LatestUpdatesFeed, None),
    ],
    indirect=["objects"],
)
def test_two_requests_at_once_each_get_their_own_links(feed_class, objects):
    name, things = objects
    calls = []
    for host, thing in zip(HOSTS, things, strict=True):
        # A site-wide feed has one address; two prefixes stand in for two.
        path = f"{thing.url}feed/" if thing else f"/{host}/feeds/updates/"
        kwargs = {name: thing} if thing else {}
        calls.append((RequestFactory().get(path, HTTP_HOST=host), kwargs))
    shared = interleaved(feed_class)()

    responses = serve_at_once(shared, calls)

    for (request, _kwargs), response, other in zip(
        calls, responses, reversed(calls), strict=True
    ):
        content = response.content.decode()
        # Its own address (on BASE_URL, core.public_urls), not the other's.
        assert f'href="{absolute_url(request.path)}"' in content
        assert other[0].path not in content
    # Nothing of either request stayed on the instance the URLconf shares.
    assert not hasattr(shared, "request")
