"""A story's public version history, read from the record's snapshots.

A published version is a snapshot the record kept when the story was
published (by an editor, through workflow approval, by the scheduler or by an
archive import); drafts and revisions submitted for review never appear. Each
version is read from its snapshot alone, never from the current rows of the
statements and sources it quoted, so a later change to those cannot change a
past version (stories.models.record).
Each version carries the updates that went out with it, each update every
wording it has been published with, and a flag for minor edits (only
whitespace, punctuation or letter case changed, and no update went with it).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from stories.diff import StoryText, document_text, is_minor_edit
from stories.models.record import Snapshot
from stories.models.update import Update


@dataclass
class Wording:
    published_at: datetime
    text: str
    snapshot: Snapshot


@dataclass
class Version:
    number: int
    revision_id: int
    published_at: datetime
    text: StoryText
    snapshot: Snapshot
    updates: list[Update] = field(default_factory=list)
    previous: "Version | None" = None
    minor: bool = False


def _with_wordings(updates):
    """Attach to each update the wordings it was published with, oldest first."""
    wordings = defaultdict(list)
    for update_id, snapshot in _snapshots_of(updates):
        data = snapshot.data
        wordings[update_id].append(
            Wording(snapshot.published_at, data["text"], snapshot)
        )
    for update in updates:
        update.wordings = wordings[str(update.pk)]
    return updates


def _snapshots_of(updates):
    if not updates:
        return []
    snapshots = Snapshot.objects.filter(
        object_type=ContentType.objects.get_for_model(Update),
        object_id__in=[str(update.pk) for update in updates],
    ).order_by("number")
    return [(snapshot.object_id, snapshot) for snapshot in snapshots]


def published_versions(story):
    """Every published version of `story`, oldest first, in a fixed number of
    queries."""
    updates = _with_wordings(list(Update.objects.for_story(story).reverse()))
    updates_by_revision = defaultdict(list)
    for update in updates:
        updates_by_revision[update.story_revision_id].append(update)

    versions = []
    for snapshot in Snapshot.versions_of(story).order_by("number"):
        previous = versions[-1] if versions else None
        version = Version(
            number=snapshot.number,
            revision_id=snapshot.revision_id,
            published_at=snapshot.published_at,
            text=document_text(snapshot.data),
            snapshot=snapshot,
            updates=updates_by_revision[snapshot.revision_id],
            previous=previous,
        )
        version.minor = bool(
            previous
            and not version.updates
            and is_minor_edit(previous.text.flat(), version.text.flat())
        )
        versions.append(version)
    return versions


def find_versions(versions, *revision_ids):
    """The versions with these revision ids, or None if any is not a published one."""
    by_id = {version.revision_id: version for version in versions}
    found = [by_id.get(revision_id) for revision_id in revision_ids]
    return None if None in found else found


@dataclass(frozen=True)
class UpdateVersion:
    """The published story version an update went out with, and the one before."""

    number: int
    revision_id: int
    previous_revision_id: int | None


def with_versions(updates):
    """Attach to each update `version`: the UpdateVersion it went out with, or
    None when its story version is not known. One query whatever the number of
    updates and stories."""
    updates = list(updates)
    story_ids = {update.story_id for update in updates}
    rows = (
        Snapshot.objects.filter(
            kind=Snapshot.Kind.STORY_VERSION, story_id__in=story_ids
        )
        .order_by("story_id", "number")
        .values_list("story_id", "number", "revision_id")
    )
    by_revision = {}
    previous = {}
    for story_id, number, revision_id in rows:
        by_revision[revision_id] = UpdateVersion(
            number, revision_id, previous.get(story_id)
        )
        previous[story_id] = revision_id
    for update in updates:
        update.version = by_revision.get(update.story_revision_id)
    return updates
