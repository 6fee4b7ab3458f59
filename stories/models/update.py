"""Updates: what an editor appends to a published story, and never takes back.

An update is a model of its own rather than an inline on the story page, so that
two editors appending to the same story write two rows instead of one editor's
page save overwriting the other's (see
docs/decisions/0001-updates-are-a-model-of-their-own.md). It keeps Wagtail
revisions and draft state: a draft update goes live together with the story's
next published version, and a change of wording is a new published revision,
shown to readers as an amendment. Once published, an update is append-only.
"""

import contextvars
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, Page, RevisionMixin
from wagtail.search import index

from core import visibility
from core.page_cache import UPDATES
from core.revisions import FrozenPublishedRevisionsMixin
from stories.forms import UpdateForm
from stories.models.record import record_update_wording

# Fields that say what an update is and where it belongs; they never change once
# the update is published. The wording (`text`) changes only by publishing a new
# revision, which keeps the earlier wording in the record.
FIXED_ONCE_PUBLISHED = {"story", "story_id", "kind", "first_published_at"}
WORDING = {"text"}


class PublishedUpdateError(Exception):
    """Raised when something tries to delete or silently rewrite a published update."""


class UpdateQuerySet(visibility.VisibleQuerySetMixin, models.QuerySet):
    def published(self):
        return self.filter(live=True, first_published_at__isnull=False)

    def for_story(self, story):
        """A story's published updates (withdrawal included), newest first."""
        return (
            self.published().filter(story=story).order_by("-first_published_at", "-pk")
        )

    def for_log(self):
        """Every update readers may see, site-wide, with its story: the
        corrections log and its feeds."""
        return (
            self.visible_to_readers()
            .select_related("story")
            .order_by("-first_published_at", "-pk")
        )

    def delete(self):
        if self.filter(first_published_at__isnull=False).exists():
            raise PublishedUpdateError(
                "Published updates are part of the public record and cannot be "
                "deleted. Publish a further update or correction instead."
            )
        return super().delete()

    def update(self, **kwargs):
        if (FIXED_ONCE_PUBLISHED | WORDING) & kwargs.keys() and self.filter(
            first_published_at__isnull=False
        ).exists():
            raise PublishedUpdateError(
                "Published updates cannot be edited in place. Publish a new "
                "version of the update instead; readers see it as an amendment."
            )
        return super().update(**kwargs)


class Update(
    visibility.VisibleMixin,
    FrozenPublishedRevisionsMixin,
    DraftStateMixin,
    RevisionMixin,
    index.Indexed,
    models.Model,
):
    """An update, correction, clarification, editor's note or withdrawal notice."""

    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        EDITORS_NOTE = "editors_note", "Editor's note"
        WITHDRAWAL = "withdrawal", "Withdrawal"

    story = models.ForeignKey(
        "stories.StoryPage",
        related_name="updates",
        # A story with published updates has a public record; deleting it is
        # refused (see wagtail_hooks) rather than taking the updates with it.
        on_delete=models.PROTECT,
        help_text="The published story this is appended to.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.UPDATE,
        help_text=(
            "A withdrawal takes the story down: its address then shows this "
            "text as the public reason."
        ),
    )
    text = models.TextField(help_text="What readers see, in full sentences.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Feeds name an update by this, so a reader's feed client sees an amendment
    # as the same item changed, not a new one; the primary key would leak the
    # number of drafts and differ between copies of the database.
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    story_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The published version of the story this update went out with.",
    )

    objects = UpdateQuerySet.as_manager()

    base_form_class = UpdateForm

    panels = [
        FieldPanel("story"),
        FieldPanel("kind"),
        FieldPanel("text"),
        # No PublishingPanel: an update goes out with its story, or on its own
        # now; a go-live or expiry date has no meaning for it.
    ]
    # For the admin's listing and chooser only (readers find updates on their
    # story and in the corrections log): an update by its text and its story.
    search_fields = [
        index.SearchField("text"),
        index.AutocompleteField("text"),
        index.RelatedFields("story", [index.AutocompleteField("title")]),
        # The admin listing's filters and sortable columns.
        index.FilterField("kind"),
        index.FilterField("live"),
        index.FilterField("first_published_at"),
    ]

    class Meta:
        ordering = ["-first_published_at", "-pk"]
        indexes = [
            models.Index(fields=["story", "first_published_at"]),
            # The corrections log: every published update, newest first.
            models.Index(fields=["first_published_at", "id"]),
        ]
        permissions = [("publish_update", "Can publish update")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.story.title}"

    def save(self, *args, update_fields=None, **kwargs):
        guarded = FIXED_ONCE_PUBLISHED | WORDING | {"live"}
        if self.pk and (update_fields is None or guarded & set(update_fields)):
            self._refuse_in_place_edit()
        return super().save(*args, update_fields=update_fields, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise PublishedUpdateError(
                "Published updates are part of the public record and cannot be "
                "deleted. Publish a further update or correction instead."
            )
        return super().delete(*args, **kwargs)

    @property
    def is_published(self):
        return self.first_published_at is not None

    @property
    def was_amended(self):
        return bool(
            self.last_published_at
            and self.first_published_at
            and self.last_published_at > self.first_published_at
        )

    def clean(self):
        super().clean()
        if self.story_id and not self.story.first_published_at:
            raise ValidationError(
                {"story": "Updates are appended to published stories only."}
            )

    def with_content_json(self, content):
        """Revisions carry the wording; publisher, time and GUID stay fixed."""
        obj = super().with_content_json(content)
        obj.published_by_id = self.published_by_id
        obj.story_revision_id = self.story_revision_id
        # Revisions saved before the field existed would get a fresh default.
        obj.guid = self.guid
        if self.is_published:
            obj.story_id = self.story_id
            obj.kind = self.kind
        return obj

    def _refuse_in_place_edit(self):
        stored = type(self).objects.filter(pk=self.pk).first()
        if stored is None or not stored.is_published:
            return
        if stored.live and not self.live:
            raise PublishedUpdateError(
                "Published updates cannot be unpublished; they stay on the record."
            )
        if (
            stored.story_id != self.story_id
            or stored.kind != self.kind
            or stored.first_published_at != self.first_published_at
        ):
            raise PublishedUpdateError(
                "The story, kind and publication time of a published update "
                "cannot change."
            )
        if stored.text != self.text and stored.live_revision_id == (
            self.live_revision_id
        ):
            raise PublishedUpdateError(
                "Published updates cannot be edited in place. Publish a new "
                "version of the update instead; readers see it as an amendment."
            )

    @transaction.atomic
    def publish(self, revision, user=None, **kwargs):
        """Publish this wording; the first time, bind it to the story's live version.

        The story's live revision is read inside the same transaction, so an
        update published by the story's own publish (see StoryPage.publish) is
        bound to the version it went out with.
        """
        result = super().publish(revision, user=user, **kwargs)
        live_revision_id = (
            Page.objects.filter(pk=self.story_id)
            .values_list("live_revision_id", flat=True)
            .get()
        )
        type(self).objects.filter(pk=self.pk, story_revision__isnull=True).update(
            story_revision_id=live_revision_id, published_by=user
        )
        record_update_wording(revision.as_object(), revision)
        return result

    def cache_tags(self, change):
        """The story's pages and its trackers' timelines (core.page_cache); a
        withdrawal takes the story off every list that links to it."""
        story = self.story
        tags = {UPDATES, f"story:{self.story_id}", *story.tracker_tags("timeline")}
        if self.kind == self.Kind.WITHDRAWAL:
            tags |= story.listed_in()
        return tags


def credit_publisher(revision, user):
    """Record `user` as publisher of the updates that went out with `revision`.

    Wagtail's publish signal does not say who published, so the updates it
    published are credited by the caller that knows (StoryPage.publish, or the
    admin's after_publish_page hook).
    """
    if user is None:
        return
    Update.objects.filter(story_revision=revision, published_by__isnull=True).update(
        published_by=user
    )


_publishing_only = contextvars.ContextVar("publishing_only", default=None)


@contextmanager
def publishing_only(updates):
    """Inside this, a story's publish takes only these of its draft updates."""
    token = _publishing_only.set([update.pk for update in updates])
    try:
        yield
    finally:
        _publishing_only.reset(token)


def publish_pending_updates(story, user=None):
    """Publish every draft update of `story` with its just-published version.

    Runs inside the story's publish (from the page_published signal), in its
    transaction when the caller has one; the rows are locked so a second
    publish at the same moment cannot publish the same draft twice.
    """
    pending = (
        Update.objects.select_for_update()
        .filter(story=story, first_published_at__isnull=True)
        .exclude(latest_revision__isnull=True)
        .select_related("latest_revision")
        .order_by("pk")
    )
    only = _publishing_only.get()
    if only is not None:
        pending = pending.filter(pk__in=only)
    for update in pending:
        update.publish(update.latest_revision, user=user)
