"""Sources, what they said (statements) and what we asked them (requests for comment).

Private fields — a person's own phone and email, internal notes and whether a
source is confidential — are for newsroom staff only. Reader-facing querysets
(`visible_to_readers()`, whose rules are in core.visibility) and templates
never select or show them, and a confidential source is left out of the public
site altogether, as is a source no editor has published yet.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    PublishingPanel,
)
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from core import visibility
from core.page_cache import STATEMENTS
from core.revisions import FrozenPublishedRevisionsMixin
from sources.panels import LogRequestForCommentPanel, RedactPanel
from stories.models import Snapshot, redaction

# Said when an edit would change words published stories showed.
REDACT_INSTEAD = (
    "Published stories quote or cite this, so this change would rewrite what "
    "readers were shown. Use “Redact” instead: it says publicly what was "
    "removed and why."
)


class RecordChangeRefused(Exception):
    """An edit that would silently change what published stories showed."""


def on_the_record(obj, kind):
    """Whether any published story version or snapshot names `obj`."""
    if obj.pk is None:
        return False
    return (
        obj.citations.exists()
        or Snapshot.objects.filter(document__contains=f'"{kind}":{obj.pk},').exists()
    )


PRIVATE_HEADING = "Staff only — never shown to readers"


class SourceKind(models.TextChoices):
    PERSON = "person", "Person"
    OFFICE = "office", "Office"
    ORGANISATION = "organisation", "Organisation"
    DOCUMENT = "document", "Document or data set"


class SourceQuerySet(visibility.VisibleQuerySetMixin, models.QuerySet):
    # A row holds what was last published; drafts wait in revisions.
    def for_listing(self):
        return self.visible_to_readers().select_related("organisation").order_by("name")


class Source(
    visibility.VisibleMixin,
    FrozenPublishedRevisionsMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    ClusterableModel,
):
    """A person, office, organisation or document the newsroom quotes or asks.

    Readers see a source as an editor published it: a reporter's new source,
    or change to a published one, is a draft until then.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    role = models.CharField(
        max_length=200, blank=True, help_text="Title or role, e.g. Spokesperson."
    )
    organisation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The office or organisation this source belongs to.",
    )
    description = models.TextField(blank=True, help_text="Shown to readers.")
    public_phone = models.CharField(
        max_length=40, blank=True, help_text="A published number, e.g. an office's."
    )
    public_email = models.EmailField(blank=True)
    public_url = models.URLField(blank=True, verbose_name="public web address")

    personal_phone = models.CharField(max_length=40, blank=True)
    personal_email = models.EmailField(blank=True)
    internal_notes = models.TextField(blank=True)
    is_confidential = models.BooleanField(
        default=False,
        verbose_name="confidential source",
        help_text="A confidential source never appears on the public site.",
    )

    objects = SourceQuerySet.as_manager()

    panels = [
        LogRequestForCommentPanel(),
        RedactPanel(),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("role")]),
        FieldPanel("organisation"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("public_phone"),
                FieldPanel("public_email"),
                FieldPanel("public_url"),
            ],
            heading="Public contact channels",
        ),
        MultiFieldPanel(
            [
                FieldPanel("personal_phone"),
                FieldPanel("personal_email"),
                FieldPanel("internal_notes"),
                FieldPanel("is_confidential"),
            ],
            heading=PRIVATE_HEADING,
        ),
    ]
    # Private fields are deliberately not indexed: a search could otherwise
    # reveal them by matching on them. The autocomplete fields are what the
    # admin's listing and chooser search (reader searches use whole words, in
    # the search fields): a source by name, role and office.
    search_fields = [
        # A source named in the query outranks one that only mentions it.
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("role"),
        index.AutocompleteField("role"),
        index.SearchField("description"),
        # Site search: the office a person speaks for, and what came of the
        # requests for comment made to the source (newsroom/search_index.py
        # re-indexes the source when one is published).
        index.SearchField("search_office"),
        index.SearchField("search_requests"),
        index.RelatedFields("organisation", [index.AutocompleteField("name")]),
        # Filters, and the admin listing's sortable columns.
        index.FilterField("name"),
        index.FilterField("role"),
        index.FilterField("kind"),
        index.FilterField("is_confidential"),
        index.FilterField("live"),
        index.FilterField("organisation_id"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("source", args=[self.slug])

    def search_office(self):
        office = self.organisation
        return office.name if office and office.visible_to_readers else ""

    def search_requests(self):
        return self.requests_for_comment.search_text()

    def clean(self):
        super().clean()
        if self.organisation_id and self.organisation_id == self.pk:
            raise ValidationError({"organisation": "A source cannot belong to itself."})
        if self.record_errors():
            raise ValidationError(self.record_errors())

    def save(self, *args, **kwargs):
        if self.record_errors():
            raise RecordChangeRefused(REDACT_INSTEAD)
        return super().save(*args, **kwargs)

    def record_errors(self):
        """Making a source named on the record confidential takes a redaction."""
        if not self.is_confidential or not self.pk or redaction.in_progress():
            return {}
        stored = type(self).objects.filter(pk=self.pk, is_confidential=False)
        if stored.exists() and on_the_record(self, "source"):
            return {"is_confidential": REDACT_INSTEAD}
        return {}


class StatementChannel(models.TextChoices):
    EMAILED_STATEMENT = "emailed_statement", "Emailed statement"
    PHONE_CALL = "phone_call", "Phone call"
    IN_PERSON = "in_person", "In person"
    PRESS_RELEASE = "press_release", "Press release"
    PRESS_CONFERENCE = "press_conference", "Press conference"
    PUBLIC_MEETING = "public_meeting", "Public meeting"
    SOCIAL_MEDIA = "social_media", "Social media post"
    COURT_FILING = "court_filing", "Court filing"
    DOCUMENT = "document", "Document"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    TIME = "time", "Date and time"


class ReversalKind(models.TextChoices):
    CONTRADICTS = "contradicts", "Contradicts"
    REVERSES = "reverses", "Reverses"


class StatementQuerySet(visibility.VisibleQuerySetMixin, models.QuerySet):
    def for_display(self):
        """What a statement's public display needs, including its reversal pair."""
        return (
            self.visible_to_readers()
            .select_related("source", "earlier_statement__source")
            .prefetch_related(
                Prefetch(
                    "later_statements",
                    queryset=Statement.objects.visible_to_readers().order_by("said_at"),
                )
            )
            .order_by("-said_at", "-pk")
        )


class Statement(
    visibility.VisibleMixin,
    FrozenPublishedRevisionsMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    ClusterableModel,
):
    """What a source said or published, when and through which channel."""

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="statements"
    )
    said_at = models.DateTimeField(verbose_name="said or published at")
    precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.TIME,
        help_text="Choose “Day” when only the date is known.",
    )
    channel = models.CharField(max_length=30, choices=StatementChannel.choices)
    quote = models.TextField(blank=True, help_text="The words, exactly as said.")
    summary = models.TextField(blank=True, help_text="Our summary, in our words.")
    original_url = models.URLField(blank=True, verbose_name="link to the original")
    on_the_record = models.BooleanField(default=True)
    earlier_statement = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="later_statements",
        help_text="An earlier statement of the same source that this one "
        "contradicts or reverses.",
    )
    reversal_kind = models.CharField(
        max_length=20, choices=ReversalKind.choices, blank=True
    )
    tracker = models.ForeignKey(
        "trackers.TrackerPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        help_text="The tracker whose timeline shows this statement, if any.",
    )

    objects = StatementQuerySet.as_manager()

    panels = [
        FieldPanel("source"),
        FieldRowPanel([FieldPanel("said_at"), FieldPanel("precision")]),
        FieldPanel("channel"),
        FieldPanel("quote"),
        FieldPanel("summary"),
        FieldPanel("original_url"),
        FieldPanel("on_the_record"),
        MultiFieldPanel(
            [FieldPanel("earlier_statement"), FieldPanel("reversal_kind")],
            heading="Reversal",
        ),
        FieldPanel("tracker"),
        RedactPanel(),
        PublishingPanel(),
    ]
    # The autocomplete fields are what the admin's listing and chooser search:
    # a statement by its speaker's name, its quote and its summary.
    search_fields = [
        index.SearchField("quote"),
        index.SearchField("summary"),
        index.AutocompleteField("quote"),
        index.AutocompleteField("summary"),
        # The filters of core.visibility.statement(), so site search can use it.
        index.RelatedFields(
            "source",
            [
                index.SearchField("name"),
                index.AutocompleteField("name"),
                index.FilterField("live"),
                index.FilterField("is_confidential"),
            ],
        ),
        index.FilterField("live"),
        index.FilterField("on_the_record"),
        index.FilterField("channel"),
        index.FilterField("source_id"),
        # The admin listing's sortable column.
        index.FilterField("said_at"),
    ]

    class Meta:
        ordering = ["-said_at"]
        # A source's page lists its statements newest first; the API and
        # search list everyone's, newest first.
        indexes = [
            models.Index(fields=["source", "said_at"]),
            models.Index(fields=["said_at", "id"], name="statement_said_at_id"),
        ]

    def __str__(self):
        words = self.quote or self.summary
        short = words if len(words) <= 60 else words[:57] + "…"
        return f"{self.source}, {timezone.localtime(self.said_at):%b %d, %Y}: {short}"

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#statement-{self.pk}"

    @property
    def reversal_heading(self):
        """The label this statement's display gives the pair, seen from here."""
        return f"{self.get_reversal_kind_display()} an earlier statement"

    @property
    def reversed_heading(self):
        """The label the earlier statement's display gives the same pair."""
        if self.reversal_kind == ReversalKind.REVERSES:
            return "Later reversed"
        return "Later contradicted"

    @property
    def has_time(self):
        return self.precision == DatePrecision.TIME

    def clean(self):
        super().clean()
        errors = {}
        if not (self.quote.strip() or self.summary.strip()):
            errors["quote"] = "Give the words that were said, a summary, or both."
        if self.said_at and self.said_at > timezone.now():
            errors["said_at"] = (
                "This date is in the future. A statement can only be recorded "
                "once it has been made."
            )
        errors.update(self._reversal_errors())
        errors.update(self.record_errors())
        if errors:
            raise ValidationError(errors)

    def publish(self, revision, *args, **kwargs):
        if revision.as_object().record_errors():
            raise RecordChangeRefused(REDACT_INSTEAD)
        return super().publish(revision, *args, **kwargs)

    def record_errors(self):
        """Taking a statement on the record off it, or changing words a story
        quotes, takes a redaction."""
        if not self.pk or redaction.in_progress():
            return {}
        published = type(self).objects.filter(pk=self.pk, live=True).first()
        if published is None or not published.on_the_record:
            return {}
        if not self.on_the_record and on_the_record(self, "statement"):
            return {"on_the_record": REDACT_INSTEAD}
        words_changed = (self.quote, self.summary) != (
            published.quote,
            published.summary,
        )
        if words_changed and self.citations.exists():
            return {"quote": REDACT_INSTEAD}
        return {}

    def _reversal_errors(self):
        earlier = self.earlier_statement
        if earlier is None:
            if self.reversal_kind:
                return {"earlier_statement": "Choose the statement this one reverses."}
            return {}
        if not self.reversal_kind:
            return {"reversal_kind": "Say whether this contradicts or reverses it."}
        if earlier.pk == self.pk:
            return {"earlier_statement": "A statement cannot reverse itself."}
        if earlier.source_id != self.source_id:
            return {
                "earlier_statement": "Choose an earlier statement of the same source."
            }
        if self.said_at and earlier.said_at >= self.said_at:
            return {
                "earlier_statement": "The statement it reverses must be earlier "
                "than this one."
            }
        return {}

    def cache_tags(self, change):
        """The pages that show a statement (core.page_cache): its source's,
        its tracker's timeline, the stories that quote it and the timelines
        whose events link to it."""
        event = apps.get_model("trackers", "TimelineEvent")
        return {
            STATEMENTS,
            f"source:{self.source_id}",
            *(f"timeline:{pk}" for pk in [self.tracker_id] if pk),
            *(
                f"story:{pk}"
                for pk in self.citations.values_list("story", flat=True).distinct()
            ),
            *(
                f"timeline:{pk}"
                for pk in event.objects.filter(statement=self).values_list(
                    "tracker", flat=True
                )
            ),
        }


class RequestChannel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"
    TEXT_MESSAGE = "text_message", "Text message"
    SOCIAL_MEDIA = "social_media", "Social media"
    WEB_FORM = "web_form", "Web form"


class Outcome(models.TextChoices):
    PENDING = "pending", "Pending"
    NO_RESPONSE = "no_response", "No response"
    DECLINED = "declined", "Declined to comment"
    REFERRED = "referred", "Referred elsewhere"
    REFUSED_MESSAGE = "refused_message", "Refused to take a message"
    RESPONDED = "responded", "Responded"


class RequestForCommentQuerySet(visibility.VisibleQuerySetMixin, models.QuerySet):
    def search_text(self):
        """What site search knows of the requests readers see, as one text: a
        story and a source both index their requests so."""
        requests = self.visible_to_readers().select_related("source", "referred_to")
        return " ".join(request.search_text() for request in requests)

    def for_display(self):
        """Everything a public list of requests shows, in a fixed number of queries."""
        return self._displayed().select_related(
            "story", "referred_to", "follow_up_of__source"
        )

    def for_story(self, story):
        """A story page's requests, for a page that knows its story: the
        referral and the request followed up are joined in, so a story that
        has requests costs one query for them and one for their follow-ups."""
        return (
            self._displayed()
            .filter(story=story)
            .select_related("referred_to", "follow_up_of__source")
        )

    def _displayed(self):
        return (
            self.visible_to_readers()
            .select_related("source")
            .prefetch_related(
                Prefetch(
                    "follow_ups",
                    queryset=RequestForComment.objects.visible_to_readers().select_related(
                        "source", "referred_to"
                    ),
                )
            )
            .order_by("-asked_at", "-pk")
        )

    def overdue(self, now=None):
        """Pending requests whose deadline has passed: someone should follow up."""
        return self.filter(outcome=Outcome.PENDING, deadline__lt=now or timezone.now())


class RequestForComment(
    visibility.VisibleMixin,
    FrozenPublishedRevisionsMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    models.Model,
):
    """One attempt to reach a source for comment, and what came of it.

    Readers see a request as an editor published it: a reporter's change (a
    new outcome, say) is a draft until then, and each published change stays
    in the audit log, so the source's page can say what changed and when.
    """

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="requests_for_comment"
    )
    story = models.ForeignKey(
        "stories.StoryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests_for_comment",
    )
    tracker = models.ForeignKey(
        "trackers.TrackerPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests_for_comment",
        help_text="The tracker this request is for, if any; public requests show "
        "on its timeline.",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_at = models.DateTimeField(
        help_text="The first contact: the response clock starts here."
    )
    channel = models.CharField(max_length=20, choices=RequestChannel.choices)
    deadline = models.DateTimeField(
        null=True, blank=True, help_text="The deadline we gave, if any."
    )
    outcome = models.CharField(
        max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    answered_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name="answer came at",
        help_text="When the response, decline, referral or refusal came.",
    )
    referred_to = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        help_text="Where we were sent, e.g. the 311 centre.",
    )
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        help_text="The request that referred us here.",
    )
    public_summary = models.TextField(blank=True)
    is_public = models.BooleanField(
        default=True, help_text="Untick to keep this request off the public site."
    )
    internal_notes = models.TextField(blank=True)

    objects = RequestForCommentQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("source"), FieldPanel("story")]),
        FieldPanel("tracker"),
        FieldRowPanel([FieldPanel("asked_at"), FieldPanel("channel")]),
        FieldPanel("deadline"),
        FieldRowPanel([FieldPanel("outcome"), FieldPanel("answered_at")]),
        FieldRowPanel([FieldPanel("referred_to"), FieldPanel("follow_up_of")]),
        FieldPanel("public_summary"),
        FieldPanel("is_public"),
        MultiFieldPanel(
            [FieldPanel("asked_by"), FieldPanel("internal_notes")],
            heading=PRIVATE_HEADING,
        ),
    ]
    # The admin's listing and chooser search the autocomplete fields: a
    # request by its source's name, its story's title and its summary.
    search_fields = [
        index.SearchField("public_summary"),
        index.AutocompleteField("public_summary"),
        index.RelatedFields(
            "source", [index.SearchField("name"), index.AutocompleteField("name")]
        ),
        index.RelatedFields("story", [index.AutocompleteField("title")]),
        index.FilterField("outcome"),
        index.FilterField("source_id"),
        # The admin listing's sortable columns (but relations, which the index
        # cannot sort by).
        index.FilterField("asked_at"),
        index.FilterField("deadline"),
    ]

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = "request for comment"
        verbose_name_plural = "requests for comment"
        indexes = [models.Index(fields=["source", "asked_at"])]

    def __str__(self):
        when = timezone.localtime(self.asked_at)
        return f"{self.source} — {when:%b %d, %Y} ({self.get_outcome_display()})"

    def get_absolute_url(self):
        """Where readers find it: in its source's list of requests."""
        return f"{self.source.get_absolute_url()}#request-{self.pk}"

    @property
    def answered_late(self):
        return bool(
            self.deadline and self.answered_at and self.answered_at > self.deadline
        )

    @property
    def is_overdue(self):
        """Still pending after the deadline we gave, however long ago that was.

        Read at display time, not stored: a request becomes overdue by the clock
        alone, with no new version of it."""
        return (
            self.outcome == Outcome.PENDING
            and self.deadline is not None
            and self.deadline < timezone.now()
        )

    def search_text(self):
        """What site search knows of this request: who, what came of it, and
        our public account of it."""
        return f"{self.source.name}: {self.public_outcome}. {self.public_summary}"

    @property
    def public_outcome(self):
        """The outcome in a sentence a reader understands."""
        if self.outcome == Outcome.PENDING:
            return "Waiting for a response"
        if self.outcome == Outcome.NO_RESPONSE:
            if self.deadline:
                return "Did not respond by the deadline"
            return "Did not respond"
        if self.outcome == Outcome.DECLINED:
            return "Declined to comment"
        if self.outcome == Outcome.REFUSED_MESSAGE:
            return "Refused to take a message"
        if self.outcome == Outcome.REFERRED:
            if not self.referred_to.visible_to_readers:
                return "Referred callers elsewhere"
            return f"Referred callers to {self.referred_to.name}"
        if self.answered_late:
            return "Responded after the deadline"
        return "Responded"

    @property
    def public_outcome_in_sentence(self):
        """`public_outcome` to follow a colon inside a sentence: only its first
        letter is lowered, so the names in it keep their capitals."""
        outcome = self.public_outcome
        return outcome[:1].lower() + outcome[1:]

    def clean(self):
        super().clean()
        errors = {}
        if self.deadline and self.asked_at and self.deadline < self.asked_at:
            errors["deadline"] = "The deadline cannot come before the request."
        if self.answered_at and self.asked_at and self.answered_at < self.asked_at:
            errors["answered_at"] = (
                "The answer cannot come before the request. Check both times: "
                "the request's time is the first contact."
            )
        if self.outcome == Outcome.RESPONDED and not self.answered_at:
            errors["answered_at"] = "Say when the response came."
        if self.outcome in {Outcome.PENDING, Outcome.NO_RESPONSE} and self.answered_at:
            errors["answered_at"] = (
                "There was no answer, so leave this empty or change the outcome."
            )
        if self.outcome == Outcome.REFERRED and not self.referred_to_id:
            errors["referred_to"] = (
                "“Referred elsewhere” needs a target: choose the source we were "
                "sent to, e.g. the 311 centre."
            )
        if self.outcome != Outcome.REFERRED and self.referred_to_id:
            errors["referred_to"] = "Only a referral names where we were sent."
        if self.referred_to_id and self.referred_to_id == self.source_id:
            errors["referred_to"] = "A source cannot refer us to itself."
        if self.follow_up_of_id:
            errors.update(self._follow_up_errors())
        if errors:
            raise ValidationError(errors)

    def _follow_up_errors(self):
        earlier = self.follow_up_of
        if earlier.outcome != Outcome.REFERRED:
            return {"follow_up_of": "Only a referral can be followed up here."}
        if earlier.referred_to_id != self.source_id:
            return {
                "follow_up_of": f"That referral sent us to {earlier.referred_to}, "
                "not to this source."
            }
        return {}

    def cache_tags(self, change):
        """The pages that show a request (core.page_cache): its source's and
        the referred source's, its story's and its tracker's timeline."""
        return {
            *(f"source:{pk}" for pk in (self.source_id, self.referred_to_id) if pk),
            *(f"story:{pk}" for pk in [self.story_id] if pk),
            *(f"timeline:{pk}" for pk in [self.tracker_id] if pk),
        }
