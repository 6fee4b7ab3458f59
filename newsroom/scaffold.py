"""The skeleton of a site, shared by load_demo, generate_load and the tests.

Each function is idempotent: it finds what is there or makes it once.
`publish_at` and `backdate_update` date published versions in the past, for
content that tells a story that happened before it was loaded.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision, Site

from core.public_urls import BaseUrlError, site_address
from home.models import HomePage
from stories.models import StoryIndexPage, Update, record
from trackers.models import TrackerIndexPage


def ensure_home_page(intro=""):
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
        instance=HomePage(title=settings.WAGTAIL_SITE_NAME, slug="home", intro=intro)
    )
    home.save_revision().publish()
    hostname, port = site_address()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": hostname,
            "port": port,
            "root_page": home,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )
    return home, True


def point_site_at_base_url():
    """Give the default Site the hostname and port of BASE_URL.

    Wagtail's absolute URLs (`Page.get_full_url`, the sitemap, the API) start
    with the Site's root URL, so this makes them BASE_URL's. Returns the site
    and whether it changed; the site is None before there is one. Raises
    BaseUrlError when BASE_URL cannot be a Site's address or another site
    holds it already.
    """
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None, False
    hostname, port = site_address()
    if (site.hostname, site.port) == (hostname, port):
        return site, False
    if Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        raise BaseUrlError(
            f"Another site already answers at {hostname}:{port}; "
            "change or delete it in the admin (Settings, Sites) first."
        )
    site.hostname, site.port = hostname, port
    # A Site is content the page cache watches: saving it retires every cached
    # page, which carried the old address in its links.
    site.save()
    return site, True


def ensure_story_index(home):
    index = StoryIndexPage.objects.child_of(home).filter(slug="stories").first()
    if index:
        return index
    index = home.add_child(
        instance=StoryIndexPage(
            title="Stories",
            slug="stories",
            intro="Our reporting, newest first. Every story keeps its history.",
        )
    )
    index.save_revision().publish()
    return index


def ensure_tracker_index(home):
    """/trackers/, made once."""
    index = TrackerIndexPage.objects.child_of(home).filter(slug="trackers").first()
    if index is None:
        index = home.add_child(
            instance=TrackerIndexPage(
                title="Trackers",
                slug="trackers",
                intro="Issues we follow over time, from the first decision to "
                "the last vote.",
            )
        )
        index.save_revision().publish()
    return index


def publish_at(page, when, editor=None, writer=None):
    """Publish the page's current state as a version dated `when`.

    `writer` saved the version and `editor` published it. Demo content tells a
    story that happened in 2017, so its versions carry the dates they would have
    had, not the date `load_demo` ran.
    """
    revision = page.save_revision(user=writer or editor)
    with record.as_of(when):
        revision.publish(user=editor)
    Revision.objects.filter(pk=revision.pk).update(created_at=when)
    # The public history reads publication times from the audit log.
    PageLogEntry.objects.filter(revision=revision).update(timestamp=when)
    for update in Update.objects.filter(story_revision=revision):
        backdate_update(update, when)
    page.refresh_from_db()
    type(page).objects.filter(pk=page.pk).update(
        first_published_at=(
            when if page.first_published_at > when else page.first_published_at
        ),
        last_published_at=when,
        latest_revision_created_at=when,
    )
    page.refresh_from_db()
    return revision


def backdate_update(update, when):
    """Date a demo update's publication `when`, in its row, revisions and log.

    A plain queryset is used on purpose: Update's own refuses to rewrite a
    published update, which is right everywhere except in staging history.
    """
    models.QuerySet(Update).filter(pk=update.pk).update(
        first_published_at=when, last_published_at=when
    )
    Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(Update),
        object_id=str(update.pk),
    ).update(created_at=when)
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Update),
        object_id=str(update.pk),
    ).update(timestamp=when)


def backdate_amendment(update, revision, when):
    """Date the publication of `revision`, an amended wording of `update`, `when`."""
    models.QuerySet(Update).filter(pk=update.pk).update(last_published_at=when)
    Revision.objects.filter(pk=revision.pk).update(created_at=when)
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Update),
        object_id=str(update.pk),
        revision=revision,
    ).update(timestamp=when)
