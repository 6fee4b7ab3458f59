"""Demo content for the stories app, built in code and safe to run twice."""

from django.conf import settings
from wagtail.models import Page, Site

from stories.models import HomePage

HOME_INTRO = (
    "Local accountability reporting with its record attached: every version of "
    "every story, who was asked for comment, and what they said."
)


def ensure_home_page():
    """Make a HomePage the default site's root, replacing Wagtail's welcome page."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific, False

    root = Page.get_first_root_node()
    welcome = site.root_page if site else None
    if welcome and type(welcome.specific) is Page and welcome.numchild == 0:
        welcome.delete()
        root.refresh_from_db()

    home = root.add_child(
        instance=HomePage(
            title=settings.WAGTAIL_SITE_NAME, slug="home", intro=HOME_INTRO
        )
    )
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )
    return home, True
