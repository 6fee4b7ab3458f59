"""The word diff marks exactly what changed, escapes text, and reads any block."""

from wagtail.rich_text import RichText

from stories.diff import StoryText, diff_story, diff_words, is_minor_edit, story_text
from stories.models import StoryPage


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
        "We take every call. Spokesperson",
        "Next steps",
    )


def test_whitespace_punctuation_and_case_are_minor_but_words_are_not():
    assert is_minor_edit("The mayor's office, today.", "the mayor\u2019s office today")
    assert not is_minor_edit("The office took calls.", "The office refused calls.")
