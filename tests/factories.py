"""Builders for test data: plain functions over the real models, no mocks."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.rich_text import RichText

from newsroom.scaffold import publish_at
from sources.models import (
    RequestChannel,
    RequestForComment,
    Source,
    SourceKind,
    Statement,
    StatementChannel,
)
from stories.models import Author, StoryIndexPage, StoryPage, StoryPageAuthor, Update
from trackers.models import TimelineEvent, TrackerFigure, TrackerIndexPage, TrackerPage

_sequence = itertools.count(1)


def make_user(username, group=None, **fields):
    user = get_user_model().objects.create_user(
        username=username, password="pass-" + username, **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_author(name=None, **fields):
    n = next(_sequence)
    name = name or f"Author {n}"
    return Author.objects.create(
        name=name, slug=fields.pop("slug", f"author-{n}"), **fields
    )


def make_story_index(home):
    index = StoryIndexPage.objects.child_of(home).first()
    if index:
        return index
    index = home.add_child(instance=StoryIndexPage(title="Stories", slug="stories"))
    index.save_revision().publish()
    return index


def make_story(
    index,
    title=None,
    *,
    dek="",
    paragraphs=("A paragraph of the story.",),
    authors=(),
    tags=(),
    publish=True,
    when=None,
    editor=None,
    writer=None,
):
    """A story under `index`; published (optionally at `when`) unless told not to."""
    n = next(_sequence)
    title = title or f"Story number {n}"
    story = StoryPage(
        title=title,
        slug=f"story-{n}",
        dek=dek,
        live=False,
        body=[("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs],
    )
    for author in authors:
        story.story_authors.add(StoryPageAuthor(author=author))
    if tags:
        story.tags.add(*tags)
    index.add_child(instance=story)
    if not publish:
        story.save_revision(user=writer)
    elif when:
        publish_at(story, when, editor=editor, writer=writer)
    else:
        story.save_revision(user=writer or editor).publish(user=editor)
    story.refresh_from_db()
    return story


def make_update(
    story, text="A fact was added.", *, kind="update", editor=None, publish=True
):
    """An update on `story`, published on its own unless told to wait as a draft."""
    update = Update.objects.create(story=story, kind=kind, text=text, live=False)
    revision = update.save_revision(user=editor)
    if publish:
        revision.publish(user=editor)
    update.refresh_from_db()
    return update


def publish_new_version(story, *, editor=None, **fields):
    """Change `story` (fields, or `paragraphs=[...]`) and publish it as a version."""
    story = story.get_latest_revision_as_object()
    paragraphs = fields.pop("paragraphs", None)
    if paragraphs is not None:
        story.body = [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]
    for name, value in fields.items():
        setattr(story, name, value)
    revision = story.save_revision(user=editor)
    revision.publish(user=editor)
    return revision


# --- Sources, statements and requests for comment ------------------------------


def make_source(name=None, *, publish=True, **fields):
    """A source as an editor published it; `publish=False` leaves it a draft."""
    n = next(_sequence)
    fields.setdefault("kind", SourceKind.OFFICE)
    fields.setdefault("slug", f"source-{n}")
    source = Source.objects.create(name=name or f"Source {n}", live=False, **fields)
    revision = source.save_revision()
    if publish:
        revision.publish()
        source.refresh_from_db()
    return source


def make_statement(source, *, publish=True, said_at=None, **fields):
    fields.setdefault("channel", StatementChannel.EMAILED_STATEMENT)
    fields.setdefault("quote", "We have nothing further to add.")
    statement = Statement.objects.create(
        source=source,
        said_at=said_at or timezone.now() - timezone.timedelta(days=1),
        live=False,
        **fields,
    )
    revision = statement.save_revision()
    if publish:
        revision.publish()
        statement.refresh_from_db()
    return statement


def make_request(source, *, asked_at=None, **fields):
    """A request for comment, validated like the admin form would."""
    fields.setdefault("channel", RequestChannel.PHONE)
    request = RequestForComment(
        source=source,
        asked_at=asked_at or timezone.now() - timezone.timedelta(hours=1),
        **fields,
    )
    request.full_clean()
    request.save()
    if request.live:
        # Published the way an editor publishes it, so it is on the record.
        request.save_revision().publish()
        request.refresh_from_db()
    return request


# --- Trackers and their timelines ----------------------------------------------


def make_tracker(
    home, title=None, *, slug=None, status="active", events=(), figures=()
):
    """A published tracker under /trackers/, with events and figure readings.

    `events` and `figures` are dicts of TimelineEvent and TrackerFigure fields.
    """
    index = TrackerIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=TrackerIndexPage(title="Trackers", slug="trackers")
        )
        index.save_revision().publish()
    n = next(_sequence)
    tracker = TrackerPage(
        title=title or f"Tracker {n}",
        slug=slug or f"tracker-{n}",
        summary="An issue we follow.",
        status=status,
    )
    tracker.events = [TimelineEvent(**fields) for fields in events]
    tracker.figures = [TrackerFigure(**fields) for fields in figures]
    index.add_child(instance=tracker)
    tracker.save_revision().publish()
    tracker.refresh_from_db()
    return tracker


def event_fields(day, *, kind="decision", title=None, **fields):
    """TimelineEvent fields for a day-precision event on `day` (a date)."""
    fields.setdefault("precision", "day")
    return {
        "kind": kind,
        "title": title or f"Event on {day}",
        "start_date": day,
        **fields,
    }


def add_to_tracker(story, tracker, *, editor=None):
    """Publish a new version of `story` that belongs to `tracker`."""
    return publish_new_version(story, editor=editor, trackers=[tracker])


def unpublish_as_before(story):
    """Take `story` offline the way plain unpublishing did before stories could
    only be withdrawn; databases from that time still hold such stories."""
    type(story).objects.filter(pk=story.pk).update(live=False, live_revision=None)
    story.refresh_from_db()
