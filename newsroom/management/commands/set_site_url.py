"""Point the Wagtail Site at BASE_URL. Safe to run again, and right after migrate."""

from django.core.management.base import BaseCommand, CommandError

from core.public_urls import BaseUrlError
from newsroom.scaffold import point_site_at_base_url


def report_site(site, changed):
    """One line saying where the default site answers now."""
    if site is None:
        return (
            "There is no default site yet; load_demo or the admin makes one. "
            "Run this command again afterwards."
        )
    if changed:
        return f"The site now answers at {site.root_url} (BASE_URL)."
    return f"The site already answers at {site.root_url} (BASE_URL)."


class Command(BaseCommand):
    help = (
        "Give the default Wagtail Site the hostname and port of BASE_URL, so that "
        "every absolute URL (feeds, sitemap, structured data, the API) uses it."
    )

    def handle(self, *args, **options):
        try:
            site, changed = point_site_at_base_url()
        except BaseUrlError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report_site(site, changed))
