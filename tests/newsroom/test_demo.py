"""load_demo builds the site and the two accounts, and a second run changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from home.models import HomePage
from stories.models import StoryPage


def snapshot():
    User = get_user_model()
    return {
        "pages": list(Page.objects.values_list("id", "title", "live").order_by("id")),
        "revisions": Revision.objects.count(),
        "sites": list(Site.objects.values_list("id", "root_page_id")),
        "users": list(
            User.objects.values_list("username", "password", "last_login").order_by(
                "username"
            )
        ),
    }


@pytest.fixture
def demo_passwords(monkeypatch):
    monkeypatch.setenv("DEMO_REPORTER_PASSWORD", "reporter-pass-123")
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "editor-pass-456")


def test_load_demo_twice_changes_nothing(db, demo_passwords):
    call_command("load_demo", stdout=StringIO())
    first = snapshot()
    call_command("load_demo", stdout=StringIO())

    assert snapshot() == first


def test_load_demo_makes_a_home_page_the_site_root(db, demo_passwords):
    call_command("load_demo", stdout=StringIO())

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()


def test_load_demo_points_the_site_at_base_url(db, demo_passwords, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://ledger.example.net:8000"
    out = StringIO()

    call_command("load_demo", stdout=out)

    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://ledger.example.net:8000"
    assert "answers at http://ledger.example.net:8000 (BASE_URL)" in out.getvalue()


def test_load_demo_puts_each_account_in_its_group(db, demo_passwords):
    call_command("load_demo", stdout=StringIO())
    User = get_user_model()

    reporter = User.objects.get(username="reporter")
    editor = User.objects.get(username="editor")
    assert reporter.check_password("reporter-pass-123")
    assert list(reporter.groups.values_list("name", flat=True)) == ["Reporters"]
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]


def test_generated_passwords_are_printed_once(db, monkeypatch):
    monkeypatch.delenv("DEMO_REPORTER_PASSWORD", raising=False)
    monkeypatch.delenv("DEMO_EDITOR_PASSWORD", raising=False)
    first, second = StringIO(), StringIO()

    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)

    assert first.getvalue().count("with password:") == 2
    assert "with password:" not in second.getvalue()


def test_demo_stories_have_drawn_lead_images_from_their_first_version(
    db, demo_passwords
):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())

    stories = StoryPage.objects.live().order_by("pk")
    assert stories
    for story in stories:
        first = story.revisions.order_by("created_at", "pk").first().as_object()
        assert first.lead_image_id == story.lead_image_id is not None
        assert story.lead_image_alt and story.lead_image_caption
        assert story.lead_image_credit
        assert story.lead_image.collection.is_root()
    calls = stories.get(slug__startswith="mayors-office-stops")
    assert "2,000 in 2012" in calls.lead_image_alt
    # One image per story, however many times the demo loads.
    drawn = get_image_model().objects.filter(title__startswith="Demo ")
    assert drawn.count() == stories.count()
