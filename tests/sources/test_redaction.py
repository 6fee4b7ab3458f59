"""Redactions: words readers were shown leave the record only in public.

A redaction replaces them in every snapshot with a dated marker, logs the
reason, and publishes a new version of each story concerned with an editor's
note; an ordinary edit that would do the same is refused.
"""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from wagtail.rich_text import RichText

from sources.models import RecordChangeRefused, Source
from stories.history import published_versions
from stories.models import RecordEntry, Update, record, redaction
from tests.factories import (
    make_source,
    make_statement,
    make_story,
    make_update,
    publish_new_version,
)

pytestmark = pytest.mark.django_db
WORDS = "The county will honor all detainer requests."
REASON = "the official spoke on condition of anonymity"


@pytest.fixture
def quoted(story_index, editor):
    """A statement, and a story whose second version quotes it and cites its source."""
    source = make_source("Mayor's office", role="Press office")
    statement = make_statement(source, quote=WORDS)
    story = make_story(story_index, "Detainers", editor=editor)
    body = [
        ("paragraph", RichText("<p>The office said:</p>")),
        ("statement", statement),
        ("source_citation", {"source": source, "note": "figures"}),
    ]
    publish_new_version(story, body=body, editor=editor)
    return statement, story


def take_off_the_record(statement, editor):
    target = redaction.Target(
        statement_id=statement.pk,
        off_the_record=True,
        description=f"a statement by {statement.source.name}",
    )

    def apply():
        statement.on_the_record = False
        statement.save_revision(user=editor).publish(user=editor)

    return redaction.redact(target, REASON, editor, apply)


def snapshot_json(client, story, number):
    return json.loads(client.get(f"{story.url}history/{number}.json").content)


def test_a_redaction_marks_earlier_versions_and_adds_a_version_with_a_note(
    client, quoted, editor
):
    statement, story = quoted

    outcome = take_off_the_record(statement, editor)

    assert outcome.stories == [story]
    marked = snapshot_json(client, story, 2)["body"][1]
    assert WORDS not in json.dumps(marked)
    assert marked["words"].startswith("[removed on ")
    assert marked["words"].endswith(f": {REASON}]")
    assert marked["speaker"] == marked["words"]
    versions = published_versions(story)
    assert len(versions) == 3
    note = versions[-1].updates[0]
    assert note.kind == Update.Kind.EDITORS_NOTE
    assert "we removed a statement by Mayor's office" in note.text
    assert REASON in note.text
    newest = snapshot_json(client, story, 3)
    assert [block["type"] for block in newest["body"]] == [
        "paragraph",
        "source_citation",
    ]
    page = client.get(story.url).content.decode()
    assert WORDS not in page
    assert "we removed a statement" in page


def test_the_log_says_what_was_redacted_and_why_and_still_verifies(
    client, quoted, editor
):
    statement, story = quoted
    before = RecordEntry.objects.count()

    take_off_the_record(statement, editor)

    entries = log_after(client, before)
    redactions = [e for e in entries if e["kind"] == "redaction"]
    # The story's second version and the statement's own snapshot.
    assert {e["snapshot_url"] for e in redactions} == {
        record.public_url(f"{story.url}history/2.json"),
        record.public_url(f"/record/statements/{statement.pk}/1.json"),
    }
    assert all(e["reason"] == REASON for e in redactions)
    kinds = [e["kind"] for e in entries]
    assert kinds[-2:] == ["story_version", "update"]
    call_command("verify_record", stdout=StringIO())


def log_after(client, seq):
    return client.get(f"/record/log.json?after={seq}").json()["entries"]


def test_the_diff_and_history_show_the_marker_not_the_words(client, quoted, editor):
    statement, story = quoted
    take_off_the_record(statement, editor)
    versions = published_versions(story)

    diff = client.get(
        f"{story.url}history/{versions[0].revision_id}/{versions[1].revision_id}/"
    ).content.decode()

    assert "detainer requests" not in diff
    assert "[removed on" in diff


def test_correcting_quoted_words_keeps_the_new_words_and_marks_the_old(
    client, quoted, editor
):
    statement, story = quoted
    target = redaction.Target(
        statement_id=statement.pk, description="the words of a statement"
    )

    def apply():
        statement.quote = "The county will honor detainer requests."
        statement.save_revision(user=editor).publish(user=editor)

    redaction.redact(target, "we misheard one word", editor, apply)

    assert "[removed on" in snapshot_json(client, story, 2)["body"][1]["words"]
    newest = snapshot_json(client, story, 3)["body"][1]
    assert newest["words"] == "The county will honor detainer requests."
    assert newest["speaker"] == "Mayor's office"
    own = client.get(f"/record/statements/{statement.pk}/2.json")
    assert json.loads(own.content)["quote"] == statement.quote


def test_making_a_cited_source_confidential_removes_its_name(client, quoted, editor):
    statement, story = quoted
    source = statement.source
    target = redaction.Target(source_id=source.pk, description="the name of a source")

    def apply():
        source.is_confidential = True
        source.save_revision(user=editor).publish(user=editor)

    outcome = redaction.redact(target, "the source's safety", editor, apply)

    old = json.dumps(snapshot_json(client, story, 2), ensure_ascii=False)
    assert "Mayor's office" not in old
    assert "[removed on" in old
    assert "Mayor's office" not in outcome.notes[0].text
    assert "Mayor's office" not in client.get(story.url).content.decode()


def test_plain_edits_that_would_rewrite_the_record_are_refused(quoted, editor):
    statement, _story = quoted

    statement.on_the_record = False
    with pytest.raises(ValidationError, match="Redact"):
        statement.save_revision(user=editor)
    with pytest.raises(RecordChangeRefused):
        statement.save_revision(user=editor, clean=False).publish(user=editor)
    statement.refresh_from_db()
    statement.quote = "Something else."
    with pytest.raises(RecordChangeRefused):
        statement.save_revision(user=editor, clean=False).publish(user=editor)
    statement.refresh_from_db()
    assert statement.on_the_record
    assert statement.quote == WORDS
    source = Source.objects.get(pk=statement.source_id)
    source.is_confidential = True
    with pytest.raises(ValidationError, match="Redact"):
        source.save_revision(user=editor)
    with pytest.raises(RecordChangeRefused):
        source.save_revision(user=editor, clean=False).publish(user=editor)
    assert not Source.objects.get(pk=source.pk).is_confidential


def test_an_unquoted_statement_s_words_change_by_a_new_version(client, editor):
    statement = make_statement(make_source(), quote="First words.")

    statement.quote = "Second words."
    statement.save_revision(user=editor).publish(user=editor)

    own = client.get(f"/record/statements/{statement.pk}/1.json")
    assert json.loads(own.content)["quote"] == "First words."
    assert RecordEntry.objects.filter(kind="statement").count() == 2


def test_a_redaction_publishes_no_one_s_drafts(quoted, editor, reporter):
    statement, story = quoted
    draft_update = make_update(story, "Half written.", editor=reporter, publish=False)
    draft = story.get_latest_revision_as_object()
    draft.title = "Detainers: a draft headline"
    draft.save_revision(user=reporter)

    take_off_the_record(statement, editor)

    draft_update.refresh_from_db()
    assert not draft_update.live
    story.refresh_from_db()
    assert story.title == "Detainers"
    assert story.has_unpublished_changes
    assert story.latest_revision.as_object().title == "Detainers: a draft headline"


def test_the_admin_redacts_after_a_confirmation(client, quoted, editor):
    statement, story = quoted
    client.force_login(editor)
    url = reverse("sources_redact", args=["statement", statement.pk])

    page = client.get(url).content.decode()
    assert "[removed on" in page
    assert story.title in page

    response = client.post(url, {"reason": REASON, "action": "off_the_record"})
    assert response.status_code == 302
    assert len(published_versions(story)) == 3
    statement.refresh_from_db()
    assert not statement.on_the_record


def test_the_admin_asks_for_a_reason_and_new_words(client, quoted, editor):
    statement, _story = quoted
    client.force_login(editor)
    url = reverse("sources_redact", args=["statement", statement.pk])

    for data in [
        {"reason": "", "action": "off_the_record"},
        {"reason": REASON, "action": "new_words"},
    ]:
        assert client.post(url, data).status_code == 400
    assert RecordEntry.objects.filter(kind="redaction").count() == 0


def test_reporters_cannot_redact(client, quoted, reporter):
    statement, _story = quoted
    client.force_login(reporter)
    url = reverse("sources_redact", args=["statement", statement.pk])

    # Wagtail's admin answers a refusal with a redirect and a message.
    assert client.get(url).status_code in {302, 403}
    response = client.post(url, {"reason": REASON, "action": "off_the_record"})
    assert response.status_code in {302, 403}
    statement.refresh_from_db()
    assert statement.on_the_record
    assert RecordEntry.objects.filter(kind="redaction").count() == 0
