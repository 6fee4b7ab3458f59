"""Cached pages are stored compressed and served in the reader's encoding,
and every cached response says whether it came from the cache."""

import gzip

import brotli
import pytest
from django.core.cache import cache

from core.page_cache import page_key
from tests.factories import make_story, make_update

FEEDS = ["/feeds/updates/", "/feeds/stories/atom/"]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def story(story_index):
    return make_story(
        story_index,
        "Mayor drops sanctuary policy",
        paragraphs=["The county will hold people for immigration agents. " * 40],
    )


def get(client, path, encoding=None):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    return client.get(path, headers=headers)


def decoded(response):
    body = response.content
    match response.get("Content-Encoding"):
        case "br":
            return brotli.decompress(body)
        case "gzip":
            return gzip.decompress(body)
    return body


def test_the_first_answer_is_a_miss_and_the_next_a_hit(client, story):
    first = get(client, story.url)
    second = get(client, story.url)

    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert first.content == second.content


@pytest.mark.parametrize(
    "accept, coding",
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("*", "br"),
        ("identity", None),
        (None, None),
    ],
)
def test_each_reader_gets_the_encoding_they_accept(client, story, accept, coding):
    plain = get(client, story.url).content  # the miss, which stores the page

    response = get(client, story.url, accept)

    assert response["X-Cache"] == "HIT"
    assert response.get("Content-Encoding") == coding
    assert decoded(response) == plain
    assert int(response["Content-Length"]) == len(response.content)
    assert "Accept-Encoding" in response["Vary"]
    if coding:
        assert len(response.content) < len(plain) / 3


def test_a_miss_is_compressed_too_and_every_encoding_shares_one_entry(client, story):
    miss = get(client, story.url, "gzip")
    hit = get(client, story.url, "br")

    assert (miss["X-Cache"], miss["Content-Encoding"]) == ("MISS", "gzip")
    assert (hit["X-Cache"], hit["Content-Encoding"]) == ("HIT", "br")
    assert decoded(miss) == decoded(hit)


@pytest.mark.parametrize("path", FEEDS)
def test_feeds_are_stored_compressed(client, story, path):
    for n in range(3):
        make_update(story, f"The county clarified its count, part {n}. " * 5)
    get(client, path)

    response = get(client, path, "br")

    assert response["X-Cache"] == "HIT"
    assert response["Content-Encoding"] == "br"
    assert b"<" in decoded(response)


def test_a_compressed_page_still_answers_if_none_match_with_304(client, story):
    etag = get(client, story.url, "br")["ETag"]

    assert etag.startswith('W/"')
    response = client.get(
        story.url, headers={"Accept-Encoding": "br", "If-None-Match": etag}
    )
    assert response.status_code == 304


def test_the_stored_entry_holds_the_compressed_bodies_made_once(client, rf, story):
    get(client, story.url)
    stored = cache.get(page_key(rf.get(story.url))).stored

    assert set(stored.bodies) == {"br", "gzip"}
    assert brotli.decompress(stored.bodies["br"]) == stored.response.content
    assert gzip.decompress(stored.bodies["gzip"]) == stored.response.content


@pytest.mark.parametrize("path", ["story", "/report/{pk}/", "/admin/login/"])
def test_pages_that_are_not_stored_are_never_compressed(client, story, path):
    """A form page carries a CSRF token: compressing it could reveal the token
    through the response's size (BREACH), so only stored pages are compressed."""
    url = {"story": story.url}.get(path, path.format(pk=story.pk))
    response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    if path == "story":
        assert response["Content-Encoding"] == "br"
    else:
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding")
        assert not response.has_header("X-Cache")


def test_a_page_not_kept_is_compressed_for_its_reader_alone(client, story, settings):
    settings.PAGE_CACHE_ENABLED = False

    response = get(client, story.url, "gzip, deflate")

    assert (response["X-Cache"], response["Content-Encoding"]) == ("MISS", "gzip")
    assert b"immigration agents" in decoded(response)
