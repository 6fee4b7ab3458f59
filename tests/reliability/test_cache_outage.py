"""Redis goes away and comes back: pages render from the database meanwhile.

A private redis-server is really stopped and started again on the same port;
the site uses the cache backend a REDIS_URL deployment gets.
"""

import logging
import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from core.cache import ResilientRedisCache
from newsroom.settings.base import cache_from_url
from tests.factories import make_source, make_story
from tests.servers import free_port, redis_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_port():
    return free_port()


@pytest.fixture
def redis_cache(redis_port, monkeypatch):
    # Each test sees the first warning of its own outage.
    monkeypatch.setattr(ResilientRedisCache, "_last_warning", float("-inf"))
    config = cache_from_url(f"redis://127.0.0.1:{redis_port}/0")
    with override_settings(CACHES={"default": config}):
        yield


@pytest.fixture
def reader_pages(story_index):
    story = make_story(story_index, "Story read while the cache is down")
    source = make_source("Office read while the cache is down")
    return ["/", "/stories/", story.url, "/sources/", f"/sources/{source.slug}/"]


def test_a_redis_url_gets_the_resilient_backend_with_short_timeouts():
    config = cache_from_url("redis://cache.internal:6379/0")

    assert config["BACKEND"] == "core.cache.ResilientRedisCache"
    backend = ResilientRedisCache(config["LOCATION"], config)
    assert backend._options["socket_connect_timeout"] <= 1
    assert backend._options["socket_timeout"] <= 1


@pytest.mark.servers
def test_pages_render_from_the_database_while_redis_is_down_and_warn_once(
    client, reader_pages, redis_port, redis_cache, caplog
):
    with redis_server(redis_port):
        for url in reader_pages:
            assert client.get(url).status_code == 200, url
        cache.set("probe", "cached")
        assert cache.get("probe") == "cached"

    caplog.set_level(logging.WARNING, logger="core.cache")
    started = time.monotonic()
    for url in reader_pages:
        assert client.get(url).status_code == 200, url
    assert time.monotonic() - started < 10, "a dead Redis must not hang requests"
    assert cache.get("probe") is None
    assert cache.add("probe", "x") is False

    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1, "an outage warns once per interval, not per call"
    assert warnings[0].levelno == logging.WARNING
    assert "Cache unreachable at 127.0.0.1:" in warnings[0].getMessage()


@pytest.mark.servers
def test_the_cache_works_again_when_redis_returns(
    client, reader_pages, redis_port, redis_cache
):
    with redis_server(redis_port):
        cache.set("probe", "before")
    assert cache.get("probe") is None

    with redis_server(redis_port):
        cache.set("probe", "after")
        assert cache.get("probe") == "after"
        assert cache.get_many(["probe"]) == {"probe": "after"}
        for url in reader_pages:
            assert client.get(url).status_code == 200, url
