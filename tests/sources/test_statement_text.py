"""A statement's summary is our paraphrase, and every surface says so.

Only `quote` holds the official's words: a summary is never in a <blockquote>
or <q>, nor in quotation marks, under their name. Referral targets read once,
and names keep their capitals wherever an outcome is put in a sentence.
"""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from sources.models import Outcome
from tests.factories import (
    make_request,
    make_source,
    make_statement,
    make_story,
    make_tracker,
)

SUMMARY = "The mayor ordered county jails to honor detention requests."
QUOTE = "We will comply with the order."


@pytest.fixture
def summary_only(story_index, home_page):
    """A summary-only statement quoted in a story and shown on a tracker."""
    tracker = make_tracker(home_page, "Sanctuary policy reversal")
    mayor = make_source("Carlos Gimenez", role="Mayor", slug="carlos-gimenez")
    statement = make_statement(mayor, quote="", summary=SUMMARY, tracker=tracker)
    story = make_story(story_index, "Mayor reverses the policy")
    story = story.get_latest_revision_as_object()
    story.body.append(("statement", statement))
    story.save_revision().publish()
    story.refresh_from_db()
    return story, mayor, tracker


def quoted_parts(html):
    """The text of every <blockquote> and <q> on the page."""
    soup = BeautifulSoup(html, "html.parser")
    return [element.get_text(" ") for element in soup.find_all(["blockquote", "q"])]


def text_of(html):
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    return re.sub(r" ([:;,.)])", r"\1", text)


def test_a_summary_is_never_quoted_on_any_surface(client, summary_only):
    story, mayor, tracker = summary_only
    surfaces = {
        "story": story.url,
        "source page": mayor.get_absolute_url(),
        "tracker page": tracker.url,
        "search": "/search/?q=detention",
        "home page": "/",
    }

    for surface, url in surfaces.items():
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, surface
        assert "honor detention requests" in text_of(html), surface
        assert not [part for part in quoted_parts(html) if "detention" in part], surface
        for mark in ("“", '"', "«"):
            assert f"{mark}{SUMMARY}" not in text_of(html), surface
            assert f"{mark}The mayor ordered" not in text_of(html), surface


def test_a_summary_in_a_story_is_labelled_as_ours(client, summary_only):
    story, _mayor, _tracker = summary_only

    text = text_of(client.get(story.url).content.decode())

    assert "Our summary of a statement by Carlos Gimenez, Mayor" in text
    assert "— Carlos Gimenez" not in text


def test_a_quote_is_quoted_and_its_summary_given_as_ours(client, story_index):
    mayor = make_source("Carlos Gimenez", role="Mayor")
    statement = make_statement(mayor, quote=QUOTE, summary=SUMMARY)
    story = make_story(story_index).get_latest_revision_as_object()
    story.body = [("statement", statement)]
    story.save_revision().publish()

    for url in (story.url, mayor.get_absolute_url()):
        html = client.get(url).content.decode()

        assert [part.strip() for part in quoted_parts(html)] == [QUOTE], url
        assert f"In our words: {SUMMARY}" in text_of(html), url


@pytest.fixture
def referral(home_page, story_index):
    tracker = make_tracker(home_page)
    office = make_source("Office of the Mayor", slug="office-of-the-mayor")
    centre = make_source("Miami-Dade County 311 call centre", slug="county-311")
    asked = timezone.now() - datetime.timedelta(days=2)
    request = make_request(
        office,
        asked_at=asked,
        outcome=Outcome.REFERRED,
        answered_at=asked + datetime.timedelta(hours=1),
        referred_to=centre,
        tracker=tracker,
        story=make_story(story_index),
    )
    make_request(
        centre,
        asked_at=asked + datetime.timedelta(hours=2),
        follow_up_of=request,
        outcome=Outcome.NO_RESPONSE,
    )
    return office, centre, tracker, request


def test_a_referral_names_its_target_once(client, referral):
    office, _centre, _tracker, request = referral

    for url in (office.get_absolute_url(), request.story.url):
        text = text_of(client.get(url).content.decode())

        assert "Referred callers to Miami-Dade County 311 call centre" in text, url
        assert "call centre (Miami-Dade" not in text, url


def test_outcomes_keep_the_capitals_of_names_in_a_sentence(client, referral):
    office, _centre, tracker, _request = referral

    tracker_text = text_of(client.get(tracker.url).content.decode())
    office_text = text_of(client.get(office.get_absolute_url()).content.decode())

    assert (
        "We asked Office of the Mayor for comment: referred callers to "
        "Miami-Dade County 311 call centre" in tracker_text
    )
    assert "miami-dade" not in tracker_text
    assert "We followed up with Miami-Dade County 311 call centre: did not respond" in (
        office_text
    ), office_text


def test_a_source_page_lists_the_stories_that_asked_it_for_comment(client, story_index):
    centre = make_source("311 call centre", slug="centre")
    asked = make_story(story_index, "The story that asked")
    quoting = make_story(
        story_index, "The story that quotes"
    ).get_latest_revision_as_object()
    quoting.body.append(("statement", make_statement(centre, quote="We take calls.")))
    quoting.save_revision().publish()
    unpublished = make_story(story_index, "A draft that asked", publish=False)
    private = make_story(story_index, "Asked in private")
    make_request(centre, story=asked)
    make_request(centre, story=unpublished)
    make_request(centre, story=private, is_public=False)

    html = client.get(centre.get_absolute_url()).content.decode()
    section = BeautifulSoup(html, "html.parser").find(
        "section", attrs={"aria-labelledby": "stories-heading"}
    )
    titles = [a.get_text() for a in section.select(".story-list__headline a")]

    assert sorted(titles) == ["The story that asked", "The story that quotes"]
    assert "No stories yet" not in section.get_text()
