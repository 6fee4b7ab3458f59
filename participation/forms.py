"""What the reader forms share: a honeypot field and a per-address rate limit.

No third-party captcha: a field people never see (hidden by CSS, out of the
tab order, labelled for screen readers as one to leave empty) catches the
programs that fill in every field, and django-ratelimit counts each client
address's submissions in the shared cache, as the password forms do
(newsroom.rate_limits), answering 429 past PARTICIPATION_RATE_LIMIT.
"""

from django import forms
from django.conf import settings
from django.db import transaction
from django_ratelimit.decorators import ratelimit
from wagtail.admin.forms import WagtailAdminModelForm

from core.background import enqueue
from participation import report_tasks
from participation.models import REPORT_TEXT_MAX, CorrectionRequest, MailPreferences

HONEYPOT = "website"
BOT_MESSAGE = (
    "This form was sent with the field marked “leave this empty” filled in, "
    "which only programs do. Nothing was sent. If you are a person, go back, "
    "leave that field empty and try again."
)


class HoneypotForm(forms.Form):
    """Adds the honeypot field; `is_bot()` says whether it was filled in."""

    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self):
        return bool(self.data.get(HONEYPOT, "").strip())


def limit_posts(group):
    """Rate-limit a view's POSTs per client address (PARTICIPATION_RATE_LIMIT)."""
    return ratelimit(
        group=f"participation-{group}",
        key="ip",
        # Read at each request, so tests and settings may change it.
        rate=lambda group, request: settings.PARTICIPATION_RATE_LIMIT,
        method="POST",
    )


class MailPreferencesForm(forms.ModelForm):
    """A staff member's newsroom mail, in their Wagtail account settings."""

    class Meta:
        model = MailPreferences
        fields = ["new_reports", "daily_digest"]


class FollowForm(HoneypotForm):
    """An address to follow a story or tracker with, or to manage follows of."""

    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["email", HONEYPOT]

    def clean_email(self):
        # One subscriber per mailbox, however the reader types its capitals.
        return self.cleaned_data["email"].strip().lower()


# --- Report an error ----------------------------------------------------------

OUTCOME_NEEDS_EMAIL = "Give an email address to be told the outcome, or untick the box."


class ReportForm(HoneypotForm, forms.ModelForm):
    """A reader's report of an error: what is wrong, where, and who to tell."""

    class Meta:
        model = CorrectionRequest
        fields = ["what_is_wrong", "where", "name", "email", "wants_outcome"]
        labels = {
            "what_is_wrong": "What is wrong?",
            "where": "Where? (optional)",
            "name": "Your name (optional)",
            "email": "Your email address (optional)",
            "wants_outcome": "Tell me the outcome by email",
        }
        help_texts = {
            "what_is_wrong": "What we got wrong, and what is right if you know. "
            f"Up to {REPORT_TEXT_MAX:,} characters.",
            "where": "The sentence, figure or date.",
            "name": "",
            "email": "We write to you only about this report, and never publish "
            "your name or address.",
            "wants_outcome": "",
        }
        widgets = {
            "what_is_wrong": forms.Textarea(
                attrs={"rows": 8, "maxlength": REPORT_TEXT_MAX}
            ),
            "where": forms.TextInput(attrs={"maxlength": 500}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        # The labels are questions and phrases; a colon after them reads oddly.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("wants_outcome") and not cleaned.get("email"):
            # Unless the address itself was refused, which says so already.
            if "email" not in self.errors:
                self.add_error("email", OUTCOME_NEEDS_EMAIL)
        return cleaned


# --- The inbox: notes for everyone, decisions for editors -------------------------

DECISION_FIELDS = ("status", "correction", "duplicate_of", "reason")
DECIDE_PERMISSION = "participation.decide_correctionrequest"
NOT_YOURS_TO_DECIDE = (
    "Only editors can change a report's status, correction, duplicate or "
    "reason. Your notes can still be saved: leave those fields as they were."
)


class DuplicateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.received_at:%Y-%m-%d}: {obj}"


class CorrectionRequestAdminForm(WagtailAdminModelForm):
    """The admin's form for a report.

    Anyone who may change reports adds notes (each signed by whoever added it,
    and kept as written); only holders of decide_correctionrequest change the
    decision fields. For the others those fields are disabled, and a POST that
    changes them anyway is refused with a message, not silently applied.
    Resolving a report the reader asked to hear about enqueues the outcome mail
    in the same transaction as the decision.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.instance
        self.status_before = report.status
        self.can_decide = bool(
            self.for_user and self.for_user.has_perm(DECIDE_PERMISSION)
        )
        if "correction" in self.fields:
            self.fields["correction"].queryset = report.correction_choices()
        if "duplicate_of" in self.fields:
            self.fields["duplicate_of"] = DuplicateChoiceField(
                queryset=report.duplicate_choices(),
                required=False,
                label=self.fields["duplicate_of"].label,
                help_text="The earlier report about the same page that this repeats.",
            )
        if not self.can_decide:
            for name in DECISION_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
        notes = self.formsets.get("notes")
        for form in notes.forms if notes is not None else []:
            if form.instance.pk:
                form.fields["text"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if not self.can_decide and self._decision_was_posted():
            raise forms.ValidationError(NOT_YOURS_TO_DECIDE)
        return cleaned

    def _decision_was_posted(self):
        """Whether the POST tries to change a field this user may not."""
        for name in DECISION_FIELDS:
            if name not in self.fields:
                continue
            field = self.fields[name]
            posted = field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix(name)
            )
            if posted is None:
                continue  # Disabled fields are not sent by browsers.
            initial = self.get_initial_for_field(field, name)
            if str(posted or "").strip() != str(initial or "").strip():
                return True
        return False

    def save(self, commit=True):
        notes = self.formsets.get("notes")
        for form in notes.forms if notes is not None else []:
            if form.instance.pk is None:
                form.instance.author = self.for_user
        with transaction.atomic():
            report = super().save(commit=commit)
            if commit and report.status != self.status_before and report.outcome_is_due:
                enqueue(report_tasks.send_outcome, report.pk)
        return report
