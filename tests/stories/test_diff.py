"""The word diff marks exactly what changed, escapes text, and reads any block."""

import datetime
from decimal import Decimal

from wagtail.rich_text import RichText

from stories.diff import StoryText, diff_story, diff_words, is_minor_edit, story_text
from stories.models import StoryPage
from stories.models.documents import reader_text
from tests.factories import (
    make_source,
    make_statement,
    make_story,
    publish_new_version,
)


def ops(chunks):
    return [(chunk.op, chunk.text) for chunk in chunks]


def test_one_word_change_is_one_deletion_and_one_insertion():
    chunks = diff_words(
        "The call was on Tuesday at noon", "The call was on Monday at noon"
    )

    assert ops(chunks) == [
        ("equal", "The call was on"),
        ("delete", "Tuesday"),
        ("insert", "Monday"),
        ("equal", "at noon"),
    ]


def test_added_paragraph_is_inserted_whole():
    diff = diff_story(
        StoryText("H", "", ("First.",)), StoryText("H", "", ("First.", "Second one."))
    )

    assert ops(diff.body[0]) == [("equal", "First.")]
    assert ops(diff.body[1]) == [("insert", "Second one.")]
    assert diff.changed


def test_text_is_read_from_rich_text_structs_and_plain_blocks(db):
    page = StoryPage(
        title="Headline",
        dek="Dek",
        body=[
            ("paragraph", RichText("<p>Calls <b>rerouted</b> to 311.</p>")),
            ("quote", {"text": "We take every call.", "attribution": "Spokesperson"}),
            ("heading", "Next steps"),
        ],
    )

    text = story_text(page)

    assert text.body == (
        "Calls rerouted to 311.",
        "“We take every call.” — Spokesperson",
        "Next steps",
    )


def test_diff_reads_a_data_point_as_a_sentence_not_its_fields_in_key_order():
    block = {
        "as_of": "2017-02-06",
        "label": "ICE detainer requests received by county jails",
        "source": "Miami Herald analysis",
        "source_url": "",
        "type": "data_point",
        "unit": "requests",
        "value": "27",
    }

    assert reader_text(block) == (
        "27 requests: ICE detainer requests received by county jails, "
        "as of Feb. 6, 2017. Source: Miami Herald analysis."
    )


def test_a_yearly_data_point_reads_to_its_year_with_grouped_digits():
    block = {
        "type": "data_point",
        "value": "2000",
        "unit": "requests",
        "label": "ICE detainer requests received by county jails in 2012",
        "as_of": "2012-12-31",
        "precision": "year",
        "source": "Miami Herald analysis",
    }

    assert reader_text(block) == (
        "2,000 requests: ICE detainer requests received by county jails in 2012, "
        "as of 2012. Source: Miami Herald analysis."
    )


def test_a_yearly_data_point_shows_its_year_on_the_story_page(client, story_index):
    story = make_story(story_index)
    publish_new_version(
        story,
        body=[
            (
                "data_point",
                {
                    "value": Decimal(2000),
                    "unit": "requests",
                    "label": "Detainer requests in 2012",
                    "as_of": datetime.date(2012, 12, 31),
                    "precision": "year",
                    "source": "Miami Herald analysis",
                },
            )
        ],
    )

    html = client.get(story.url).content.decode()

    assert '<data value="2000">2,000</data> requests' in html
    assert 'As of <time datetime="2012">2012</time>.' in html
    assert "Dec. 31" not in html


STATEMENT = {
    "type": "statement",
    "statement": 1,
    "source": 2,
    "speaker": "Carlos Gimenez",
    "role": "Mayor of Miami-Dade County",
    "channel": "Press release",
    "said_at": "2017-01-26T05:00:00+00:00",
    "date_only": True,
}


def test_diff_quotes_a_statements_quote_with_its_speaker_in_full():
    words = "Miami-Dade County has never been a sanctuary county, and we will "
    words += "comply with the executive order in full from today."
    block = {**STATEMENT, "words": words, "words_are": "quote"}

    assert reader_text(block) == (
        f"“{words}” — Carlos Gimenez, Mayor of Miami-Dade County, "
        "press release, Jan. 26, 2017"
    )


def test_diff_gives_a_statements_summary_as_ours_never_in_quotation_marks():
    block = {
        **STATEMENT,
        "words": "The mayor ordered jails to comply.",
        "words_are": "summary",
    }

    text = reader_text(block)

    assert text == (
        "Our summary of a statement by Carlos Gimenez, Mayor of Miami-Dade "
        "County (press release, Jan. 26, 2017): The mayor ordered jails to comply."
    )
    assert "“" not in text


def test_a_quoted_statement_on_a_page_reads_in_full_not_as_its_admin_label(
    story_index,
):
    source = make_source("Carlos Gimenez", role="Mayor")
    words = "We will comply with the executive order, and we always have. " * 3
    statement = make_statement(source, quote=words.strip())
    page = StoryPage(title="Headline", dek="", body=[("statement", statement)])

    (paragraph,) = story_text(page).body

    assert paragraph.startswith(f"“{words.strip()}” — Carlos Gimenez, Mayor")
    assert str(statement) not in paragraph


def test_whitespace_punctuation_and_case_are_minor_but_words_are_not():
    assert is_minor_edit("The mayor's office, today.", "the mayor\u2019s office today")
    assert not is_minor_edit("The office took calls.", "The office refused calls.")
