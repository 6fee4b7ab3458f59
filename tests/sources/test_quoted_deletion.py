"""A statement or source that a published version quotes or cites stays.

Readers were shown those words; deleting the row would take them out of the
record silently. The model refuses (`PROTECT` through stories' citations), and
the admin refuses first, with a message.
"""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from wagtail.rich_text import RichText

from sources.models import Source, Statement
from tests.factories import (
    make_source,
    make_statement,
    make_story,
    publish_new_version,
)

pytestmark = pytest.mark.django_db


def quoting(story_index, statement, *, source=None):
    """A published story whose body quotes `statement` (and cites `source`)."""
    story = make_story(story_index, "Calls stop")
    body = [
        ("paragraph", RichText("<p>The office said:</p>")),
        ("statement", statement),
    ]
    if source is not None:
        body.append(("source_citation", {"source": source, "note": ""}))
    publish_new_version(story, body=body)
    return story


def test_a_quoted_statement_cannot_be_deleted(story_index):
    statement = make_statement(make_source(), quote="Calls go to 311.")
    quoting(story_index, statement)

    with pytest.raises(ProtectedError):
        statement.delete()
    assert Statement.objects.filter(pk=statement.pk).exists()


def test_a_statement_quoted_only_by_an_earlier_version_still_stays(story_index):
    statement = make_statement(make_source(), quote="Calls go to 311.")
    story = quoting(story_index, statement)
    publish_new_version(story, paragraphs=["The quote was taken out."])

    with pytest.raises(ProtectedError):
        statement.delete()


def test_the_admin_refuses_to_delete_a_quoted_statement(editor_client, story_index):
    statement = make_statement(make_source(), quote="Calls go to 311.")
    quoting(story_index, statement)

    response = editor_client.post(
        reverse("wagtailsnippets_sources_statement:delete", args=[statement.pk]),
        follow=True,
    )

    assert "cannot be deleted" in response.content.decode()
    assert Statement.objects.filter(pk=statement.pk).exists()


def test_the_admin_refuses_to_delete_a_source_whose_statement_is_quoted(
    editor_client, story_index
):
    office = make_source("Office of the Mayor")
    quoting(story_index, make_statement(office))

    response = editor_client.post(
        reverse("wagtailsnippets_sources_source:delete", args=[office.pk]),
        follow=True,
    )

    assert "cannot be deleted" in response.content.decode()
    assert Source.objects.filter(pk=office.pk).exists()


def test_a_cited_source_cannot_be_deleted(story_index):
    cited = make_source("County records office")
    quoting(story_index, make_statement(make_source()), source=cited)

    with pytest.raises(ProtectedError):
        cited.delete()


def test_a_statement_nobody_published_a_quote_of_can_be_deleted(story_index):
    statement = make_statement(make_source())
    story = make_story(story_index, "Draft quote", publish=False)
    story.body = [("statement", statement)]
    story.save_revision()

    statement.delete()

    assert not Statement.objects.filter(pk=statement.pk).exists()
