"""load_demo builds the site, the two accounts and a case that shows every feature;
a second run changes nothing."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from home.models import HomePage
from newsroom.demo.sources import MAYORS_OFFICE
from newsroom.demo.stories import MIAMI
from newsroom.demo.trackers import TRACKER
from sources.models import Outcome, RequestForComment, Source, Statement
from sources.response_record import MIN_REQUESTS_FOR_RATE
from stories.models import RecordEntry, StoryPage, Update
from tests.factories import demo_loaded


def snapshot():
    User = get_user_model()
    return {
        "pages": list(Page.objects.values_list("id", "title", "live").order_by("id")),
        "revisions": Revision.objects.count(),
        "story_trackers": list(
            StoryPage.trackers.through.objects.values_list(
                "storypage_id", "trackerpage_id"
            ).order_by("pk")
        ),
        "sources": list(Source.objects.values_list("slug", "live").order_by("pk")),
        "statements": list(
            Statement.objects.values_list(
                "pk", "source_id", "summary", "earlier_statement_id", "reversal_kind"
            ).order_by("pk")
        ),
        "requests": list(
            RequestForComment.objects.values_list(
                "pk", "source_id", "story_id", "tracker_id", "outcome"
            ).order_by("pk")
        ),
        "updates": list(Update.objects.values_list("pk", "text").order_by("pk")),
        "record": RecordEntry.objects.count(),
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


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo newsroom, loaded once for the class below and rolled back after
    it (a class, so that the tests above, which load it themselves, never run
    inside it whatever order they run in)."""
    with demo_loaded(django_db_blocker):
        yield


@pytest.fixture
def demo_db(demo, db):
    return demo


class TestTheDemoShowsEveryFeature:
    def test_the_demo_tells_the_case_in_stories_on_several_days(self, demo_db):
        stories = list(StoryPage.objects.live().prefetch_related("trackers"))
        days = {story.first_published_at.astimezone(MIAMI).date() for story in stories}

        assert len(stories) >= 5
        assert len(days) >= 3
        assert all(
            [tracker.slug for tracker in story.trackers.all()] == [TRACKER["slug"]]
            for story in stories
        )

    def test_the_tracker_timeline_shows_the_stories_in_date_order(
        self, client, demo_db
    ):
        stories = StoryPage.objects.live().order_by("first_published_at")
        html = client.get(f"/trackers/{TRACKER['slug']}/").content.decode()
        # The page lists the stories newest first above the timeline, which
        # runs oldest first.
        timeline = html[html.index('<section class="timeline"') :]

        positions = [timeline.find(f">{escape(story.title)}<") for story in stories]
        assert -1 not in positions
        assert positions == sorted(positions)

    def test_a_story_history_folds_a_minor_edit(self, client, demo_db):
        pages = [
            client.get(f"{story.url}history/").content.decode()
            for story in StoryPage.objects.live()
        ]

        assert any("minor edit, " in html for html in pages)

    def test_the_source_page_shows_the_reversal_pair(self, client, demo_db):
        later = Statement.objects.get(earlier_statement__isnull=False)
        html = client.get(later.source.get_absolute_url()).content.decode()

        assert later.earlier_statement.source == later.source
        assert later.earlier_statement.said_at < later.said_at
        assert "Reverses an earlier statement" in html
        assert "Later reversed" in html
        assert later.earlier_statement.summary in html

    def test_a_pending_request_long_past_its_deadline_shows_overdue(
        self, client, demo_db
    ):
        overdue = RequestForComment.objects.overdue().get()
        html = client.get(overdue.source.get_absolute_url()).content.decode()

        assert overdue.outcome == Outcome.PENDING
        assert overdue.deadline.year == 2017
        assert "Waiting for a response" in html
        assert "Overdue: the deadline we gave has passed." in html

    def test_the_mayors_office_has_enough_settled_requests_for_a_rate(
        self, client, demo_db
    ):
        office = Source.objects.get(slug=MAYORS_OFFICE)
        settled = office.requests_for_comment.exclude(outcome=Outcome.PENDING)
        responded = settled.filter(outcome=Outcome.RESPONDED).count()
        html = client.get(office.get_absolute_url()).content.decode()

        assert settled.count() >= MIN_REQUESTS_FOR_RATE
        rate = round(100 * responded / settled.count())
        assert f"{rate}% of {settled.count()} settled requests" in html
        assert "Not shown: only" not in html

    def test_the_policy_page_counts_the_demo_reports_since_2017(self, client, demo_db):
        html = client.get("/corrections/policy/").content.decode()
        row = html[html.index("All time, since") :]
        row = row[: row.index("</tr>")]
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]

        assert "February 2017" in row
        # Received, corrected, declined, duplicates, open; one correction
        # began with a report.
        assert cells[:5] == ["4", "1", "1", "0", "2"]
        assert cells[-1] == "1"

    def test_the_demo_record_verifies(self, demo_db):
        out = StringIO()

        call_command("verify_record", stdout=out)

        assert "The record verifies" in out.getvalue()


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
