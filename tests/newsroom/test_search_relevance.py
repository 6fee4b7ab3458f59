"""Site search finds the story: what a reader types, and what must come up first.

Each case is a query over the demo newsroom (`manage.py load_demo`), the group
of results it is about, the title that must be among the first `within`
results of that group. CI runs this file on SQLite (FTS5, porter tokenizer)
and on PostgreSQL (full text, `english`), so both must rank the same things
on top.
"""

import pytest

from newsroom.search import GROUPS, Query, describe
from tests.factories import demo_loaded

CALLS = "Mayor's office stops taking calls on sanctuary reversal"
PROTEST = "Democrats urge calls and a protest over the mayor's reversal"

# (query, group, the title that must be there, within how many first results)
CASES = [
    # The 311 rerouting is told in the story's update, not its body.
    ("311", "stories", CALLS, 1),
    ("Hernandez", "stories", CALLS, 1),
    ("Hernandez", "sources", "Michael A. Hernandez", 1),
    ("rerouted", "events", "Spokesperson: calls were rerouted to 311", 1),
    # Stemming: the plural finds the singular, and the other way round.
    ("detainers", "sources", "Miami Herald analysis of ICE detainer requests", 3),
    ("detainers", "events", "Mayor tells county jails to honor ICE detainers", 3),
    ("detainer", "events", "Mayor tells county jails to honor ICE detainers", 3),
    # The lawyers' letter on the lockdown is short and names the protest and
    # its protesters, so it may rank first; the call to protest stays near it.
    ("protests", "stories", PROTEST, 2),
    ("protest", "events", "Protest at County Hall; the building is locked down", 1),
    # A quoted phrase, stemmed: "meets" is a form of "meeting".
    (
        '"commission meeting"',
        "events",
        "County commission meets on overturning the order",
        1,
    ),
    ("48 groups", "sources", "Coalition of 48 civil-rights groups", 1),
    ("48 groups", "events", "48 civil-rights groups: the number should be zero", 1),
    ("48 groups", "statements", "Coalition of 48 civil-rights groups", 1),
    ("Gimenez", "sources", "Carlos Gimenez", 1),
    ("lockdown", "events", "Five lawyers: the lockdown broke the First Amendment", 1),
    ('"First Amendment"', "events", "Five lawyers: the lockdown broke", 1),
    ("Metromover", "events", "Protest at County Hall", 1),
    ("Keith Ellison", "events", "Protest at County Hall", 1),
    ("Juan Cuba", "stories", PROTEST, 1),
    # Every demo story carries his byline, so the name alone ranks them as
    # equals: all of them must come up.
    ("Iannelli", "stories", CALLS, 6),
    ("Keith Ellison", "stories", "County Hall locked down as protesters gather", 1),
    ('"First Amendment"', "stories", "Five lawyers tell the mayor", 1),
    ("email", "stories", CALLS, 1),
    ("mayor's office", "sources", "Miami-Dade County Office of the Mayor", 3),
    ("spokesperson", "sources", "Michael A. Hernandez", 1),
    # Request outcomes: the office that would not take a message.
    ("refused message", "sources", "Miami-Dade County Office of the Mayor", 1),
    ("wrong day", "stories", CALLS, 1),
    ("sanctuary policy", "trackers", "County sanctuary policy reversal", 1),
    ("executive order", "events", "President signs order against sanctuary", 3),
    ("Trump", "events", "President signs order against sanctuary", 1),
    ("27 detainer requests", "events", "27 detainer requests in 11 days", 1),
    ("call centre", "sources", "Miami-Dade County 311 call centre", 1),
    ("never a sanctuary county", "statements", "Carlos Gimenez", 1),
    ("federal money", "statements", "Coalition of 48 civil-rights groups", 1),
    ("unanimously", "events", "County commission limits detentions for ICE", 1),
    ("Southern Poverty Law Center", "sources", "Southern Poverty Law Center", 1),
    ("ACLU", "sources", "ACLU of Florida", 2),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo newsroom, loaded once for the module and rolled back after it."""
    with demo_loaded(django_db_blocker):
        yield


@pytest.fixture
def demo_db(demo, db):
    return demo


def titles(group_key, text, count):
    group = GROUPS[group_key]
    query = Query.parse(text)
    return [
        strip(describe(group_key, item, query)["title"])
        for item in group.search(query)[:count]
    ]


def strip(html):
    return str(html).replace("<mark>", "").replace("</mark>", "").replace("&#x27;", "'")


@pytest.mark.parametrize(("text", "group", "expected", "within"), CASES)
def test_the_expected_result_comes_first(demo_db, text, group, expected, within):
    found = titles(group, text, within)

    assert any(title.startswith(expected) for title in found), (
        f"{text!r} in {group}: wanted {expected!r} in the first {within}, got {found}"
    )


def test_there_are_at_least_25_queries():
    assert len({(text, group) for text, group, _e, _w in CASES}) >= 25


@pytest.mark.parametrize(
    ("typed", "meant"), [("Gimenz", "Gimenez"), ("Hernandz", "Hernandez")]
)
def test_a_misspelt_name_offers_the_name_it_is_close_to(client, demo_db, typed, meant):
    html = client.get("/search/", {"q": typed}).content.decode()

    assert f'Did you mean <a href="/search/?q={meant}">{meant}</a>?' in html


def test_the_offered_spelling_finds_the_source(client, demo_db):
    html = client.get("/search/", {"q": "Gimenez", "type": "sources"}).content.decode()

    assert "<mark>Gimenez</mark>" in html
    assert "Did you mean" not in html


def test_a_possessive_highlights_whole_words_only(client, demo_db):
    html = client.get("/search/", {"q": "mayor's office"}).content.decode()

    assert "<mark>s</mark>" not in html
    assert "<mark>Office</mark> of the <mark>Mayor</mark>" in html


def test_a_stemmed_match_is_highlighted_whole(client, demo_db):
    response = client.get("/search/", {"q": "detainers", "type": "sources"})
    html = response.content.decode()

    assert "ICE <mark>detainer</mark> requests" in html
