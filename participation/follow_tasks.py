"""Mail to followers: the confirmation, the manage link, and the changes.

When changes go out (`schedule`, called in the publishing transaction): if no
mail went out for the page within the last FOLLOW_BATCH_SECONDS, at once;
otherwise at the last send plus FOLLOW_BATCH_SECONDS, so that everything
published in between goes out as one mail. At most one send is pending per
page: a page with unsent changes already has one coming, which will take the
new changes too.

Publishing only enqueues, whatever the number of followers. The worker then
runs `mail_followers(page_id)`, which claims the page's unsent changes under
a lock on the page's row (so two runs never send one change twice) and
splits the confirmed followers into keyset ranges of FOLLOW_MAIL_BATCH, each a
`mail_follow_batch` task that sends over one connection. Each follower gets
the changes recorded after they confirmed, and nothing when there are none.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from core.background import background_task, enqueue, enqueue_at
from core.public_urls import absolute_url
from participation import changes, mail, tokens
from participation.models import Follow, FollowedChange, Subscriber

ONE_CLICK = "List-Unsubscribe=One-Click"


def schedule(recorded):
    """Enqueue the send for each page in `recorded` ({page_id: [new ids]})."""
    window = timezone.timedelta(seconds=settings.FOLLOW_BATCH_SECONDS)
    for page_id, new_ids in recorded.items():
        unsent = FollowedChange.objects.filter(page_id=page_id, sent_at__isnull=True)
        if unsent.exclude(pk__in=new_ids).exists():
            continue  # a send is pending already; it takes these too
        last_sent = FollowedChange.objects.filter(page_id=page_id).aggregate(
            last=Max("sent_at")
        )["last"]
        if last_sent is None or last_sent + window <= timezone.now():
            enqueue(mail_followers, page_id)
        else:
            enqueue_at(mail_followers, last_sent + window, page_id)


@background_task
def mail_followers(page_id):
    """Claim the page's unsent changes and enqueue their mail, in batches."""
    with transaction.atomic():
        # The same lock as changes.record: a change is either claimed here or
        # recorded after, when it finds no pending send and schedules one.
        list(Page.objects.select_for_update().filter(pk=page_id).values_list("pk"))
        # Under the lock no other run claims them meanwhile: these are ours.
        unsent = FollowedChange.objects.filter(page_id=page_id, sent_at__isnull=True)
        claimed = list(unsent.values_list("pk", flat=True))
        if not claimed:
            return 0
        FollowedChange.objects.filter(pk__in=claimed).update(sent_at=timezone.now())
        followers = (
            Follow.objects.confirmed().filter(page_id=page_id).order_by("pk")
        ).values_list("pk", flat=True)
        after, batches, size = 0, 0, settings.FOLLOW_MAIL_BATCH
        while batch := list(followers.filter(pk__gt=after)[:size]):
            enqueue(mail_follow_batch, page_id, claimed, after, batch[-1])
            after, batches = batch[-1], batches + 1
        return batches


@background_task
def mail_follow_batch(page_id, change_ids, after_id, upto_id):
    """Mail the followers of `page_id` in (after_id, upto_id] about the changes."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    page = page.specific
    if not page.visible_to_readers:
        return 0
    claimed = FollowedChange.objects.filter(pk__in=change_ids).order_by(
        "created_at", "pk"
    )
    items = changes.describe(page, list(claimed))
    if not items:
        return 0
    follows = (
        Follow.objects.confirmed()
        .filter(page_id=page_id, pk__gt=after_id, pk__lte=upto_id)
        .select_related("subscriber")
        .order_by("pk")
    )
    context = {"page": page, "page_url": absolute_url(page.url), **_footer()}
    messages = []
    for follow in follows:
        theirs = [item for item in items if item.recorded_at > follow.confirmed_at]
        if theirs:
            messages.append(_changes_message(follow, theirs, context))
    return mail.send(messages)


def subject(page, items):
    """Names the page and what changed: "Correction on “…”", "2 changes to “…”: …"."""
    if len(items) == 1:
        return f"{items[0].label} on “{page.title}”"
    labels = list(dict.fromkeys(item.label.split(":")[0].lower() for item in items))
    return f"{len(items)} changes to “{page.title}”: {', '.join(labels)}"


def _footer():
    return {"manage_url": absolute_url(reverse("follow_manage_request"))}


def _changes_message(follow, items, context):
    unsubscribe_url = absolute_url(
        reverse("follow_unsubscribe", args=[tokens.unsubscribe_token(follow)])
    )
    return mail.compose(
        "follow_changes",
        {**context, "items": items, "unsubscribe_url": unsubscribe_url},
        [follow.subscriber.email],
        subject=subject(context["page"], items),
        headers={
            # RFC 8058: mail clients offer their own button, and POST this
            # body to the address without asking the reader anything more.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": ONE_CLICK,
        },
    )


@background_task
def mail_confirmation(follow_id):
    """The double opt-in: a link that confirms one follow."""
    follow = (
        Follow.objects.filter(pk=follow_id, confirmed_at__isnull=True)
        .select_related("subscriber", "page")
        .first()
    )
    if follow is None:
        return 0  # confirmed or stopped since
    page = follow.page.specific
    confirm_url = absolute_url(
        reverse("follow_confirm", args=[tokens.confirm_token(follow)])
    )
    message = mail.compose(
        "follow_confirm",
        {
            "page": page,
            "page_url": absolute_url(page.url),
            "confirm_url": confirm_url,
            "confirm_days": settings.FOLLOW_CONFIRM_DAYS,
            **_footer(),
        },
        [follow.subscriber.email],
        subject=f"Confirm that you want to follow “{page.title}”",
    )
    return mail.send([message])


@background_task
def mail_manage_link(subscriber_id):
    """A link, good for a day, to an address's follows."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return 0
    manage_url = absolute_url(
        reverse("follow_manage", args=[tokens.manage_token(subscriber)])
    )
    message = mail.compose(
        "follow_manage",
        {"manage_url": manage_url},
        [subscriber.email],
        subject="Your follows: stop any of them, or delete your address",
    )
    return mail.send([message])
