"""A story's public version history, from Wagtail's revisions and audit log.

A published version is a revision that the audit log records as published,
by an editor or by the scheduler (PUBLISH_ACTIONS); drafts and revisions
submitted for review never appear.
Each version carries the updates that went out with it, each update every
wording it has been published with, and a flag for minor edits (only
whitespace, punctuation or letter case changed, and no update went with it).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from wagtail.models import PageLogEntry

from core.revisions import PUBLISH_ACTIONS
from stories.diff import StoryText, is_minor_edit, story_text
from stories.models.update import Update, publish_log_entries


@dataclass
class Wording:
    published_at: datetime
    text: str


@dataclass
class Version:
    number: int
    revision_id: int
    published_at: datetime
    text: StoryText
    updates: list[Update] = field(default_factory=list)
    previous: "Version | None" = None
    minor: bool = False


def _publish_entries(story):
    return (
        PageLogEntry.objects.filter(
            page=story, action__in=PUBLISH_ACTIONS, revision__isnull=False
        )
        .select_related("revision")
        .order_by("timestamp", "pk")
    )


def _with_wordings(updates):
    """Attach to each update the wordings it was published with, oldest first."""
    wordings = defaultdict(list)
    for entry in publish_log_entries(updates):
        wordings[entry.object_id].append(
            Wording(entry.timestamp, entry.revision.content.get("text", ""))
        )
    for update in updates:
        update.wordings = wordings[str(update.pk)] or [
            Wording(update.first_published_at, update.text)
        ]
    return updates


def _as_story(story, revision):
    """The story as `revision` saved it, built from its JSON alone.

    Foreign keys are not checked against the database: only the text is read,
    and checking would cost queries for every version.
    """
    return type(story).from_serializable_data(revision.content, check_fks=False)


def published_versions(story):
    """Every published version of `story`, oldest first, in a fixed number of queries.

    A revision published twice (republished unchanged) is one version, dated by
    its first publication.
    """
    updates = _with_wordings(list(Update.objects.for_story(story).reverse()))
    updates_by_revision = defaultdict(list)
    for update in updates:
        updates_by_revision[update.story_revision_id].append(update)

    versions = []
    seen = set()
    for entry in _publish_entries(story):
        if entry.revision_id in seen:
            continue
        seen.add(entry.revision_id)
        previous = versions[-1] if versions else None
        version = Version(
            number=len(versions) + 1,
            revision_id=entry.revision_id,
            published_at=entry.timestamp,
            text=story_text(_as_story(story, entry.revision)),
            updates=updates_by_revision[entry.revision_id],
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
