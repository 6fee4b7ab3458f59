"""Two gunicorn workers share the page cache, and every change reaches readers.

Each test warms every reader page through a real two-worker gunicorn (so the
pages sit in the shared cache), changes content from this process through the
ORM and Wagtail's API against the same database, then reads every affected page
again: each request must show the change. Runs with the file cache (the
embedded default) and with Redis (a dedicated database number, flushed alone).
"""

import datetime
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from taggit.models import Tag

from core.page_cache import content_models
from newsroom.archive import CONTENT_APPS
from newsroom.scaffold import ensure_home_page
from sources.models import Outcome, Statement
from stories.models import StoryPage, StoryPageAuthor
from stories.models.story import StoryUnpublishError
from tests.factories import (
    add_to_tracker,
    event_fields,
    make_author,
    make_request,
    make_source,
    make_statement,
    make_story,
    make_story_index,
    make_tracker,
    make_update,
    make_user,
    publish_new_version,
)
from tests.servers import SERVER_SECRET_KEY, database_url, get, gunicorn
from trackers.models import TimelineEvent, TrackerPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BYPASS_HEADER = "X-Bypass-Page-Cache"
# Requests per page, two at a time so both workers serve (and cache) them.
REPEAT = 4
TRACKER = "sanctuary-reversal"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_or_skip():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return client


# Every test that reaches the server uses this fixture, so these marks reach
# exactly the tests that need gunicorn; the last test of this file needs none.
@pytest.fixture(
    scope="module",
    params=[
        pytest.param("file", marks=pytest.mark.servers),
        pytest.param("redis", marks=pytest.mark.servers),
    ],
)
def shared_cache(request):
    """The CACHES entry and CACHE_URL this process and the server both use."""
    if request.param == "redis":
        redis_or_skip()
        return (
            {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
            | {"LOCATION": REDIS_URL},
            REDIS_URL,
        )
    location = settings.CACHES["default"]["LOCATION"]
    return settings.CACHES["default"], f"file://{location}"


@pytest.fixture(scope="module")
def server(django_db_setup, shared_cache, tmp_path_factory):
    _caches, cache_url = shared_cache
    with gunicorn(
        tmp_path_factory.mktemp("server"),
        DJANGO_SETTINGS_MODULE="tests.performance.server_settings",
        WEB_CONCURRENCY="2",
        DATABASE_URL=database_url(),
        CACHE_URL=cache_url,
        PAGE_CACHE_BYPASS_HEADER=BYPASS_HEADER,
    ) as running:
        yield running.url


@pytest.fixture
def cache_shared_with_server(settings, shared_cache):
    caches, cache_url = shared_cache
    settings.CACHES = {"default": caches}
    if cache_url.startswith("redis"):
        redis_or_skip().flushdb()
    cache.clear()


@pytest.fixture
def site(server, cache_shared_with_server):
    """Two stories with a tag, the second on a tracker, and a source."""
    home, _created = ensure_home_page()
    index = make_story_index(home)
    story = make_story(index, "Mayor drops sanctuary policy", tags=["immigration"])
    tracked = make_story(index, "Commission meets on the budget", tags=["immigration"])
    source = make_source("Office of the Mayor", slug="mayors-office")
    add_to_tracker(tracked, make_tracker(home, "Sanctuary reversal", slug=TRACKER))
    return story, source


def reader_paths(story, source):
    return {
        "home": "/",
        "index": "/stories/",
        "index by tag": "/stories/?tag=immigration",
        "tag": "/tags/immigration/",
        "story": story.url,
        "history": f"{story.url}history/",
        "corrections": "/corrections/",
        "source": f"/sources/{source.slug}/",
        "source index": "/sources/",
        "tracker": f"/trackers/{TRACKER}/",
        "timeline.json": f"/trackers/{TRACKER}/timeline.json",
        "feed": "/feeds/stories/",
        "atom feed": "/feeds/stories/atom/",
        "api": "/api/stories/",
        "search": "/search/?q=budget",
        "sitemap": "/sitemap.xml",
    }


def read_all(server, paths, headers=None):
    """Every path REPEAT times, two requests at a time: {name: [(status, body)]}."""
    jobs = [(name, path) for name, path in paths.items() for _ in range(REPEAT)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda job: get(server + job[1], headers), jobs)
        pages = {name: [] for name in paths}
        for (name, _path), reply in zip(jobs, results, strict=True):
            pages[name].append((reply.status, reply.body.decode()))
    return pages


def assert_every_read(pages, names, check):
    for name in names:
        for status, body in pages[name]:
            assert check(status, body), f"{name} is stale ({status})"


def shows(text):
    return lambda status, body: status == 200 and text in body


def lacks(text):
    return lambda status, body: text not in body


def test_pages_are_cached_until_a_change_is_committed(server, site):
    story, source = site
    paths = reader_paths(story, source)
    read_all(server, paths)
    # A queryset update sends no signal: the cache is not told, so readers
    # keep the cached headline, and only the benchmark's bypass sees the row.
    StoryPage.objects.filter(pk=story.pk).update(title="Silently renamed")

    assert_every_read(read_all(server, paths), ["story", "home"], lacks("Silently"))
    bypass = read_all(server, paths, headers={BYPASS_HEADER: "1"})
    assert_every_read(bypass, ["story", "home"], shows("Silently renamed"))


def test_publishing_a_new_version_shows_everywhere(server, site):
    story, source = site
    paths = reader_paths(story, source)
    read_all(server, paths)

    publish_new_version(story, title="Mayor reverses sanctuary policy")

    assert_every_read(
        read_all(server, paths),
        ["home", "index", "index by tag", "tag", "story", "history"],
        shows("Mayor reverses sanctuary policy"),
    )


def test_publishing_a_new_version_shows_in_feeds_api_search_and_tracker(server, site):
    story, source = site
    paths = reader_paths(story, source)
    read_all(server, paths)

    tracked = StoryPage.objects.get(title="Commission meets on the budget")
    # The search page marks the searched word, so the check reads around it.
    publish_new_version(tracked, title="Commission delays the budget vote")

    assert_every_read(
        read_all(server, paths),
        ["feed", "atom feed", "api", "search", "tracker", "timeline.json"],
        shows("Commission delays the"),
    )


def test_editing_a_tracker_event_shows_on_the_tracker(server, site):
    story, source = site
    paths = reader_paths(story, source)
    read_all(server, paths)

    tracker = TrackerPage.objects.get(slug=TRACKER)
    tracker.events.add(
        TimelineEvent(
            **event_fields(
                datetime.date(2017, 2, 17),
                kind="meeting",
                title="Commission meets on the order",
            )
        )
    )
    tracker.save_revision().publish()

    assert_every_read(
        read_all(server, paths),
        ["tracker", "timeline.json"],
        shows("Commission meets on the order"),
    )


def test_publishing_a_new_story_lists_it_everywhere(server, site):
    story, source = site
    paths = reader_paths(story, source)
    read_all(server, paths)

    make_story(story.get_parent(), "Residents call the office", tags=["immigration"])

    assert_every_read(
        read_all(server, paths),
        ["home", "index", "index by tag", "tag"],
        shows("Residents call the office"),
    )


def test_a_refused_unpublish_leaves_every_page_as_it_was(server, site):
    """A published story is withdrawn, never unpublished (stories.models.story)."""
    story, source = site
    paths = reader_paths(story, source)
    read_all(server, paths)

    with pytest.raises(StoryUnpublishError):
        story.unpublish()

    assert_every_read(
        read_all(server, paths),
        ["story", "home", "index", "index by tag", "tag"],
        shows("Mayor drops sanctuary policy"),
    )


def test_unpublishing_a_tracker_removes_it_everywhere(server, site):
    story, source = site
    paths = reader_paths(story, source)
    read_all(server, paths)

    TrackerPage.objects.get(slug=TRACKER).unpublish()

    pages = read_all(server, paths)
    assert_every_read(pages, ["tracker"], lambda status, _body: status == 404)


def test_withdrawing_a_story_shows_the_tombstone_and_the_log(server, site):
    story, source = site
    paths = reader_paths(story, source)
    read_all(server, paths)

    make_update(story, "Withdrawn: the policy memo was a draft.", kind="withdrawal")

    pages = read_all(server, paths)
    assert_every_read(
        pages,
        ["story"],
        lambda status, body: status == 410 and "memo was a draft" in body,
    )
    # The home page lists the withdrawal among the latest corrections and
    # updates, as the corrections log does; the story lists drop the story.
    assert_every_read(pages, ["corrections", "home"], shows("memo was a draft"))
    assert_every_read(pages, ["index", "tag"], lacks("Mayor drops sanctuary policy"))


def test_appending_an_update_shows_on_story_history_and_log(server, site):
    story, source = site
    paths = reader_paths(story, source)
    read_all(server, paths)

    make_update(story, "Calls are now rerouted to the 311 centre.")

    assert_every_read(
        read_all(server, paths),
        ["story", "history", "corrections"],
        shows("rerouted to the 311 centre"),
    )


def test_amending_an_update_shows_the_new_wording(server, site):
    story, source = site
    update = make_update(story, "Calls went to 311.")
    paths = reader_paths(story, source)
    read_all(server, paths)

    update.text = "Some calls went to the 311 centre."
    update.save_revision().publish()

    assert_every_read(
        read_all(server, paths),
        ["story", "history", "corrections"],
        shows("Some calls went to the 311 centre."),
    )


def test_publishing_a_statement_shows_on_the_source_page(server, site):
    story, source = site
    draft = make_statement(
        source, quote="We no longer take these calls.", publish=False
    )
    paths = reader_paths(story, source)
    read_all(server, paths)

    Statement.objects.get(pk=draft.pk).latest_revision.publish()

    assert_every_read(
        read_all(server, paths), ["source"], shows("We no longer take these calls.")
    )


def test_logging_a_request_for_comment_shows_on_source_and_story(server, site):
    story, source = site
    paths = reader_paths(story, source)
    read_all(server, paths)

    make_request(source, story=story, public_summary="We called the mayor's office.")

    assert_every_read(
        read_all(server, paths),
        ["source", "story"],
        shows("We called the mayor&#x27;s office."),
    )


def test_resolving_a_request_for_comment_shows_the_outcome(server, site):
    story, source = site
    request = make_request(source, story=story, public_summary="Asked about calls.")
    paths = reader_paths(story, source)
    read_all(server, paths)

    request.outcome = Outcome.DECLINED
    request.answered_at = timezone.now()
    request.save()

    assert_every_read(
        read_all(server, paths), ["source", "story"], shows("Declined to comment")
    )


# Dependencies: a change retires the pages that show what changed, and only
# those (docs/decisions/0011-page-cache-invalidated-by-dependency.md).


@pytest.fixture
def elsewhere(site):
    """A story under another tag, on no tracker, and a source nobody quotes;
    with a tag no story carries yet (a new tag is a change to every page)."""
    story, _source = site
    other = make_story(
        story.get_parent(), "Transit board approves fares", tags=["transit"]
    )
    quiet = make_source("County transit agency", slug="transit-agency")
    Tag.objects.create(name="Parks", slug="parks")
    return other, quiet


def narrow_paths(story, source, other, quiet):
    """Each page type whose dependencies are narrower than 'any change'."""
    return {
        **{
            name: path
            for name, path in reader_paths(story, source).items()
            if name not in ANY_CHANGE
        },
        "author": f"/authors/{AUTHOR}/",
        "story feed": f"{story.url}feed/",
        "history.json": f"{story.url.rstrip('/')}/history.json",
        "embed": f"/trackers/{TRACKER}/embed/",
        "other story": other.url,
        "other history": f"{other.url}history/",
        "quiet source": f"/sources/{quiet.slug}/",
    }


# Pages that show something of every kind, so any change retires them.
ANY_CHANGE = {"source index", "api", "search", "sitemap"}
AUTHOR = "ana-reporter"


def cache_states(server, paths):
    """{name: X-Cache} for one more request of each path."""
    return {
        name: get(server + path).headers.get("X-Cache") for name, path in paths.items()
    }


def kept(states, names):
    missed = {name: states[name] for name in names if states[name] != "HIT"}
    assert not missed, f"retired by an unrelated change: {missed}"


def retired(states, names):
    hit = [name for name in names if states[name] != "MISS"]
    assert not hit, f"still cached after a related change: {hit}"


@pytest.fixture
def warm(server, site, elsewhere):
    story, source = site
    author = make_author("Ana Reporter", slug=AUTHOR)
    publish_new_version(story, story_authors=[StoryPageAuthor(author=author)])
    paths = narrow_paths(story, source, *elsewhere)
    read_all(server, paths)
    assert set(cache_states(server, paths).values()) == {"HIT"}
    return paths


def test_a_correction_retires_its_story_and_the_lists_of_changes_only(
    server, site, warm
):
    story, _source = site
    make_update(story, "Correction: the memo was dated Feb. 16.", kind="correction")

    states = cache_states(server, warm)
    retired(states, ["story", "history", "history.json", "story feed", "corrections"])
    retired(states, ["feed", "atom feed", "home"])
    # Story lists show headlines, deks, bylines and dates: none of it changed.
    kept(states, ["index", "index by tag", "tag", "author"])
    kept(states, ["other story", "other history", "source", "quiet source"])
    kept(states, ["tracker", "timeline.json", "embed"])
    assert_every_read(
        read_all(server, warm), ["story", "corrections"], shows("dated Feb. 16")
    )


def test_a_statement_retires_its_source_and_the_home_page_only(
    server, site, elsewhere, warm
):
    _other, quiet = elsewhere
    make_statement(quiet, quote="Fares rise in March.")

    states = cache_states(server, warm)
    retired(states, ["quiet source", "home"])
    kept(states, ["story", "history", "other story", "source", "index", "tag"])
    kept(states, ["author", "corrections", "feed", "atom feed", "tracker", "embed"])
    assert_every_read(read_all(server, warm), ["quiet source"], shows("Fares rise"))


def test_a_tracker_event_retires_the_tracker_and_the_home_page_only(server, warm):
    tracker = TrackerPage.objects.get(slug=TRACKER)
    tracker.events.add(
        TimelineEvent(
            **event_fields(datetime.date(2017, 2, 18), kind="meeting", title="Vote set")
        )
    )
    tracker.save_revision().publish()

    states = cache_states(server, warm)
    retired(states, ["tracker", "timeline.json", "embed", "home"])
    kept(states, ["story", "history", "other story", "source", "quiet source"])
    kept(states, ["index", "tag", "author", "corrections", "feed"])


def test_a_new_story_retires_the_stories_it_is_related_to_only(server, site, warm):
    story, _source = site
    make_story(story.get_parent(), "Parks close early", tags=["parks"])
    states = cache_states(server, warm)
    retired(states, ["index", "feed", "home"])
    kept(states, ["story", "history", "other story", "source", "tracker"])

    make_story(story.get_parent(), "Shelters fill up", tags=["immigration"])
    states = cache_states(server, warm)
    retired(states, ["story", "tag"])
    kept(states, ["other story", "history", "source", "quiet source"])
    # Related coverage on the story with the same tag names the new one.
    assert_every_read(read_all(server, warm), ["story"], shows("Shelters fill up"))


def test_renaming_a_story_retires_every_page_that_links_to_it(server, site, warm):
    _story, source = site
    tracked = StoryPage.objects.get(title="Commission meets on the budget")
    make_request(source, story=tracked, public_summary="Asked the commission.")
    read_all(server, warm)

    publish_new_version(tracked, title="Commission delays the budget")

    pages = read_all(server, warm)
    # Related coverage (same tag), the tracker's timeline, the source asked.
    assert_every_read(
        pages,
        ["story", "tracker", "timeline.json", "source"],
        shows("delays the budget"),
    )
    kept(cache_states(server, warm), ["other story", "quiet source"])


def test_a_change_that_names_no_tags_retires_every_page(server, site, warm):
    _story, source = site
    source.name = "Office of Mayor Gimenez"
    source.save_revision().publish()

    states = cache_states(server, warm)
    retired(states, list(warm))


def test_signed_in_staff_neither_get_nor_fill_the_cache(server, site, client, settings):
    story, _source = site
    # Signed as the server signs: it skips the cache only for a session it
    # can read, and a made-up one gets the cached page.
    settings.SECRET_KEY = SERVER_SECRET_KEY
    client.force_login(make_user("eddie", group="Editors"))
    staff = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    paths = {"story": story.url}
    read_all(server, paths)
    StoryPage.objects.filter(pk=story.pk).update(title="Silently renamed")

    staff_pages = read_all(server, paths, headers=staff)
    assert_every_read(staff_pages, ["story"], shows("Silently renamed"))
    cache_control = get(server + story.url, staff).headers["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control
    # What staff were served never reached the cache readers get.
    assert_every_read(read_all(server, paths), ["story"], lacks("Silently"))
    forged = {"Cookie": "sessionid=made-up-but-well-formed-0123456789"}
    assert_every_read(
        read_all(server, paths, headers=forged), ["story"], lacks("Silently")
    )


def test_every_model_of_our_apps_retires_the_cache_when_it_changes():
    """A model that moves app, or a new app, must not fall out of the cache's watch."""
    ours = {
        model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
    }
    assert ours <= content_models()
