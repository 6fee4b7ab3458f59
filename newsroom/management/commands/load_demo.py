"""Build the demo newsroom from the case in shared/seeds. Safe to run again."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.public_urls import BaseUrlError
from newsroom.demo import policy as policy_demo
from newsroom.demo import reports as reports_demo
from newsroom.demo import sources as sources_demo
from newsroom.demo import stories as stories_demo
from newsroom.demo import trackers as trackers_demo
from newsroom.demo.accounts import DEMO_ACCOUNTS, ensure_account
from newsroom.management.commands.set_site_url import report_site
from newsroom.scaffold import point_site_at_base_url


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
        # Sources come before the story, which quotes one of their statements,
        # and requests for comment after it, since most were made for it. The
        # tracker comes first so that all of them can be linked to it; its
        # events last, since they link to the story and statements.
        index, authors = stories_demo.build_site(self.stdout)
        try:
            site, changed = point_site_at_base_url()
        except BaseUrlError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report_site(site, changed))
        tracker = trackers_demo.build_tracker(self.stdout, index)
        quoted = sources_demo.build_sources(self.stdout, tracker)
        story = stories_demo.build_story(self.stdout, index, authors, quoted, tracker)
        sources_demo.ensure_redaction(self.stdout, quoted)
        stories_demo.build_second_story(self.stdout, index, authors, tracker)
        # The rest of the case quotes statements and cites sources built above.
        case = stories_demo.build_case_stories(self.stdout, index, authors, tracker)
        sources_demo.build_requests(self.stdout, story, tracker, case)
        trackers_demo.build_tracker_events(self.stdout, tracker, story)
        policy_demo.build_policy(self.stdout)
        # Readers' reports point at the stories, the tracker and the correction.
        reports_demo.build_reports(self.stdout, story, case, tracker)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
