"""Mail the newsroom sends: one way to write a message, one way to send many.

Every message has a plain-text part and an HTML part rendered from the same
context (`participation/mail/<name>.txt` and `.html`), links on BASE_URL as
they are (no tracking, no rewriting), and whatever headers the caller adds
(List-Unsubscribe for followers). Sending goes through Django's default mailer
(settings.MAILERS: the console in `make run`, SMTP from the environment in
production), one connection for a whole batch.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from wagtail.admin.admin_url_finder import AdminURLFinder

from core.public_urls import absolute_url


def compose(name, context, to, *, subject, headers=None, reply_to=None):
    """The message `name` to the addresses `to`, from its two templates."""
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": absolute_url("/"),
        **context,
    }
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"participation/mail/{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers=headers or {},
        reply_to=reply_to or [],
    )
    message.attach_alternative(
        render_to_string(f"participation/mail/{name}.html", context), "text/html"
    )
    return message


def link(path):
    """`path` on BASE_URL, or "" when there is none."""
    return absolute_url(path) if path else ""


def admin_link(obj):
    """Where staff edit `obj` in the admin, on BASE_URL (Wagtail's finder)."""
    return link(AdminURLFinder().get_edit_url(obj))


def send(messages):
    """Send `messages` over one connection; return how many went."""
    messages = list(messages)
    if not messages:
        return 0
    return mailers.default.send_messages(messages)
