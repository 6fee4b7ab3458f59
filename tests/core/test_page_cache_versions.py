"""The page cache's versions, in one process: what makes a stored page stale.

The two-worker tests (test_page_cache.py) show pages staying fresh and
retiring over real HTTP; these pin the rules underneath, including the cases
a server cannot easily provoke: an evicted version, a lost counter, a render
that overlaps a change, a rolled-back transaction.
"""

import pytest
from django.core.cache import cache
from django.db import transaction

from core import page_cache
from core.cache import CULL_CHECK_EVERY, SharedFileCache
from core.page_cache import ALL, ANY, SEQUENCE_KEY, bump, current_sequence, is_fresh
from tests.factories import (
    add_to_tracker,
    make_story,
    make_tracker,
    make_update,
    publish_new_version,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()


def test_a_page_is_fresh_until_one_of_its_tags_changes():
    sequence = current_sequence()
    bump({"story:2"})
    # Stored with the versions it found: as the middleware does.
    page_cache.keep_versions({"story:1", ALL})

    assert is_fresh(current_sequence(), {"story:1", ALL})
    rendered = current_sequence()
    bump({"story:2"})
    assert is_fresh(rendered, {"story:1", ALL})
    bump({"story:1"})
    assert not is_fresh(rendered, {"story:1", ALL})
    assert not is_fresh(sequence, {ANY})


def test_a_render_that_overlaps_a_change_is_stale_on_arrival():
    page_cache.keep_versions({"story:1", ALL})
    rendered = current_sequence()  # read before the render
    bump({"story:1"})  # a change commits while the page is built

    assert not is_fresh(rendered, {"story:1", ALL})


def test_an_evicted_version_counts_as_changed():
    page_cache.keep_versions({"story:1", ALL})
    rendered = current_sequence()
    cache.delete("page-cache:version:story:1")

    assert not is_fresh(rendered, {"story:1", ALL})


def test_a_lost_counter_starts_again_above_every_value_it_gave():
    bump({"story:1"})
    before = current_sequence()
    cache.delete(SEQUENCE_KEY)

    assert page_cache.next_sequence() > before
    assert current_sequence() > before


def test_every_change_bumps_any_and_all_retires_every_declared_page():
    page_cache.keep_versions({"story:1", "source:3", ALL})
    rendered = current_sequence()
    page_cache.bump_generation()

    assert not is_fresh(rendered, {"story:1", "source:3", ALL})
    assert not is_fresh(rendered, {ANY})


def test_the_generation_setting_stores_every_page_under_any(settings):
    settings.PAGE_CACHE_INVALIDATION = "generation"
    assert page_cache.entry_tags({"story:1"}) == {ANY}
    settings.PAGE_CACHE_INVALIDATION = "dependencies"
    assert page_cache.entry_tags({"story:1"}) == {"story:1", ALL}
    assert page_cache.entry_tags(set()) == {ANY}


def test_a_change_is_bumped_only_once_committed(story_index):
    story = make_story(story_index, "Mayor drops sanctuary policy")
    page_cache.keep_versions({f"story:{story.pk}", ALL})
    rendered = current_sequence()

    with transaction.atomic():
        make_update(story, "Calls now go to 311.")
        # Inside the transaction readers still see the old page: fresh.
        assert is_fresh(rendered, {f"story:{story.pk}", ALL})

    assert not is_fresh(rendered, {f"story:{story.pk}", ALL})


def test_a_model_without_cache_tags_retires_every_page(story_index):
    page_cache.keep_versions({"story:99", ALL})
    rendered = current_sequence()

    story_index.save_revision().publish()  # an index page names no tags

    assert not is_fresh(rendered, {"story:99", ALL})


def test_the_file_cache_culls_to_its_size(tmp_path):
    files = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 30}})
    for n in range(CULL_CHECK_EVERY + 60):
        files.set(f"key-{n}", n)

    assert len(files._list_cache_files()) < 30 + CULL_CHECK_EVERY
    assert len(files._list_cache_files()) < CULL_CHECK_EVERY + 60


def test_a_story_taken_off_a_tracker_retires_that_trackers_pages(story_index):
    tracker = make_tracker(story_index.get_parent(), "Sanctuary reversal", slug="sr")
    story = make_story(story_index, "Mayor drops sanctuary policy")
    add_to_tracker(story, tracker)
    tags = {f"timeline:{tracker.pk}", f"tracker-stories:{tracker.pk}", ALL}
    page_cache.keep_versions(tags)
    rendered = current_sequence()

    publish_new_version(story, trackers=[])

    assert not is_fresh(rendered, tags)
