"""Newsroom tools in the Wagtail admin, driven through the real forms."""

import datetime

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data

from sources.admin_urls import add_request_url
from sources.models import RequestForComment, Statement
from tests.factories import make_request, make_source, make_statement, make_story

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def test_the_log_request_link_opens_the_form_with_source_and_story_chosen(
    reporter_client, story_index
):
    source, story = make_source("Office of the Mayor"), make_story(story_index)

    response = reporter_client.get(add_request_url(source=source, story=story))

    form = response.context["form"]
    assert form.initial["source"] == source.pk
    assert form.initial["story"] == story.pk


def test_a_reporter_logs_a_request_for_comment_through_the_admin(
    reporter_client, reporter
):
    source = make_source()

    response = reporter_client.post(
        add_request_url(source=source),
        nested_form_data(
            {
                "source": source.pk,
                "story": "",
                "asked_at": "2017-02-06 16:15",
                "channel": "phone",
                "deadline": "",
                "outcome": "refused_message",
                "answered_at": "2017-02-06 16:16",
                "referred_to": "",
                "follow_up_of": "",
                "public_summary": "Would not take a message.",
                "is_public": "on",
                "asked_by": reporter.pk,
                "internal_notes": "",
            }
        ),
    )

    assert response.status_code == 302
    logged = RequestForComment.objects.get()
    assert logged.outcome == "refused_message"
    assert logged.revisions.count() == 1


def test_the_admin_form_explains_a_referral_without_a_target(reporter_client):
    source = make_source()

    response = reporter_client.post(
        add_request_url(source=source),
        {
            "source": source.pk,
            "asked_at": "2017-02-06 16:15",
            "channel": "phone",
            "outcome": "referred",
            "answered_at": "2017-02-06 16:16",
            "is_public": "on",
        },
    )

    assert response.status_code == 200
    assert "needs a target" in response.content.decode()


def test_a_reporter_cannot_publish_a_statement_but_an_editor_can(reporter, editor):
    assert reporter.has_perm("sources.add_statement")
    assert not reporter.has_perm("sources.publish_statement")
    assert editor.has_perm("sources.publish_statement")


def test_a_reporter_posting_publish_leaves_the_statement_a_draft(reporter_client):
    source = make_source()

    reporter_client.post(
        "/admin/snippets/sources/statement/add/",
        {
            "source": source.pk,
            "said_at": "2017-01-26 10:00",
            "precision": "day",
            "channel": "press_release",
            "quote": "",
            "summary": "The county was never a sanctuary.",
            "on_the_record": "on",
            "action-publish": "action-publish",
        },
    )

    assert Statement.objects.get().live is False


def test_the_dashboard_lists_pending_requests_past_their_deadline(editor_client):
    late = make_source("Late office")
    make_request(
        late,
        asked_at=NOW - datetime.timedelta(days=3),
        deadline=NOW - datetime.timedelta(days=1),
    )
    make_request(make_source("Early office"), deadline=NOW + datetime.timedelta(days=1))

    html = editor_client.get("/admin/").content.decode()

    assert "Requests for comment past their deadline" in html
    assert "Late office" in html
    assert "Early office" not in html


def test_story_and_source_edit_views_link_to_a_prefilled_request(
    reporter_client, story_index
):
    story = make_story(story_index)
    source = make_source()
    make_statement(source)

    story_html = reporter_client.get(f"/admin/pages/{story.pk}/edit/").content
    source_html = reporter_client.get(
        f"/admin/snippets/sources/source/edit/{source.pk}/"
    ).content

    assert f"?story={story.pk}".encode() in story_html
    assert f"?source={source.pk}".encode() in source_html
