"""The demo shows sources, statements and requests, and a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.html import escape
from wagtail.models import Revision

from sources.models import RequestForComment, Source, Statement
from stories.models import StoryPage

# The demo's first story (load_demo), by its slug.
DEMO_STORY = "mayors-office-stops-taking-calls-on-sanctuary-reversal"


pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "sources": list(
            Source.objects.values_list("slug", "live", "live_revision").order_by("pk")
        ),
        "statements": list(Statement.objects.values_list("pk", "live")),
        "requests": list(RequestForComment.objects.values_list("pk", "outcome")),
        "revisions": Revision.objects.count(),
        "body": list(StoryPage.objects.get(slug=DEMO_STORY).body.raw_data),
    }


def test_load_demo_twice_changes_no_source_statement_or_request(db):
    call_command("load_demo", stdout=StringIO())
    first = snapshot()
    call_command("load_demo", stdout=StringIO())

    assert snapshot() == first


def test_demo_story_quotes_the_mayor_and_lists_the_unanswered_calls(client):
    call_command("load_demo", stdout=StringIO())
    story = StoryPage.objects.get(slug=DEMO_STORY)

    html = client.get(story.url).content.decode()
    mayor = client.get("/sources/carlos-gimenez/")

    assert "never a sanctuary county" in html
    assert "Refused to take a message" in html
    assert (
        'Referred callers to <a href="/sources/miami-dade-311/">'
        "Miami-Dade County 311 call centre</a>" in html
    )
    assert "Did not respond by the deadline" in html
    assert "Miami Herald analysis" in client.get("/sources/").content.decode()
    assert escape(story.title) in mayor.content.decode()


def test_every_demo_source_is_published(db):
    call_command("load_demo", stdout=StringIO())

    sources = Source.objects.all()
    assert sources.exists()
    assert [s.slug for s in sources if not (s.live and s.live_revision_id)] == []
    assert not sources.filter(has_unpublished_changes=True).exists()
