"""Site search at /search/: finds what readers may see, highlights it, never a 500."""

import pytest

from tests.factories import (
    make_source,
    make_statement,
    make_story,
    make_tracker,
    make_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(story_index):
    office = make_source("Office of the Mayor", role="County executive")
    story = make_story(
        story_index,
        "Calls go unanswered",
        paragraphs=["Residents were rerouted to the 311 centre."],
    )
    statement = make_statement(office, quote="Operators take down every comment.")
    return story, statement, office


def search(client, query, status=200):
    response = client.get("/search/", {"q": query})
    assert response.status_code == status
    return response.content.decode()


def test_finds_a_story_by_a_word_of_its_body(client, content):
    story, _statement, _office = content

    html = search(client, "rerouted")

    assert f'href="{story.url}"' in html
    assert "<mark>rerouted</mark>" in html


def test_finds_a_statement_by_a_word_of_its_quote(client, content):
    _story, statement, _office = content

    html = search(client, "operators")

    assert f'href="{statement.get_absolute_url()}"' in html
    assert "<mark>Operators</mark> take down every comment." in html


def test_finds_a_source_by_name(client, content):
    _story, _statement, office = content

    html = search(client, "mayor")

    assert f'href="{office.get_absolute_url()}"' in html
    assert "Office of the <mark>Mayor</mark>" in html


def test_a_withdrawn_story_is_not_found(client, story_index):
    story = make_story(story_index, "Calls go unanswered")
    make_update(story, "We could not stand by it.", kind="withdrawal")

    html = search(client, "unanswered")

    assert 'Stories <span class="search__count">(0)</span>' in html


def test_finds_a_live_tracker_by_a_word_of_its_summary(client, home_page):
    tracker = make_tracker(home_page, "Sanctuary policy reversal")
    tracker.summary = "The county honors federal detainer requests."
    tracker.save_revision().publish()
    hidden = make_tracker(home_page, "Unpublished tracker")
    hidden.summary = "Detainer requests nobody may read about yet."
    hidden.save_revision().publish()
    hidden.unpublish()

    html = search(client, "detainer")

    assert f'href="{tracker.url}"' in html
    assert "The county honors federal <mark>detainer</mark> requests." in html
    assert 'Trackers <span class="search__count">(1)</span>' in html
    assert hidden.title not in html


def test_results_are_grouped_by_type_with_counts(client, content):
    html = search(client, "mayor")

    assert 'id="results-stories"' in html
    assert 'Statements <span class="search__count">(1)</span>' in html
    assert 'Sources <span class="search__count">(1)</span>' in html


def test_drafts_off_the_record_and_confidential_are_never_found(client, story_index):
    make_story(story_index, "Quarantined draft", publish=False)
    office = make_source("Public office")
    make_statement(office, quote="Quarantined draft words", publish=False)
    make_statement(office, quote="Quarantined off record", on_the_record=False)
    hidden = make_source("Quarantined informant", is_confidential=True)
    make_statement(hidden, quote="Quarantined whisper")
    unpublished = make_source("Quarantined office", publish=False)
    make_statement(unpublished, quote="Quarantined announcement")

    html = search(client, "quarantined")

    assert "Quarantined" not in html.split('id="results-stories"')[1]


def test_a_group_pages_through_its_results(client, story_index):
    for n in range(23):
        make_story(story_index, f"Budget story {n}")

    first = client.get("/search/", {"q": "budget", "type": "stories"})
    second = client.get("/search/", {"q": "budget", "type": "stories", "page": 2})
    overview = search(client, "budget")

    assert first.content.decode().count('class="search__result"') == 20
    assert second.content.decode().count('class="search__result"') == 3
    assert "All 23 stories matching" in overview
    assert overview.count('class="search__result"') == 5


def test_highlighting_escapes_the_text_around_the_match(client, story_index):
    make_story(story_index, "Budget <b>cuts</b> & more")

    html = search(client, "budget")

    assert "<mark>Budget</mark> &lt;b&gt;cuts&lt;/b&gt; &amp; more" in html


def test_empty_query_shows_the_form(client):
    assert 'name="q"' in search(client, "")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 201}, "too long"),
        ({"q": '*** ((( "" --'}, "at least one word"),
        (
            {"q": "mayor", "type": "robots"},
            "Choose stories, statements, sources, events or trackers",
        ),
    ],
)
def test_bad_queries_are_a_400_with_a_message(client, params, message):
    response = client.get("/search/", params)

    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("query", ['"unclosed', "mayor AND", "NEAR(a b)", "a:b", "^x"])
def test_search_syntax_in_the_query_is_plain_words(client, content, query):
    search(client, query)


def test_a_page_past_the_end_is_a_404(client, content):
    response = client.get("/search/", {"q": "mayor", "type": "sources", "page": 9})

    assert response.status_code == 404


@pytest.mark.slow
def test_search_query_count_does_not_grow_with_the_results(
    client, story_index, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            office = make_source("Budget office")
            make_statement(office, quote="The budget is balanced.")
            make_story(story_index, "Budget vote")

    add(2)
    with django_assert_max_num_queries(25):
        search(client, "budget")
    add(18)
    with django_assert_max_num_queries(25):
        search(client, "budget")


def test_finds_a_story_by_its_published_update_and_shows_its_words(client, story_index):
    story = make_story(story_index, "Calls go unanswered")
    make_update(story, "Calls were sent on to the 311 centre.")
    make_update(story, "Draft words never shown.", publish=False)

    html = search(client, "311")

    assert f'href="{story.url}"' in html
    assert "sent on to the <mark>311</mark> centre" in html
    assert 'class="search__result"' not in search(client, "shown")


def test_query_count_is_bounded_for_stories_found_by_their_updates(
    client, story_index, django_assert_max_num_queries
):
    for _ in range(6):
        make_update(make_story(story_index, "Budget vote"), "The budget passed.")

    with django_assert_max_num_queries(25):
        search(client, "passed")
