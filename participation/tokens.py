"""Signed links for followers: confirm a follow, stop one, manage them all.

No token is stored: each is a `django.core.signing` value (HMAC on SECRET_KEY,
a salt per purpose, a timestamp) naming the rows it acts on, so a link works
only for what it was made for, cannot be altered, and stops working when its
rows are gone.

- **confirm** names one unconfirmed follow and expires after
  FOLLOW_CONFIRM_DAYS (the unconfirmed follow is purged then too).
- **unsubscribe** names one follow and never expires (it is in every mail a
  follower keeps); deleting the follow is what ends it.
- **manage** names a subscriber and expires after a day: it lists and deletes
  all of an address's follows, so it is mailed on request, never kept.

Every reader of a token raises `BadLink` with a message a reader can act on;
the views answer it with a 400 page.
"""

import datetime

from django.conf import settings
from django.core import signing

from participation.models import Follow, Subscriber

CONFIRM = "participation.follow.confirm"
UNSUBSCRIBE = "participation.follow.unsubscribe"
MANAGE = "participation.follow.manage"
MANAGE_MAX_AGE = datetime.timedelta(days=1)

NOT_OURS = (
    "This link is not one we sent, or part of it is missing. Copy the whole "
    "link from the email, or ask for a new one."
)


class BadLink(Exception):
    """A token that is made up, altered, expired or names nothing any more."""

    def __init__(self, message=NOT_OURS):
        super().__init__(message)
        self.message = message


def _follow_value(follow):
    # Subscriber and page too, so a token names exactly one follow even if a
    # database ever gave a deleted follow's id to another.
    return {"f": follow.pk, "s": follow.subscriber_id, "p": follow.page_id}


def _load(token, salt, max_age=None):
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadLink(
            "This link has expired. Ask for a new one: the form you used sends "
            "it again."
        ) from error
    except signing.BadSignature as error:
        raise BadLink from error
    if not isinstance(value, dict):
        raise BadLink
    return value


def _follow(value, gone_message):
    try:
        return (
            Follow.objects.select_related("subscriber", "page")
            .filter(pk=value["f"], subscriber_id=value["s"], page_id=value["p"])
            .get()
        )
    except (KeyError, TypeError, ValueError, Follow.DoesNotExist) as error:
        raise BadLink(gone_message) from error


def confirm_token(follow):
    return signing.dumps(_follow_value(follow), salt=CONFIRM)


def follow_to_confirm(token):
    """The follow a confirmation link names; expired after FOLLOW_CONFIRM_DAYS."""
    value = _load(
        token, CONFIRM, max_age=datetime.timedelta(days=settings.FOLLOW_CONFIRM_DAYS)
    )
    return _follow(
        value,
        "This confirmation link is for a follow that has since been stopped or "
        "deleted. Follow the page again to get a new link.",
    )


def unsubscribe_token(follow):
    return signing.dumps(_follow_value(follow), salt=UNSUBSCRIBE)


def follow_to_stop(token):
    """The follow an unsubscribe link names, as long as it exists."""
    return _follow(
        _load(token, UNSUBSCRIBE),
        "This link no longer works: that follow has been stopped already, and "
        "nothing more is sent for it.",
    )


def manage_token(subscriber):
    return signing.dumps({"s": subscriber.pk}, salt=MANAGE)


def subscriber_to_manage(token):
    """The subscriber a manage link names; expired after a day."""
    value = _load(token, MANAGE, max_age=MANAGE_MAX_AGE)
    try:
        return Subscriber.objects.get(pk=value["s"])
    except (KeyError, TypeError, ValueError, Subscriber.DoesNotExist) as error:
        raise BadLink(
            "We keep nothing for this address any more: it follows nothing."
        ) from error
