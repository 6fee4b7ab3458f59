"""The count behind a listing's page numbers, and the API's total_count, is
read once per content change, not on every uncached request."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.page_cache import bump_generation
from tests.factories import make_story

BYPASS = "X-Bypass-Page-Cache"
LISTINGS = ["/stories/", "/api/stories/", "/corrections/", "/record/"]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_BYPASS_HEADER = BYPASS


@pytest.fixture
def stories(story_index):
    return [make_story(story_index, f"Story {n}") for n in range(3)]


def uncached(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers={BYPASS: "1"})
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if re.search(r"\bCOUNT\(", q["sql"])]
    return response, counts


@pytest.mark.parametrize("path", LISTINGS)
def test_a_second_uncached_render_counts_nothing(client, stories, path):
    _, first = uncached(client, path)
    _, second = uncached(client, path)

    assert first, "the first render counts"
    assert second == []


def test_the_count_is_read_again_after_a_change(client, stories, story_index):
    response, _ = uncached(client, "/api/stories/")
    assert response.json()["meta"]["total_count"] == 3

    make_story(story_index, "Story 3")
    # What a committed change does (tests never commit).
    bump_generation()

    response, counts = uncached(client, "/api/stories/")
    assert counts
    assert response.json()["meta"]["total_count"] == 4
