"""What readers send the newsroom, and what it sends them.

- A **correction request** is a reader's report that something we published is
  wrong. Editors work it in an inbox (new → investigating → corrected /
  declined / duplicate) and resolve it with the published correction or a
  reason; reporters see it and add notes. Its text, and the reader's name and
  address, are never public: only counts are (the corrections policy page).
- A **follow** is an address's wish to hear about changes to one story or one
  tracker, confirmed once from a mailed link (double opt-in).
- A **followed change** is something published on a followed page, waiting to
  go out to its followers; changes close together go out as one mail.
- **Mail preferences** are an editor's opt-outs from the digests.
- The **corrections policy** is the text editors keep above the live figures.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.search import index

from stories.models import StoryPage, Update

REPORT_TEXT_MAX = 4000
# stories.models.Update.Kind values that can resolve a reader's report.
RESOLVING_KINDS = ("correction", "clarification", "update")


class CorrectionRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=CorrectionRequest.OPEN)

    def resolved(self):
        return self.exclude(status__in=CorrectionRequest.OPEN)


class CorrectionRequest(index.Indexed, ClusterableModel):
    """A reader's report of an error in a story or a tracker."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        INVESTIGATING = "investigating", "Investigating"
        CORRECTED = "corrected", "Corrected"
        DECLINED = "declined", "Declined"
        DUPLICATE = "duplicate", "Duplicate"

    OPEN = (Status.NEW, Status.INVESTIGATING)

    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        # A report outlives the page it was about; its address is kept below.
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The story or tracker the reader was reading.",
    )
    page_url = models.CharField(
        max_length=500, blank=True, editable=False, help_text="Where it was sent from."
    )
    what_is_wrong = models.TextField(
        "what is wrong", validators=[MaxLengthValidator(REPORT_TEXT_MAX)]
    )
    where = models.CharField(
        max_length=500,
        blank=True,
        help_text="The sentence, figure or date the reader points to.",
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    wants_outcome = models.BooleanField(
        "tell them the outcome",
        default=False,
        help_text="The reader asked to be told how this was resolved.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    correction = models.ForeignKey(
        "stories.Update",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction_requests",
        help_text="The published correction, clarification or update that resolved it.",
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    reason = models.TextField(
        blank=True,
        help_text="Sent to the reader when the report is declined: why no correction.",
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CorrectionRequestQuerySet.as_manager()

    search_fields = [
        index.SearchField("what_is_wrong"),
        index.SearchField("where"),
        index.AutocompleteField("what_is_wrong"),
        index.FilterField("status"),
        index.FilterField("received_at"),
    ]

    class Meta:
        ordering = ["-received_at", "-pk"]
        permissions = [("decide_correctionrequest", "Can decide correction requests")]

    def __str__(self):
        text = " ".join(self.what_is_wrong.split())
        return text if len(text) <= 80 else f"{text[:79]}…"

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def is_resolved(self):
        return not self.is_open

    @property
    def outcome_is_due(self):
        """Resolved, asked for by a reader with an address, and not yet sent."""
        return (
            self.is_resolved
            and self.wants_outcome
            and bool(self.email)
            and self.outcome_sent_at is None
        )

    def correction_choices(self):
        """The updates that may resolve this report: the published corrections,
        clarifications and updates of its story (of the stories on its tracker,
        for a report on a tracker)."""
        updates = Update.objects.published().filter(kind__in=RESOLVING_KINDS)
        if self.page_id is None:
            return updates.none()
        stories = StoryPage.objects.filter(pk=self.page_id)
        if not stories.exists():
            stories = StoryPage.objects.filter(trackers__pk=self.page_id)
        return updates.filter(story__in=stories).select_related("story")

    def duplicate_choices(self):
        """Other reports about the same page, which this one may repeat."""
        reports = type(self).objects.exclude(pk=self.pk)
        if self.page_id is not None:
            reports = reports.filter(page_id=self.page_id)
        return reports.order_by("received_at", "pk")

    def clean(self):
        """What each decision needs: a correction, a reason or the earlier report."""
        super().clean()
        errors = {}
        if self.status == self.Status.CORRECTED:
            errors.update(self._clean_correction())
        if self.status == self.Status.DECLINED and not self.reason.strip():
            errors["reason"] = (
                "Say why the report is declined: the reader is sent this reason."
            )
        if self.status == self.Status.DUPLICATE:
            if self.duplicate_of_id is None:
                errors["duplicate_of"] = "Choose the earlier report this one repeats."
            elif self.duplicate_of_id == self.pk:
                errors["duplicate_of"] = "A report cannot duplicate itself."
        if errors:
            raise ValidationError(errors)

    def _clean_correction(self):
        if self.correction_id is None:
            # A tracker is corrected in its events and figures, which have no
            # update to point to; a story is corrected with a published one.
            if self._is_about_a_story():
                return {
                    "correction": "Choose the published correction, clarification "
                    "or update of this story that resolved the report."
                }
            return {}
        if not self.correction_choices().filter(pk=self.correction_id).exists():
            return {
                "correction": "Choose a published correction, clarification or "
                "update of the story this report is about."
            }
        return {}

    def _is_about_a_story(self):
        return StoryPage.objects.filter(pk=self.page_id).exists()

    def save(self, *args, **kwargs):
        # When it was resolved: set on resolving, cleared on reopening, so the
        # policy page's days-to-resolution counts the last decision.
        if self.is_open:
            self.resolved_at = None
        elif self.resolved_at is None:
            self.resolved_at = timezone.now()
        return super().save(*args, **kwargs)


class CorrectionRequestNote(models.Model):
    """A staff note on a report: what a reporter or editor found out."""

    request = ParentalKey(
        CorrectionRequest, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(validators=[MaxLengthValidator(REPORT_TEXT_MAX)])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldRowPanel(
            [
                FieldPanel("author", read_only=True),
                FieldPanel("created_at", read_only=True, heading="Added"),
            ]
        ),
        FieldPanel("text"),
    ]

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"note by {self.author} on {self.created_at:%Y-%m-%d}"


class Subscriber(models.Model):
    """An address that follows at least one story or tracker; no account."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.email


class FollowQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_expired(self, now=None):
        now = now or timezone.now()
        cutoff = now - timezone.timedelta(days=settings.FOLLOW_CONFIRM_DAYS)
        return self.filter(confirmed_at__isnull=True, created_at__lt=cutoff)


class Follow(models.Model):
    """One address following one story or tracker."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="follows"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "page"], name="one_follow_per_page"
            )
        ]
        indexes = [models.Index(fields=["page", "confirmed_at", "id"])]

    def __str__(self):
        return f"{self.subscriber} → {self.page_id}"


class FollowedChange(models.Model):
    """Something published on a followed page, waiting to be mailed."""

    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        EDITORS_NOTE = "editors_note", "Editor's note"
        WITHDRAWAL = "withdrawal", "Withdrawal"
        EVENT = "event", "New event"
        STORY = "story", "New story"
        FIGURE = "figure", "New figure"

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What changed, by kind: an update's, event's, story's or figure's id.
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["page", "sent_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "kind", "object_id"], name="one_change_per_object"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id} on page {self.page_id}"


EDITORS = "Editors"


def editors_wanting(preference):
    """Active editors with an address who have not turned `preference` off
    (a MailPreferences field; no row means every mail is wanted)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=EDITORS)
        .exclude(email="")
        .exclude(**{f"newsroom_mail__{preference}": False})
        .distinct()
        .order_by("pk")
    )


class MailPreferences(models.Model):
    """A staff member's choice of newsroom mail (their account settings)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="newsroom_mail",
    )
    new_reports = models.BooleanField("a mail for each new reader report", default=True)
    daily_digest = models.BooleanField(
        "the daily digest of open reports and overdue requests for comment",
        default=True,
    )

    def __str__(self):
        return f"mail preferences of {self.user}"


@register_setting(icon="doc-full")
class CorrectionsPolicy(BaseSiteSetting):
    """The words of /corrections/policy/, above the live figures."""

    introduction = RichTextField(
        blank=True,
        help_text="How the newsroom corrects its work, in its own words.",
    )
    retention = RichTextField(
        blank=True,
        help_text="What is kept of readers' reports and follows, and for how long.",
    )

    panels = [FieldPanel("introduction"), FieldPanel("retention")]

    class Meta:
        verbose_name = "corrections policy"


# CorrectionRequest's panels are the inbox's (participation.inbox), with the
# form that lets only editors decide.
