"""Followers for the follow tests, without going through the form each time."""

from django.utils import timezone

from participation.models import Follow, Subscriber


def add_followers(page, count, *, confirmed=True, prefix="reader"):
    """`count` followers of `page` (confirmed a minute ago), in two queries."""
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"{prefix}{n}@example.org") for n in range(count)
    )
    when = timezone.now() - timezone.timedelta(minutes=1) if confirmed else None
    return Follow.objects.bulk_create(
        Follow(subscriber=s, page=page, confirmed_at=when) for s in subscribers
    )


def add_follower(page, email, *, confirmed=True):
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    return Follow.objects.create(
        subscriber=subscriber,
        page=page,
        confirmed_at=(
            timezone.now() - timezone.timedelta(minutes=1) if confirmed else None
        ),
    )
