"""Redactions: the one way words readers were shown leave the record.

Taking a quoted statement off the record, correcting its quoted words, or
making a cited source confidential changes what published stories showed. It
is never done silently: a redaction replaces the words in every snapshot that
holds them with a visible "[removed on <date>: <reason>]", logs one public
"redaction" entry per snapshot it changed (with the reason), and publishes a
new version of each story concerned with an editor's note saying what was
removed and why. Everything else in the record stays as it was.
"""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import dateformat

from core import visibility
from stories.models.record import RecordEntry, Snapshot, append, now
from stories.models.story import StoryPage
from stories.models.update import Update, publishing_only

_redacting = contextvars.ContextVar("redacting", default=False)


def in_progress():
    """True inside a redaction: the changes it makes are the permitted ones."""
    return _redacting.get()


@contextmanager
def _permitted():
    token = _redacting.set(True)
    try:
        yield
    finally:
        _redacting.reset(token)


@dataclass
class Target:
    """What a redaction removes: a statement's words (and, taken off the
    record, who said them), or every mention of a source."""

    statement_id: int | None = None
    source_id: int | None = None
    off_the_record: bool = False
    description: str = ""

    def search_terms(self):
        if self.statement_id:
            return [f'"statement":{self.statement_id},']
        return [
            f'"source":{self.source_id},',
            f'"referred_to_source":{self.source_id},',
        ]


@dataclass
class Outcome:
    snapshots: list[Snapshot] = field(default_factory=list)
    stories: list[StoryPage] = field(default_factory=list)
    notes: list[Update] = field(default_factory=list)


def marker(reason, when=None):
    when = when or now()
    return f"[removed on {dateformat.format(when, 'N j, Y')}: {reason}]"


def note_text(target, reason, when=None):
    when = when or now()
    return (
        f"On {dateformat.format(when, 'N j, Y')} we removed {target.description} "
        f"from this story and from its earlier versions because {reason}"
        + ("" if reason.rstrip().endswith((".", "!", "?")) else ".")
    )


def _redact_block(block, target, text):
    """Replace what `target` names in one JSON object; True when it changed."""
    changed = False
    if target.statement_id and block.get("statement") == target.statement_id:
        for key in ("words", "quote", "summary"):
            if block.get(key):
                block[key], changed = text, True
        if target.off_the_record:
            for key in ("speaker", "role"):
                if block.get(key):
                    block[key], changed = text, True
    if target.source_id and block.get("source") == target.source_id:
        for key in ("speaker", "name", "asked", "role"):
            if block.get(key):
                block[key], changed = text, True
    if target.source_id and block.get("referred_to_source") == target.source_id:
        block["referred_to"], changed = text, True
    return changed


def redact_document(document, target, text):
    """Redact a snapshot document in place; True when anything changed."""
    changed = _redact_block(document, target, text)
    for block in document.get("body", []):
        changed = _redact_block(block, target, text) or changed
    return changed


def _candidates(target):
    found = Snapshot.objects.none()
    for term in target.search_terms():
        found = found | Snapshot.objects.filter(document__contains=term)
    return list(found.order_by("pk"))


@transaction.atomic
def redact(target, reason, user, apply_change):
    """Remove `target` from the record for `reason`, publicly; see the module.

    `apply_change()` makes the change itself (publishes the statement off the
    record, say); it runs after the snapshots that hold the old words are
    found, so a snapshot it writes (the statement with new words) is kept.
    """
    reason = " ".join(reason.split())
    when = now()
    candidates = _candidates(target)
    outcome = Outcome()
    with _permitted():
        apply_change()
        text = marker(reason, when)
        for snapshot in candidates:
            document = snapshot.data
            if not redact_document(document, target, text):
                continue
            Snapshot.objects.filter(pk=snapshot.pk)._redact(document)
            snapshot.refresh_from_db()
            url = snapshot.entries.order_by("seq").values_list("url", flat=True)[0]
            append(RecordEntry.Kind.REDACTION, url, snapshot, reason=reason)
            outcome.snapshots.append(snapshot)
        stories = {
            s.story_id
            for s in outcome.snapshots
            if s.kind == Snapshot.Kind.STORY_VERSION
        }
        # Every story still standing gets its note, restricted ones included:
        # their readers were shown the words too.
        standing = StoryPage.objects.filter(pk__in=stories, live=True).exclude(
            visibility.withdrawn()
        )
        for story in standing.order_by("pk"):
            note = _republish_with_note(story, note_text(target, reason), user)
            outcome.stories.append(story)
            outcome.notes.append(note)
    return outcome


def _republish_with_note(story, text, user):
    """A new version of `story` as it stands, out with one editor's note.

    Other draft updates on the story stay drafts, and a draft of the story
    itself is saved again on top, so no one's unpublished work is lost or
    published by surprise.
    """
    draft = story.latest_revision if story.has_unpublished_changes else None
    note = Update.objects.create(
        story=story, kind=Update.Kind.EDITORS_NOTE, text=text, live=False
    )
    note.save_revision(user=user)
    live = story.live_revision.as_object()
    with publishing_only([note]):
        live.save_revision(user=user).publish(user=user)
    if draft is not None:
        draft.as_object().save_revision(user=draft.user)
    note.refresh_from_db()
    return note
