"""Delete what reader participation no longer needs: run it daily.

- Follows never confirmed within FOLLOW_CONFIRM_DAYS (their link has expired,
  so they can never be confirmed), then every subscriber left following nothing.
- The reader's name and address on reports decided more than
  REPORT_CONTACT_RETENTION_DAYS ago: the outcome has been sent by then, and
  the report itself stays, without them, for the corrections policy's figures.

The corrections policy page states both periods from the same settings. A
second run the same day finds nothing to do.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from participation.models import CorrectionRequest, Follow, Subscriber


def purge(now=None):
    """Delete and blank what has expired at `now`; return the counts."""
    now = now or timezone.now()
    with transaction.atomic():
        follows, _ = Follow.objects.unconfirmed_expired(now).delete()
        # Counted once the follows are gone: only those left with none.
        subscribers, _ = Subscriber.objects.filter(follows__isnull=True).delete()
        cutoff = now - datetime.timedelta(days=settings.REPORT_CONTACT_RETENTION_DAYS)
        contacts = (
            CorrectionRequest.objects.resolved()
            .filter(resolved_at__lt=cutoff)
            .exclude(name="", email="")
            .update(name="", email="")
        )
    return {"follows": follows, "subscribers": subscribers, "contacts": contacts}


class Command(BaseCommand):
    help = (
        "Delete unconfirmed follows past FOLLOW_CONFIRM_DAYS and subscribers with "
        "no follow left; blank readers' names and addresses on reports decided "
        "more than REPORT_CONTACT_RETENTION_DAYS ago."
    )

    def handle(self, *args, **options):
        done = purge()
        self.stdout.write(
            f"Deleted {done['follows']} unconfirmed follow(s) older than "
            f"{settings.FOLLOW_CONFIRM_DAYS} days."
        )
        self.stdout.write(
            f"Deleted {done['subscribers']} subscriber(s) following nothing."
        )
        self.stdout.write(
            f"Erased the name and address on {done['contacts']} report(s) decided "
            f"more than {settings.REPORT_CONTACT_RETENTION_DAYS} days ago."
        )
