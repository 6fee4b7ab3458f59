"""Build the demo newsroom from the case in shared/seeds. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from newsroom.demo import DEMO_ACCOUNTS, ensure_account
from sources import demo as sources_demo
from stories import demo as stories_demo


class Command(BaseCommand):
    help = "Create the demo site, its content and a reporter and an editor account."

    @transaction.atomic
    def handle(self, *args, **options):
        for account in DEMO_ACCOUNTS:
            password = ensure_account(account)
            if password:
                self.stdout.write(
                    self.style.WARNING(
                        f"Created {account.group[:-1].lower()} account "
                        f"'{account.username}' with password: {password} "
                        f"(shown once; set {account.password_env} to choose it)"
                    )
                )
        stories_demo.build(self.stdout)
        sources_demo.build(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
