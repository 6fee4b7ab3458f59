"""Builders for test data: plain functions over the real models, no mocks."""

import contextlib
import datetime
import io
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.images import get_image_model
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
from stories.models import (
    Author,
    RecordEntry,
    StoryIndexPage,
    StoryPage,
    StoryPageAuthor,
    Update,
)
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


# --- A site whose every reader list runs to a second page ----------------------


def make_long_lists(home, index):
    """One more item than the first page of each paginated reader list holds.

    Returns {list name: (address of its first page, text only its second page
    shows)}; the text is None where the order is not fixed (search ranks).
    Stories, tags and authors hold 20 a page, corrections and requests 25,
    sources, tracker events and the record 50.
    """
    author = make_author("Pelican Desk")
    start = timezone.now() - timezone.timedelta(days=60)
    stories = [
        make_story(
            index,
            f"Pelican story {n:02}",
            authors=[author],
            tags=["pelicans"],
            when=start + timezone.timedelta(days=n),
        )
        for n in range(1, 22)
    ]
    for n in range(1, 27):
        make_update(stories[-1], f"Pelican update {n:02} adds a fact.")
    sources = [make_source(f"Pelican source {n:02}") for n in range(1, 52)]
    asked = timezone.now()
    for n in range(1, 27):
        make_request(
            sources[0],
            asked_at=asked - timezone.timedelta(hours=n),
            public_summary=f"Pelican request {n:02} about nesting sites.",
        )
    first_day = datetime.date(2017, 1, 1)
    tracker = make_tracker(
        home,
        "Pelican colony",
        events=[
            event_fields(
                first_day + datetime.timedelta(days=n), title=f"Pelican event {n:02}"
            )
            for n in range(1, 52)
        ],
    )
    # The record lists newest first, 50 a page: the 51st newest opens page 2.
    second_page_entry = RecordEntry.objects.for_readers().order_by("-seq")[50]
    return {
        "stories": (index.url, "Pelican story 01"),
        "tag": ("/tags/pelicans/", "Pelican story 01"),
        "author": (author.get_absolute_url(), "Pelican story 01"),
        "sources": ("/sources/", "Pelican source 51"),
        "source": (sources[0].get_absolute_url(), "Pelican request 26"),
        "corrections": ("/corrections/", "Pelican update 01"),
        "search": ("/search/?q=pelican&type=stories", None),
        "tracker": (tracker.url, "Pelican event 51"),
        "record": ("/record/", f"#{second_page_entry.seq} "),
    }


# --- Images ---------------------------------------------------------------------


def make_image(title="Jail entrance", collection=None, size=(1600, 900)):
    """A plain-coloured PNG saved as a Wagtail image."""
    pixels = io.BytesIO()
    PillowImage.new("RGB", size, (120, 60, 40)).save(pixels, "PNG")
    fields = {"collection": collection} if collection else {}
    return get_image_model().objects.create(
        title=title, file=ImageFile(pixels, name="lead.png"), **fields
    )


# --- The demo newsroom -----------------------------------------------------------


@contextlib.contextmanager
def demo_loaded(django_db_blocker):
    """The demo newsroom (`load_demo`), loaded once for a group of read-only
    tests and rolled back after them; `django_db_blocker` is pytest-django's."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
