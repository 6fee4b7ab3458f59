"""What the reader forms share: a honeypot field and a per-address rate limit.

No third-party captcha: a field people never see (hidden by CSS, out of the
tab order, labelled for screen readers as one to leave empty) catches the
programs that fill in every field, and django-ratelimit counts each client
address's submissions in the shared cache, as the password forms do
(newsroom.rate_limits), answering 429 past PARTICIPATION_RATE_LIMIT.
"""

from django import forms
from django.conf import settings
from django_ratelimit.decorators import ratelimit

from participation.models import MailPreferences

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
