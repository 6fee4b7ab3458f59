"""Check the public record: the log's hash chain and every snapshot's hash.

The same rule as docs/record.md's script, over the database instead of HTTP;
prints the first break and exits 1, or says how much verified.
"""

from django.core.management.base import BaseCommand, CommandError

from stories.models import RecordEntry, Snapshot, record


class Command(BaseCommand):
    help = "Recompute every log hash and snapshot hash; report the first break."

    def handle(self, *args, **options):
        problem = record.verify()
        if problem:
            raise CommandError(f"The record does not verify: {problem}")
        self.stdout.write(
            self.style.SUCCESS(
                f"The record verifies: {RecordEntry.objects.count()} entries, "
                f"{Snapshot.objects.count()} snapshots."
            )
        )
