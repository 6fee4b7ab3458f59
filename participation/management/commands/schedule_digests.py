"""Start the editors' daily digest, or mend its schedule: safe to run any time.

The digest schedules its next run itself (participation.digest_tasks); this
only enqueues one, at the next DIGEST_HOUR, when none is waiting: on the first
deploy, after the queue was emptied, or after a failure broke the chain.
`make run` runs it after load_demo; run it after every deploy.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from participation.digest_tasks import pending_digests, schedule_next_digest


class Command(BaseCommand):
    help = "Enqueue the next daily digest for editors, unless one is already waiting."

    def handle(self, *args, **options):
        at = schedule_next_digest()
        if at is None:
            waiting = pending_digests().order_by("run_after").first()
            when = timezone.localtime(waiting.run_after) if waiting else None
            self.stdout.write(
                "A daily digest is already waiting"
                + (f" (for {when:%Y-%m-%d %H:%M %Z})." if when else ".")
            )
            return
        self.stdout.write(
            f"Scheduled the next daily digest for "
            f"{timezone.localtime(at):%Y-%m-%d %H:%M %Z}."
        )
