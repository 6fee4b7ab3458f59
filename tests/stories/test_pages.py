"""Reader pages for stories: index, story, tag and author pages."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import make_author, make_story

QUERY_BOUND = 16


@pytest.fixture(
    params=[1, pytest.param(30, marks=pytest.mark.slow)], ids=["1-story", "30-stories"]
)
def many_stories(request, story_index):
    author = make_author("Jerry Iannelli", slug="jerry-iannelli")
    start = timezone.now() - datetime.timedelta(days=60)
    return [
        make_story(
            story_index,
            f"Story {n}",
            authors=[author, make_author()],
            tags=["immigration", f"topic {n}"],
            when=start + datetime.timedelta(days=n),
        )
        for n in range(request.param)
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/stories/",
        "/stories/?tag=immigration",
        "/tags/immigration/",
        "/authors/jerry-iannelli/",
    ],
)
def test_listing_pages_run_a_bounded_number_of_queries(
    client, many_stories, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(url)

    assert response.status_code == 200
    assert many_stories[-1].title in response.content.decode()


def test_story_page_runs_a_bounded_number_of_queries(
    client, many_stories, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(many_stories[-1].url)

    assert response.status_code == 200


def test_index_lists_twenty_a_page_newest_first(client, story_index):
    start = timezone.now() - datetime.timedelta(days=30)
    stories = [
        make_story(
            story_index, f"Dispatch {n:02d}", when=start + datetime.timedelta(days=n)
        )
        for n in range(21)
    ]

    first = client.get("/stories/").content.decode()
    second = client.get("/stories/?page=2").content.decode()

    assert first.index("Dispatch 20") < first.index("Dispatch 19")
    assert first.count('class="story-list__item"') == 20
    assert stories[0].title in second
    assert stories[0].title not in first


@pytest.mark.parametrize("query", ["?page=99", "?page=0", "?page=abc", "?tag=nope"])
def test_bad_index_parameters_give_a_404_page(client, story_index, query):
    make_story(story_index, "Only story", tags=["immigration"])

    response = client.get("/stories/" + query)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_tag_page_is_a_404(client, story_index):
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_tag_of_drafts_only_is_a_404(client, story_index):
    make_story(story_index, "Unpublished", tags=["secret plans"], publish=False)

    assert client.get("/tags/secret-plans/").status_code == 404


def test_story_page_shows_headline_dek_byline_and_dates(client, story_index, editor):
    author = make_author("Jerry Iannelli", slug="jerry-iannelli")
    story = make_story(
        story_index,
        "Mayor's office stops taking calls",
        dek="Callers are told to email instead.",
        authors=[author],
        tags=["immigration"],
        when=timezone.now() - datetime.timedelta(days=2),
        editor=editor,
    )

    content = client.get(story.url).content.decode()

    assert (
        '<h1 class="story__headline">Mayor&#x27;s office stops taking calls</h1>'
        in content
    )
    assert "Callers are told to email instead." in content
    assert (
        '<a href="/authors/jerry-iannelli/" rel="author">Jerry Iannelli</a>' in content
    )
    assert "Published <time" in content
    assert 'href="/tags/immigration/"' in content


def test_author_page_shows_bio_and_their_stories(client, story_index):
    author = make_author(
        "Data desk", slug="data-desk", bio="<p>Checks the numbers.</p>"
    )
    make_story(story_index, "Detainer requests counted", authors=[author])
    make_story(story_index, "Someone else's story")

    content = client.get("/authors/data-desk/").content.decode()

    assert "Checks the numbers." in content
    assert "Detainer requests counted" in content
    assert "Someone else" not in content


def test_unknown_author_is_a_404(client, db):
    assert client.get("/authors/nobody/").status_code == 404
