"""Each private attribute core.internals relies on still works as we use it.

A failure here after an upgrade names the private attribute that moved; fix
core.internals (and its docstring's versions), nothing else.
"""

import inspect

import pytest
from django.core.serializers import jsonl
from django.test import RequestFactory
from drf_spectacular.openapi import AutoSchema
from wagtail.models import Page, Site

from core import internals
from stories.models import StoryPage
from tests.factories import make_author, make_story

pytestmark = pytest.mark.django_db


def test_wagtail_finds_the_site_we_put_on_the_request(home_page):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    found = Site.find_for_request(request)
    assert internals.request_site(request) == found

    other = RequestFactory().get("/", HTTP_HOST="localhost")
    internals.set_request_site(other, found)
    assert Site.find_for_request(other) is found


def test_a_loaded_specific_page_is_seen_as_loaded(home_page):
    page = Page.objects.get(pk=home_page.pk)
    assert not internals.has_specific(page)
    page.specific  # noqa: B018 - loads it
    assert internals.has_specific(page)


def test_a_parent_handed_to_a_page_is_its_parent_without_a_query(
    story_index, django_assert_num_queries
):
    story = make_story(story_index)
    fresh = Page.objects.get(pk=story.pk)
    internals.set_parent(fresh, story_index)
    with django_assert_num_queries(0):
        assert fresh.get_parent() is story_index


def test_tree_paths_follow_the_last_child(story_index):
    first = make_story(story_index)
    paths = internals.child_paths(
        story_index.path, story_index.depth + 1, first.path, 2
    )
    second = make_story(story_index)
    assert paths[0] == second.path
    assert len(paths[1]) == len(second.path) > len(story_index.path)
    assert paths[1] > paths[0]


def test_a_prefetched_relation_is_seen_as_prefetched(story_index):
    make_story(story_index, authors=[make_author()])
    plain = StoryPage.objects.get()
    prefetched = StoryPage.objects.prefetch_related("story_authors").get()
    assert not internals.is_prefetched(plain, "story_authors")
    assert internals.is_prefetched(prefetched, "story_authors")


def test_drf_spectacular_keeps_the_methods_we_override_and_call():
    assert (
        "bypass_extensions" in inspect.signature(AutoSchema._map_serializer).parameters
    )
    for name in ("_is_list_view", "_get_response_bodies"):
        assert callable(getattr(AutoSchema, name)), name
        # Our public names really replace drf-spectacular's private ones.
        assert getattr(internals.PublicAutoSchema, name) is not getattr(
            AutoSchema, name
        )


def test_django_serializers_still_read_their_options_where_we_extend_them():
    assert callable(jsonl.Serializer._init_options)
