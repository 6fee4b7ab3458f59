"""The admin's snippet searches find what an editor looks for, in the listing
and in the chooser, on SQLite and PostgreSQL alike."""

import pytest

from tests.factories import (
    make_author,
    make_request,
    make_source,
    make_statement,
    make_story,
    make_update,
)

pytestmark = pytest.mark.django_db

LISTINGS = {
    "author": "/admin/snippets/stories/author/",
    "update": "/admin/snippets/stories/update/",
    "source": "/admin/snippets/sources/source/",
    "statement": "/admin/snippets/sources/statement/",
    "request": "/admin/snippets/sources/requestforcomment/",
}
CHOOSERS = {
    name: url.replace("/snippets/", "/snippets/choose/")
    for name, url in LISTINGS.items()
}


@pytest.fixture
def newsroom(story_index):
    author = make_author("Priya Ramaswamy", slug="priya", job_title="Courts reporter")
    story = make_story(story_index, "Bridge repairs overrun", authors=[author])
    office = make_source("Harbour Authority", slug="harbour-authority")
    speaker = make_source(
        "Dana Whitlock", slug="dana", role="Spokesperson", organisation=office
    )
    statement = make_statement(
        speaker,
        quote="The pylons will be replaced by spring.",
        summary="Promised the repairs by March.",
    )
    request = make_request(
        speaker, story=story, public_summary="Asked about the tender documents."
    )
    update = make_update(story, "The contractor's name was misspelt.")
    make_author("Someone Else", slug="someone-else")
    make_source("Unrelated Office", slug="unrelated")
    return {
        "author": author,
        "story": story,
        "speaker": speaker,
        "statement": statement,
        "request": request,
        "update": update,
    }


def listed(client, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code == 200, (url, query, response.status_code)
    return response.content.decode()


# What an editor types, and the words that show the snippet was found.
FINDS = {
    "author": (["Priya", "ramasw", "courts"], "Priya Ramaswamy"),
    "source": (["Dana Whit", "spokesperson", "harbour"], "Dana Whitlock"),
    "statement": (
        ["Whitlock", "pylons", "March", "dana pylons"],
        "The pylons will be replaced",
    ),
    "update": (["misspelt", "bridge repairs"], "Update: Bridge repairs overrun"),
    "request": (["Whitlock", "Bridge", "tender"], "Dana Whitlock"),
}


@pytest.mark.parametrize("listing", sorted(FINDS))
def test_an_editor_finds_a_snippet_by_the_fields_they_know(
    editor_client, newsroom, listing
):
    queries, expected = FINDS[listing]
    for url in (LISTINGS[listing], CHOOSERS[listing]):
        for query in queries:
            assert expected in listed(editor_client, url, query), (url, query)


def test_a_search_leaves_out_what_does_not_match(editor_client, newsroom):
    assert "Someone Else" not in listed(editor_client, LISTINGS["author"], "Priya")
    assert "Dana Whitlock" not in listed(editor_client, CHOOSERS["source"], "unrel")


def test_search_syntax_in_an_admin_search_is_just_text(editor_client, newsroom):
    index_page = newsroom["story"].get_parent().pk
    urls = [
        *LISTINGS.values(),
        *CHOOSERS.values(),
        "/admin/pages/",
        f"/admin/pages/{index_page}/",
        "/admin/choose-page/search/",
    ]
    # The full sweep is in tests/reliability/test_hostile_admin.py.
    for query in ['"mayor', "a OR (b", '"']:
        for url in urls:
            listed(editor_client, url, query)


def test_a_quoted_name_still_finds_the_source(editor_client, newsroom):
    assert "Dana Whitlock" in listed(editor_client, LISTINGS["source"], '"Whitlock')
