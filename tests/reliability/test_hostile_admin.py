"""Whatever an editor's browser sends the admin gets an answer, never a 5xx.

Property-based, as tests/reliability/test_hostile_queries.py is for readers:
hypothesis fills every query parameter of every snippet listing and chooser
and of the page explorer (search, ordering, page, each filter) with search
syntax, odd digits and junk, as a logged-in editor. Malformed form posts,
which Wagtail's JavaScript would never send, are a 400 with the reason.
"""

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils.datastructures import MultiValueDictKeyError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.snippets.models import get_snippet_models

from newsroom.middleware import AdminBadRequestMiddleware
from tests.factories import (
    make_author,
    make_request,
    make_source,
    make_statement,
    make_story,
    make_update,
)
from tests.stories.admin_forms import story_form

pytestmark = pytest.mark.django_db

SEARCH_SYNTAX = [
    '"mayor',
    'say "hi',
    '"',
    "(",
    "a OR (b",
    "*",
    "may*",
    "-",
    "-mayor",
    "OR",
    "AND NOT",
    "NEAR(a b)",
    "a:b",
    "^x",
    "+",
    "'",
    "\\",
    "& | ! : * ( ) <->",
    "\x00",
    "²",
    "\u0663",
    "😀",
    "",
    " ",
    "%",
    "_",
]
ODD_NUMBERS = ["²", "\u0663", "\uff13", "-1", "0", "1.5", str(10**30), "", "x"]

any_value = st.one_of(
    st.sampled_from(SEARCH_SYNTAX + ODD_NUMBERS),
    st.text(max_size=40),
)
# Each example makes about a dozen admin requests: keep the count small.
fuzz = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


# Filters Wagtail adds to listings of its own (revisions, locking, workflows).
WAGTAIL_FILTERS = [
    "live",
    "locked",
    "owner",
    "edited_by",
    "workflow_state",
    "latest_revision_created_at_from",
    "latest_revision_created_at_to",
]
EXPLORER_FILTERS = [
    *WAGTAIL_FILTERS,
    "content_type",
    "site",
    "has_child_pages",
    "locale",
    "first_published_at_from",
]


def snippet_listings():
    """The listing and chooser of every snippet, with the filters it offers."""
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        declared = viewset.list_filter
        filters = list(declared) if isinstance(declared, list | dict) else []
        yield viewset.get_url_name("list"), sorted({*filters, *WAGTAIL_FILTERS})
        yield viewset.chooser_viewset.get_url_name("choose"), []


LISTINGS = sorted(snippet_listings())
# Every column an editor can sort a snippet listing or the explorer by, and
# some that are no column.
ORDERINGS = [
    "name",
    "-name",
    "live",
    "-latest_revision_created_at",
    "title",
    "-title",
    "content_type",
    "latest_revision_created_at",
    "ord",
    "_score",
    "pk",
    "nope",
    "-",
    "",
]


@pytest.fixture
def newsroom(story_index):
    author = make_author("Priya Ramaswamy", slug="priya")
    story = make_story(story_index, "Bridge repairs overrun", authors=[author])
    office = make_source("Harbour Authority", slug="harbour")
    speaker = make_source("Dana Whitlock", slug="dana", organisation=office)
    make_statement(speaker, quote="The pylons will be replaced.")
    make_request(speaker, story=story, public_summary="Asked about the tender.")
    make_update(story, "The contractor's name was misspelt.")
    return {"story": story, "index": story_index}


@pytest.fixture
def editor_browser(editor):
    """An editor's session whose server errors show as responses, not raises."""
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    return client


def assert_answered(client, url, params):
    response = client.get(f"{url}?{urlencode(params, doseq=True)}")
    assert response.status_code < 500, (url, params, response.status_code)
    return response


def url_of(name):
    from django.urls import reverse  # noqa: PLC0415 - URLs load with the admin

    return reverse(name)


# Hypothesis: some 20 admin pages for each example, about 20 s.
@pytest.mark.slow
@fuzz
@given(
    q=any_value,
    ordering=st.one_of(st.sampled_from(ORDERINGS), any_value),
    p=any_value,
    filter_value=any_value,
)
def test_snippet_listings_answer_any_query(
    editor_browser, newsroom, q, ordering, p, filter_value
):
    for name, filters in LISTINGS:
        url = url_of(name)
        assert_answered(editor_browser, url, {"q": q})
        params = {"q": q, "ordering": ordering, "p": p}
        params.update(dict.fromkeys(filters, filter_value))
        assert_answered(editor_browser, url, params)


@pytest.mark.slow
@fuzz
@given(q=any_value, ordering=any_value, p=any_value, filter_value=any_value)
def test_the_page_explorer_and_page_search_answer_any_query(
    editor_browser, newsroom, q, ordering, p, filter_value
):
    explorer = f"/admin/pages/{newsroom['index'].pk}/"
    for url in [explorer, "/admin/pages/", "/admin/pages/search/"]:
        assert_answered(editor_browser, url, {"q": q})
        assert_answered(editor_browser, url, {"ordering": ordering, "p": p})
        params = {"q": q, "ordering": ordering, "p": p}
        params.update(dict.fromkeys(EXPLORER_FILTERS, filter_value))
        assert_answered(editor_browser, url, params)
    for url in ["/admin/choose-page/", "/admin/choose-page/search/"]:
        assert_answered(editor_browser, url, {"q": q, "p": p})


# Some 250 admin pages.
@pytest.mark.slow
def test_search_syntax_is_text_in_every_snippet_search(editor_browser, newsroom):
    for q in SEARCH_SYNTAX:
        for name, _filters in LISTINGS:
            response = assert_answered(editor_browser, url_of(name), {"q": q})
            if "\x00" not in q:
                assert response.status_code == 200, (name, q)


# Columns that name a relation: no search index sorts by them, so sorting
# search results by one is a 400 that says so.
RELATIONS = {
    "content_type__model",
    "organisation",
    "published_by",
    "source",
    "story",
    "user",
}


@pytest.mark.slow
def test_every_sortable_column_sorts_search_results(editor_browser, newsroom):
    explorer = f"/admin/pages/{newsroom['index'].pk}/"
    for url in [*(url_of(name) for name, _ in LISTINGS), explorer]:
        listing = editor_browser.get(url).content.decode()
        orderings = set(re.findall(r"[?&]ordering=(-?\w+)", listing))
        for column in orderings:
            for ordering in (column, f"-{column.lstrip('-')}"):
                params = {"q": "bridge", "ordering": ordering}
                response = assert_answered(editor_browser, url, params)
                expected = 400 if ordering.lstrip("-") in RELATIONS else 200
                assert response.status_code == expected, (url, ordering)


# -- Malformed form posts -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body-count": None}, "body-count"),
        ({"body-count": "x"}, "ValueError"),
        ({"body-count": "²"}, "ValueError"),
        ({"body-count": "3"}, "body-0-deleted"),
        ({"body-count": str(10**30)}, "body-0-deleted"),
    ],
)
def test_a_page_edit_without_its_block_count_is_a_400(
    editor_browser, newsroom, change, field
):
    story = newsroom["story"]
    data = story_form("Bridge repairs overrun, again", story.slug, action_publish=True)
    for key, value in change.items():
        data.pop(key)
        if value is not None:
            data[key] = value

    response = editor_browser.post(f"/admin/pages/{story.pk}/edit/", data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "form data was incomplete or malformed" in page
    assert field in page
    story.refresh_from_db()
    assert story.title == "Bridge repairs overrun"


def test_an_empty_page_post_is_a_400(editor_browser, newsroom):
    story, index = newsroom["story"], newsroom["index"]
    for url in [
        f"/admin/pages/{story.pk}/edit/",
        f"/admin/pages/add/stories/storypage/{index.pk}/",
    ]:
        assert editor_browser.post(url, {}).status_code == 400, url


def test_a_complete_page_edit_still_publishes(editor_browser, newsroom):
    story = newsroom["story"]
    data = story_form("Bridge repairs overrun, again", story.slug, action_publish=True)

    response = editor_browser.post(f"/admin/pages/{story.pk}/edit/", data)

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Bridge repairs overrun, again"


def _raised(error, where):
    """`error` as raised from inside a function named `where`."""

    def raiser():
        raise error

    raiser.__code__ = raiser.__code__.replace(co_name=where)
    try:
        raiser()
    except Exception as raised:
        return raised
    raise AssertionError("not raised")


def test_only_errors_reading_form_data_count_as_malformed():
    is_malformed = AdminBadRequestMiddleware.is_malformed_form_data

    assert is_malformed(_raised(ValueError("x"), "value_from_datadict"))
    assert is_malformed(_raised(KeyError("body-0-type"), "value_from_datadict"))
    assert is_malformed(_raised(MultiValueDictKeyError("body-count"), "post"))
    # The same errors raised anywhere else are bugs of ours: a 500.
    assert not is_malformed(_raised(ValueError("x"), "clean"))
    assert not is_malformed(_raised(KeyError("x"), "save"))
    assert not is_malformed(_raised(RuntimeError("x"), "value_from_datadict"))
