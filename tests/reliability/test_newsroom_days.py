"""Random newsroom days keep the public record: a stateful property test.

Hypothesis plays sequences of what a newsroom does in a day — reporters draft
stories, statements and requests for comment; editors approve, publish,
schedule, append and amend updates, and withdraw; someone tries to rewrite,
unpublish or delete what was published — through the real models, the real
admin views and the real reader pages, on the database the suite runs on.
After every step each check in `CHECKS` reads the record back and compares it
with a plain model of what the newsroom made public.

Each example starts from the same site (home page, the Stories and Trackers
sections, a reporter and an editor, built once for the test) and runs inside a
transaction that is rolled back when it ends. The run is derandomised: the
same days on every run, so running this file again reproduces a failure, and
Hypothesis prints the failing day step by step.

A check is a function of the day and a reader, registered with `@check`;
one more invariant is one more such function, run after every step.
"""

import datetime
import functools
import itertools
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from wagtail.models import Revision, WorkflowState
from wagtail.rich_text import RichText

from newsroom.scaffold import ensure_tracker_index
from sources.models import (
    Outcome,
    RecordChangeRefused,
    RequestChannel,
    RequestForComment,
    SourceKind,
    Statement,
    StatementChannel,
)
from stories.history import published_versions
from stories.models import (
    RecordEntry,
    Snapshot,
    StoryIndexPage,
    StoryPage,
    StoryPageAuthor,
    Update,
    record,
    redaction,
)
from stories.models.story import StoryUnpublishError
from stories.models.update import PublishedUpdateError
from tests.factories import make_author, make_source
from tests.stories.admin_forms import workflow_action

# Twelve days of ten steps, every check after each: about 30 s on SQLite and
# 40 s on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DAYS = settings(
    derandomize=True,
    database=None,
    max_examples=12,
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Enough for things to meet (a story quoting a statement, a request made for
# a story), few enough that each check stays short.
STORIES_A_DAY = 4
ENTRIES_A_DAY = 4
# Tags a version may carry; a story is drafted with the first.
TAGS = [("county",), ("county", "jail-policy"), ()]
APPENDED_KINDS = [
    Update.Kind.UPDATE,
    Update.Kind.CORRECTION,
    Update.Kind.CLARIFICATION,
    Update.Kind.EDITORS_NOTE,
]
WITHDRAWAL_REASON = "The figures came from a county report that was itself withdrawn."
REDACTION_REASON = "we misquoted the office"

# What every reader reaches from the masthead, whatever the day brought.
SITE_PAGES = ("/", "/stories/", "/corrections/")
NOT_CRAWLED = ("/admin/", django_settings.STATIC_URL, django_settings.MEDIA_URL)
SITE_HOSTS = {"", "testserver", "localhost"}
DIFF = re.compile(r"/history/\d+/\d+/$")


# --- What the newsroom made public, as the test keeps it -------------------------


@dataclass
class ExpectedStory:
    pk: int
    url: str
    latest_revision: int
    headlines: dict = field(default_factory=dict)  # revision id -> headline
    future: set = field(default_factory=set)  # revisions with a go-live time ahead
    scheduled: int | None = None  # the revision waiting for its go-live time
    versions: list = field(default_factory=list)  # published revisions, in order
    live_revision: int | None = None
    withdrawn: bool = False

    @property
    def published(self):
        return bool(self.versions)

    @property
    def live_headline(self):
        return self.headlines[self.live_revision]


@dataclass
class ExpectedUpdate:
    pk: int
    story: int  # the story's key in the day
    kind: str
    draft_text: str
    wordings: list = field(default_factory=list)  # published wordings, in order
    story_revision: int | None = None  # the story version it went out with
    refused: list = field(default_factory=list)  # wordings never to be published

    @property
    def published(self):
        return bool(self.wordings)


@dataclass
class ExpectedEntry:
    """A statement (its quote) or a request for comment (its public summary)."""

    model: type
    pk: int
    source_url: str
    draft_text: str
    published_text: str | None = None

    @property
    def pending(self):
        return self.draft_text != self.published_text


# --- The day ----------------------------------------------------------------------


@dataclass
class Newsroom:
    """What every day starts from; built once for the test."""

    index_pk: int
    reporter: object
    editor: object


class NewsroomDay(RuleBasedStateMachine):
    def __init__(self, newsroom):
        super().__init__()
        # Everything a day does is rolled back in teardown, so the next one
        # starts from the same site.
        self._day = transaction.atomic()
        self._day.__enter__()
        cache.clear()
        self.index_pk = newsroom.index_pk
        self.reporter = newsroom.reporter
        self.editor = newsroom.editor
        self.reader = Client()
        self.editor_client = Client()
        self.editor_client.force_login(self.editor)
        self.words = itertools.count(1)
        self.stories = []
        self.updates = []
        self.entries = {"statement": [], "request": []}
        self.quoted = set()  # keys of statements a published version quotes
        self.snapshot_hashes = {}  # snapshot id -> its SHA-256 when last checked
        self.frozen = {}  # revision id -> what it held when published
        # Diffs that answered once: they compare published versions, which
        # never change (a check says so), so they are not asked again.
        self.answered_diffs = set()
        self.author = make_author("Rita Reporter", slug="rita-reporter")
        self.sources = [
            make_source("Office of the Mayor", slug="mayor", kind=SourceKind.OFFICE),
            make_source("County 311 centre", slug="county-311", kind=SourceKind.OFFICE),
        ]

    def teardown(self):
        transaction.set_rollback(True)
        self._day.__exit__(None, None, None)

    @initialize()
    def yesterday_is_on_the_record(self):
        """Where yesterday left off, so that every step has something to act
        on from the first: a story that went through review, a statement and
        a request for comment for it that an editor published and a reporter
        has since redrafted, a second version quoting the statement with a
        correction, an update still in draft, and a third version scheduled
        for an hour from now."""
        self.reporter_drafts_a_story()
        self.submit(0)
        self.approve(0)
        self.log_statement(source=0)
        self.publish_entry(("statement", 0))
        self.log_request(source=0, story_key=0)
        self.publish_entry(("request", 0))
        self.draft_update(Update.Kind.CORRECTION, 0)
        self.quote_statement(0, 0)
        self.draft_update(Update.Kind.UPDATE, 0)
        self.schedule_version(0, hours=1)
        self.redraft_entry(("statement", 0))
        self.redraft_entry(("request", 0))

    # --- helpers ----------------------------------------------------------------

    def word(self, text):
        """`text`, numbered so that no marker is a substring of another."""
        return f"{text} {next(self.words)} on the record"

    def pick(self, data, items, label):
        """One of `items`, drawn under `label` so a failing day names it."""
        return data.draw(st.sampled_from(sorted(items)), label=label)

    def story_keys(self, published=None):
        return [
            key
            for key, story in enumerate(self.stories)
            if published is None or story.published == published
        ]

    def page(self, key):
        return StoryPage.objects.get(pk=self.stories[key].pk)

    def in_review(self, waiting=True):
        """Keys of the stories in Editorial review (or, with False, not in it)."""
        pks = stories_in_review()
        return [k for k, s in enumerate(self.stories) if (s.pk in pks) == waiting]

    def save_story_version(self, key, user, *, go_live_at=None, body=None, tags=None):
        """A new revision of story `key`, with a new headline, saved by `user`."""
        expected = self.stories[key]
        story = self.page(key).get_latest_revision_as_object()
        story.title = self.word(f"Story {key} headline")
        story.go_live_at = go_live_at
        if body is not None:
            story.body = body
        if tags is not None:
            story.tags.set(tags)
        revision = story.save_revision(user=user)
        expected.latest_revision = revision.pk
        expected.headlines[revision.pk] = story.title
        if go_live_at and go_live_at > timezone.now():
            expected.future.add(revision.pk)
        return revision

    def expect_story_published(self, key, revision_id):
        """A publish of `revision_id`: now, or at its go-live time if that is
        ahead. Either way it replaces what the story had waiting for one."""
        expected = self.stories[key]
        if revision_id in expected.future:
            expected.scheduled = revision_id
            return
        expected.scheduled = None
        if revision_id not in expected.versions:
            expected.versions.append(revision_id)
        expected.live_revision = revision_id
        # The story's draft updates go out with it.
        for update in self.updates:
            if update.story == key and not update.published:
                update.wordings.append(update.draft_text)
                update.story_revision = revision_id
        self.freeze_published()

    def freeze_published(self):
        """Remember what each newly published revision of a story or update holds."""
        revisions = {r for story in self.stories for r in story.versions}
        published = [u.pk for u in self.updates if u.published]
        revisions |= set(
            Update.objects.filter(
                pk__in=published, live_revision__isnull=False
            ).values_list("live_revision_id", flat=True)
        )
        for revision_id in revisions - self.frozen.keys():
            self.frozen[revision_id] = frozen(Revision.objects.get(pk=revision_id))

    # --- choosing what happens next ----------------------------------------------

    def choose(self, data, actions):
        """Draw one of the `actions` that can happen now, and do it.

        `actions` maps a name to (the keys it can act on, the method taking
        one). An action with nothing to act on cannot happen now.
        """
        possible = {name: action for name, action in actions.items() if action[0]}
        keys, method = possible[self.pick(data, possible, "action")]
        method(self.pick(data, keys, "on"))

    # --- stories ----------------------------------------------------------------

    @precondition(lambda self: len(self.stories) < STORIES_A_DAY)
    @rule()
    def reporter_drafts_a_story(self):
        key = len(self.stories)
        story = StoryPage(
            title=self.word(f"Story {key} headline"),
            slug=f"day-story-{key}",
            live=False,
            body=[("paragraph", RichText("<p>What the commission decided.</p>"))],
        )
        story.story_authors.add(StoryPageAuthor(author=self.author))
        story.tags.add(*TAGS[0])
        StoryIndexPage.objects.get(pk=self.index_pk).add_child(instance=story)
        revision = story.save_revision(user=self.reporter)
        self.stories.append(
            ExpectedStory(
                pk=story.pk,
                url=story.url,
                latest_revision=revision.pk,
                headlines={revision.pk: story.title},
            )
        )

    @rule(data=st.data(), who=st.sampled_from(["reporter", "editor"]))
    def someone_saves_a_draft(self, data, who):
        key = self.pick(data, self.story_keys(), "story")
        self.save_story_version(key, getattr(self, who))

    @rule(data=st.data())
    def editorial_review(self, data):
        """A reporter submits a story to Editorial review; an editor approves
        one, which publishes its latest revision, whoever saved it."""
        self.choose(
            data,
            {
                "reporter submits": (self.in_review(waiting=False), self.submit),
                "editor approves": (self.in_review(), self.approve),
            },
        )

    def submit(self, key):
        story = self.page(key)
        story.get_workflow().start(story, self.reporter)

    def approve(self, key):
        story = self.page(key)
        response = self.editor_client.post(
            workflow_action(story, "approve"), {"comment": ""}
        )
        assert response.status_code == 302, response.status_code
        self.expect_story_published(key, self.stories[key].latest_revision)

    @rule(data=st.data(), tags=st.sampled_from(TAGS))
    def editor_publishes_a_new_version(self, data, tags):
        key = self.pick(data, self.story_keys(), "story")
        revision = self.save_story_version(key, self.editor, tags=tags)
        revision.publish(user=self.editor)
        self.expect_story_published(key, revision.pk)

    @rule(data=st.data(), hours=st.sampled_from([-2, 1, 3]))
    def editor_schedules_a_version(self, data, hours):
        """A go-live time in the past publishes now; one ahead waits for the
        scheduler, in place of any the story had."""
        self.schedule_version(self.pick(data, self.story_keys(), "story"), hours)

    def schedule_version(self, key, hours):
        go_live_at = timezone.now() + datetime.timedelta(hours=hours)
        revision = self.save_story_version(key, self.editor, go_live_at=go_live_at)
        revision.publish(user=self.editor)
        self.expect_story_published(key, revision.pk)

    @precondition(lambda self: any(s.scheduled for s in self.stories))
    @rule(clock_moves=st.booleans())
    def scheduler_runs(self, clock_moves):
        """`publish_scheduled`, once the go-live times have passed or before."""
        if clock_moves:
            move_go_live_times_into_the_past()
        err = StringIO()
        call_command("publish_scheduled", stdout=StringIO(), stderr=err)
        assert err.getvalue() == ""
        if not clock_moves:
            return
        for key, story in enumerate(self.stories):
            if story.scheduled is not None:
                story.future.discard(story.scheduled)
                self.expect_story_published(key, story.scheduled)

    @rule(data=st.data())
    def editor_withdraws(self, data):
        """Through the admin's Withdraw action; a second withdrawal is refused."""
        key = self.pick(data, self.story_keys(published=True), "story")
        expected = self.stories[key]
        updates = Update.objects.filter(story_id=expected.pk)
        before = updates.count()
        response = self.editor_client.post(
            reverse("stories_withdraw", args=[expected.pk]),
            {"reason": WITHDRAWAL_REASON},
        )
        assert response.status_code == 302, response.status_code
        if expected.withdrawn:
            assert updates.count() == before
            return
        withdrawal = updates.get(kind=Update.Kind.WITHDRAWAL)
        expected.withdrawn = True
        self.updates.append(
            ExpectedUpdate(
                pk=withdrawal.pk,
                story=key,
                kind=Update.Kind.WITHDRAWAL,
                draft_text=WITHDRAWAL_REASON,
                wordings=[WITHDRAWAL_REASON],
                story_revision=expected.live_revision,
            )
        )
        self.freeze_published()

    @precondition(lambda self: any(e.published_text for e in self.entries["statement"]))
    @rule(data=st.data())
    def editor_quotes_a_statement_in_a_story(self, data):
        statements = self.entries["statement"]
        published = [i for i, s in enumerate(statements) if s.published_text]
        index = self.pick(data, published, "statement")
        self.quote_statement(index, self.pick(data, self.story_keys(), "story"))

    def quote_statement(self, index, key):
        story = self.page(key).get_latest_revision_as_object()
        body = [(block.block_type, block.value) for block in story.body]
        statement = Statement.objects.get(pk=self.entries["statement"][index].pk)
        revision = self.save_story_version(
            key, self.editor, body=[*body, ("statement", statement)]
        )
        revision.publish(user=self.editor)
        self.expect_story_published(key, revision.pk)
        self.quoted.add(index)

    # --- updates ----------------------------------------------------------------

    @rule(data=st.data())
    def editor_appends(self, data):
        """A draft update goes out with the story's next version, or on its own
        beside the version readers see now; a published one gets a new wording."""
        drafts = [i for i, u in enumerate(self.updates) if not u.published]
        published = [i for i, u in enumerate(self.updates) if u.published]
        self.choose(
            data,
            {
                f"draft {kind.label.lower()}": (
                    self.story_keys(published=True),
                    functools.partial(self.draft_update, kind),
                )
                for kind in APPENDED_KINDS
            }
            | {
                "publish a draft update on its own": (drafts, self.publish_update),
                "amend a published update": (published, self.amend_update),
            },
        )

    def draft_update(self, kind, key):
        text = self.word(f"A {kind} to story {key}")
        update = Update(story_id=self.stories[key].pk, kind=kind, text=text, live=False)
        update.full_clean()
        update.save()
        update.save_revision(user=self.editor)
        self.updates.append(
            ExpectedUpdate(pk=update.pk, story=key, kind=kind, draft_text=text)
        )

    def publish_update(self, index):
        expected = self.updates[index]
        Update.objects.get(pk=expected.pk).get_latest_revision().publish(
            user=self.editor
        )
        expected.wordings.append(expected.draft_text)
        expected.story_revision = self.stories[expected.story].live_revision
        self.freeze_published()

    def amend_update(self, index):
        expected = self.updates[index]
        update = Update.objects.get(pk=expected.pk)
        update.text = expected.draft_text = self.word(f"Amended {expected.kind}")
        update.save_revision(user=self.editor).publish(user=self.editor)
        expected.wordings.append(expected.draft_text)
        self.freeze_published()

    # --- statements and requests for comment --------------------------------------

    @precondition(
        lambda self: min(len(e) for e in self.entries.values()) < ENTRIES_A_DAY
    )
    @rule(data=st.data())
    def reporter_logs_a_statement_or_request(self, data):
        """A request for comment may be made before the story is out, after,
        or for no story."""
        sources = [0, 1]
        few = {
            kind: sources if len(entries) < ENTRIES_A_DAY else []
            for kind, entries in self.entries.items()
        }
        self.choose(
            data,
            {
                "a statement": (few["statement"], self.log_statement),
                "a request for no story": (
                    few["request"],
                    functools.partial(self.log_request, story_key=None),
                ),
                "a request for a story": (
                    few["request"],
                    functools.partial(self.log_request_for_a_story, data),
                ),
            },
        )

    @rule(data=st.data())
    def reporter_redrafts_a_statement_or_request(self, data):
        self.redraft_entry(self.pick(data, self.entry_keys(), "entry"))

    @precondition(lambda self: self.entry_keys(pending=True))
    @rule(data=st.data())
    def editor_publishes_a_statement_or_request(self, data):
        self.publish_entry(self.pick(data, self.entry_keys(pending=True), "entry"))

    def log_statement(self, source):
        text = self.word("We will answer every call")
        statement = Statement(
            source=self.sources[source],
            said_at=timezone.now() - datetime.timedelta(days=1),
            channel=StatementChannel.EMAILED_STATEMENT,
            quote=text,
            live=False,
        )
        statement.full_clean()
        statement.save()
        statement.save_revision(user=self.reporter)
        self.entries["statement"].append(
            ExpectedEntry(
                Statement, statement.pk, self.sources[source].get_absolute_url(), text
            )
        )

    def log_request_for_a_story(self, data, source):
        self.log_request(source, self.pick(data, self.story_keys(), "story"))

    def log_request(self, source, story_key):
        text = self.word("We called for comment")
        request = RequestForComment(
            source=self.sources[source],
            story=None if story_key is None else self.page(story_key),
            asked_at=timezone.now() - datetime.timedelta(hours=2),
            channel=RequestChannel.PHONE,
            outcome=Outcome.PENDING,
            public_summary=text,
            asked_by=self.reporter,
            live=False,
        )
        request.full_clean()
        request.save()
        request.save_revision(user=self.reporter)
        self.entries["request"].append(
            ExpectedEntry(
                RequestForComment,
                request.pk,
                self.sources[source].get_absolute_url(),
                text,
            )
        )

    def entry_keys(self, pending=False):
        return [
            (kind, index)
            for kind, entries in self.entries.items()
            for index, entry in enumerate(entries)
            if entry.pending or not pending
        ]

    def redraft_entry(self, entry_key):
        kind, index = entry_key
        expected = self.entries[kind][index]
        entry = expected.model.objects.get(pk=expected.pk)
        draft = entry.get_latest_revision_as_object()
        if kind == "statement" and index in self.quoted:
            # Words a published story quotes change only by a redaction.
            draft.quote = self.word("We said something else")
            with pytest.raises(ValidationError, match="Redact"):
                draft.save_revision(user=self.reporter)
            return
        if kind == "statement":
            draft.quote = expected.draft_text = self.word("We said something else")
        else:
            draft.public_summary = expected.draft_text = self.word("They declined")
            draft.outcome = Outcome.DECLINED
            draft.answered_at = timezone.now() - datetime.timedelta(hours=1)
        draft.save_revision(user=self.reporter)

    def publish_entry(self, entry_key):
        kind, index = entry_key
        expected = self.entries[kind][index]
        entry = expected.model.objects.get(pk=expected.pk)
        if kind == "statement" and index in self.quoted and expected.pending:
            # Drafted before a story quoted it: publishing it now would change
            # quoted words, which takes a redaction.
            with pytest.raises(RecordChangeRefused):
                entry.get_latest_revision().publish(user=self.editor)
            return
        entry.get_latest_revision().publish(user=self.editor)
        expected.published_text = expected.draft_text

    @precondition(lambda self: self.quoted)
    @rule(data=st.data())
    def editor_redacts_quoted_words(self, data):
        """The quoted words change in public: earlier versions show a marker,
        each standing story quoting them gets a version with an editor's note,
        and no one's draft goes out with it."""
        index = self.pick(data, sorted(self.quoted), "statement")
        expected = self.entries["statement"][index]
        statement = Statement.objects.get(pk=expected.pk)
        words = self.word("We said it in other words")
        target = redaction.Target(statement_id=statement.pk, description="a quote")

        def apply():
            statement.quote = words
            statement.save_revision(user=self.editor).publish(user=self.editor)

        outcome = redaction.redact(target, REDACTION_REASON, self.editor, apply)
        expected.published_text = expected.draft_text = words
        for story, note in zip(outcome.stories, outcome.notes, strict=True):
            self.expect_redacted_version(story, note)

    def expect_redacted_version(self, story, note):
        key = next(k for k, s in enumerate(self.stories) if s.pk == story.pk)
        expected = self.stories[key]
        story.refresh_from_db()
        expected.headlines[story.live_revision_id] = story.live_revision.content[
            "title"
        ]
        expected.versions.append(story.live_revision_id)
        expected.live_revision = story.live_revision_id
        # Publishing cancels a go-live time waiting, as any publish does.
        expected.scheduled = None
        if story.latest_revision_id != story.live_revision_id:
            draft = story.latest_revision.as_object()
            expected.headlines[story.latest_revision_id] = draft.title
            if draft.go_live_at and draft.go_live_at > timezone.now():
                expected.future.add(story.latest_revision_id)
        expected.latest_revision = story.latest_revision_id
        self.updates.append(
            ExpectedUpdate(
                pk=note.pk,
                story=key,
                kind=note.kind,
                draft_text=note.text,
                wordings=[note.text],
                story_revision=story.live_revision_id,
            )
        )
        self.freeze_published()

    # --- what must be refused -------------------------------------------------------

    @rule(data=st.data())
    def someone_tries_to_rewrite_the_record(self, data):
        """Each attempt is refused, or saved as a new draft; the checks then
        find the record as it was."""
        published = self.story_keys(published=True)
        updates = [i for i, u in enumerate(self.updates) if u.published]
        # The live revision, latest and by its own author: the one overwrite
        # Wagtail itself allows.
        overwritable = [
            k for k in published if self.stories[k].latest_revision in self.frozen
        ]
        self.choose(
            data,
            {
                "unpublish a story in code": (published, self.unpublish_in_code),
                "unpublish a story in the admin": (published, self.unpublish_in_admin),
                "overwrite the published story version": (
                    overwritable,
                    self.overwrite_story_version,
                ),
                "overwrite a published update": (updates, self.overwrite_update),
                "delete a published update": (updates, self.delete_update),
                "delete a published update with a queryset": (
                    updates,
                    self.delete_update_with_a_queryset,
                ),
                "delete a quoted statement in code": (
                    sorted(self.quoted),
                    self.delete_statement,
                ),
                "delete a quoted statement in the admin": (
                    sorted(self.quoted),
                    self.delete_statement_in_admin,
                ),
            },
        )

    def unpublish_in_code(self, key):
        with pytest.raises(StoryUnpublishError):
            self.page(key).unpublish()
        assert self.page(key).live

    def unpublish_in_admin(self, key):
        url = reverse("wagtailadmin_pages:unpublish", args=[self.stories[key].pk])
        self.editor_client.post(url)
        assert self.page(key).live

    def overwrite_story_version(self, key):
        expected = self.stories[key]
        published = Revision.objects.get(pk=expected.latest_revision)
        story = self.page(key).get_latest_revision_as_object()
        story.title = self.word(f"Story {key} rewritten headline")
        revision = story.save_revision(
            user=published.user, overwrite_revision=published
        )
        assert revision.pk != published.pk
        expected.latest_revision = revision.pk
        expected.headlines[revision.pk] = story.title

    def overwrite_update(self, index):
        update = Update.objects.get(pk=self.updates[index].pk)
        live = update.live_revision
        update.text = self.word("Quietly rewritten wording")
        revision = update.save_revision(user=live.user, overwrite_revision=live)
        assert revision.pk != live.pk
        self.updates[index].refused.append(update.text)

    def delete_update(self, index):
        pk = self.updates[index].pk
        with pytest.raises(PublishedUpdateError):
            Update.objects.get(pk=pk).delete()
        assert Update.objects.filter(pk=pk).exists()

    def delete_update_with_a_queryset(self, index):
        pk = self.updates[index].pk
        with pytest.raises(PublishedUpdateError):
            Update.objects.filter(pk=pk).delete()
        assert Update.objects.filter(pk=pk).exists()

    def delete_statement(self, index):
        pk = self.entries["statement"][index].pk
        with pytest.raises(ProtectedError):
            Statement.objects.get(pk=pk).delete()
        assert Statement.objects.filter(pk=pk).exists()

    def delete_statement_in_admin(self, index):
        pk = self.entries["statement"][index].pk
        url = reverse("wagtailsnippets_sources_statement:delete", args=[pk])
        self.editor_client.post(url)
        assert Statement.objects.filter(pk=pk).exists()

    # --- after every step -------------------------------------------------------

    @invariant()
    def the_public_record_holds(self):
        reader = Reader(self.reader)
        for each in CHECKS:
            each(self, reader)


def stories_in_review():
    return {
        int(pk)
        for pk in WorkflowState.objects.filter(
            base_content_type__model="page", status=WorkflowState.STATUS_IN_PROGRESS
        ).values_list("object_id", flat=True)
    }


def move_go_live_times_into_the_past():
    """The clock passes every go-live time, moved in the scheduled revisions
    themselves (what the scheduler reads), so nothing waits for the clock."""
    past = timezone.now() - datetime.timedelta(minutes=1)
    for revision in Revision.objects.filter(approved_go_live_at__isnull=False):
        Revision.objects.filter(pk=revision.pk).update(
            content={**revision.content, "go_live_at": past.isoformat()},
            approved_go_live_at=past,
        )


def frozen(revision):
    """A revision's content, byte for byte as JSON, and its creation time."""
    return json.dumps(revision.content, sort_keys=True), revision.created_at


# --- Reading the site as a reader -------------------------------------------------


class Reader:
    """An anonymous reader's GETs, each address once per check."""

    def __init__(self, client):
        self.client = client
        self.responses = {}

    def get(self, url):
        if url not in self.responses:
            self.responses[url] = self.client.get(url)
        return self.responses[url]

    def text(self, url):
        return self.get(url).content.decode()


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag in {"a", "link"} and href:
            self.hrefs.append(href)


def links_on(url, html):
    """The addresses on this site that the page at `url` links to."""
    parser = _Hrefs()
    parser.feed(html)
    links = set()
    for href in parser.hrefs:
        parts = urlsplit(urljoin(url, href))
        if parts.scheme not in {"", "http", "https"} or parts.netloc not in SITE_HOSTS:
            continue
        if parts.path.startswith(NOT_CRAWLED):
            continue
        links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


# --- Checks, run after every step ---------------------------------------------------

CHECKS = []


def check(function):
    """Run `function(day, reader)` after every step of every day."""
    CHECKS.append(function)
    return function


@check
def every_publish_is_in_the_history(day, reader):
    """published_versions() holds each published version once, in order, with
    the updates that went out with it and every wording each was published with."""
    for key, expected in enumerate(day.stories):
        versions = published_versions(StoryPage.objects.get(pk=expected.pk))
        assert [v.revision_id for v in versions] == expected.versions, key
        shown = {
            v.revision_id: {u.pk: [w.text for w in u.wordings] for u in v.updates}
            for v in versions
        }
        meant = {revision: {} for revision in expected.versions}
        for update in day.updates:
            if update.story == key and update.published:
                meant[update.story_revision][update.pk] = update.wordings
        assert shown == meant, key


@check
def the_log_verifies(day, reader):
    """The hash chain is unbroken and every snapshot hashes to its latest entry."""
    assert record.verify() is None


@check
def every_version_and_wording_is_logged(day, reader):
    for expected in day.stories:
        logged = RecordEntry.objects.filter(
            kind="story_version", snapshot__story_id=expected.pk
        )
        assert logged.count() == len(expected.versions), expected.url
    for update in day.updates:
        logged = RecordEntry.objects.filter(
            snapshot__kind="update", snapshot__object_id=str(update.pk)
        ).exclude(kind="redaction")
        assert logged.count() == len(update.wordings), update


@check
def snapshots_change_only_through_a_redaction(day, reader):
    """A snapshot keeps its bytes, unless a redaction entry names its new hash."""
    for pk, digest in Snapshot.objects.values_list("pk", "content_sha256"):
        seen = day.snapshot_hashes.setdefault(pk, digest)
        if seen != digest:
            assert RecordEntry.objects.filter(
                snapshot_id=pk, kind="redaction", content_sha256=digest
            ).exists(), pk
            day.snapshot_hashes[pk] = digest


@check
def the_live_page_shows_the_latest_snapshot(day, reader):
    for expected in day.stories:
        if expected.published and not expected.withdrawn:
            latest = Snapshot.objects.filter(
                story_id=expected.pk, kind="story_version"
            ).latest("number")
            assert latest.data["headline"] in reader.text(expected.url)


@check
def only_what_was_scheduled_waits_for_the_scheduler(day, reader):
    waiting = Revision.objects.filter(approved_go_live_at__isnull=False)
    assert set(waiting.values_list("pk", flat=True)) == {
        story.scheduled for story in day.stories if story.scheduled
    }


@check
def published_revisions_never_change(day, reader):
    now = {r.pk: frozen(r) for r in Revision.objects.filter(pk__in=day.frozen)}
    assert now == day.frozen


@check
def story_pages_answer_as_readers_expect(day, reader):
    """200 with the latest published headline, 410 once withdrawn, 404 before
    the first publish; the history is public from the first publish on."""
    for expected in day.stories:
        story = reader.get(expected.url)
        history = reader.get(expected.url + "history/")
        if not expected.published:
            assert story.status_code == 404, expected.url
            assert history.status_code == 404, expected.url
            continue
        assert story.status_code == (410 if expected.withdrawn else 200), expected.url
        assert expected.live_headline in story.content.decode(), expected.url
        assert history.status_code == 200, expected.url


@check
def nothing_public_links_to_a_missing_page(day, reader):
    """Every address on the site that the home page, the story list, the
    corrections log, a story or its history links to answers, not with a 404."""
    pages = [*SITE_PAGES]
    for expected in day.stories:
        if expected.published:
            pages += [expected.url, expected.url + "history/"]
    linked = set()
    for url in pages:
        response = reader.get(url)
        assert response.status_code in {200, 410}, (url, response.status_code)
        linked |= links_on(url, response.content.decode())
    for url in sorted(linked - day.answered_diffs):
        status = reader.get(url).status_code
        assert status != 404 and status < 500, (url, status)
        if DIFF.search(url):
            day.answered_diffs.add(url)


@check
def drafts_stay_off_the_source_page(day, reader):
    """A statement or request for comment reads as last published there; a
    draft change is not shown until an editor publishes it."""
    for entry in [*day.entries["statement"], *day.entries["request"]]:
        page = reader.text(entry.source_url)
        if entry.published_text:
            assert entry.published_text in page, entry
        if entry.pending:
            assert entry.draft_text not in page, entry


@check
def no_draft_reaches_a_reader(day, reader):
    """No words that were never published (a story's unpublished headline, a
    draft update or a refused rewording, a draft statement or request) are on
    any page or feed read in this check."""
    unpublished = [
        headline
        for story in day.stories
        for revision, headline in story.headlines.items()
        if revision not in story.versions
    ]
    for update in day.updates:
        unpublished += update.refused
        if not update.published:
            unpublished.append(update.draft_text)
    for entry in [*day.entries["statement"], *day.entries["request"]]:
        if entry.pending:
            unpublished.append(entry.draft_text)
    for url, response in reader.responses.items():
        text = response.content.decode()
        for words in unpublished:
            assert words not in text, (url, words)


# --- The test -----------------------------------------------------------------------


@pytest.fixture
def newsroom(home_page, story_index, reporter, editor):
    # The masthead links to /trackers/ on every page, as on every real site.
    ensure_tracker_index(home_page)
    return Newsroom(index_pk=story_index.pk, reporter=reporter, editor=editor)


def test_random_newsroom_days_keep_the_public_record(newsroom):
    run_state_machine_as_test(lambda: NewsroomDay(newsroom), settings=DAYS)
