"""Requests for comment are reviewed like stories: a reporter's change to a
published request is a draft until an editor publishes it, and readers see
when a published outcome changed, and from what."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from sources.admin_urls import add_request_url
from sources.models import RequestForComment
from sources.response_record import build_response_record, parse_period
from tests.factories import make_source

pytestmark = pytest.mark.django_db


def request_form(source, reporter, *, outcome, **actions):
    data = nested_form_data(
        {
            "source": source.pk,
            "story": "",
            "tracker": "",
            "asked_at": "2017-02-07 10:00",
            "channel": "phone",
            "deadline": "2017-02-07 17:00",
            "outcome": outcome,
            "answered_at": "2017-02-08 09:00" if outcome == "responded" else "",
            "referred_to": "",
            "follow_up_of": "",
            "public_summary": "We called the 311 centre for comment.",
            "is_public": "on",
            "asked_by": reporter.pk,
            "internal_notes": "",
        }
    )
    data.update({name.replace("_", "-"): "1" for name, on in actions.items() if on})
    return data


def edit_url(request):
    return reverse("wagtailsnippets_sources_requestforcomment:edit", args=[request.pk])


@pytest.fixture
def published(client, editor, reporter):
    """A request an editor logged and published: no response by the deadline."""
    source = make_source("Miami-Dade County 311 call centre")
    client.force_login(editor)
    client.post(
        add_request_url(source=source),
        request_form(source, reporter, outcome="no_response", action_publish=True),
    )
    client.logout()
    request = RequestForComment.objects.get()
    assert request.live and request.outcome == "no_response"
    return request


def test_a_reporter_s_new_outcome_is_a_draft_until_an_editor_publishes_it(
    client, published, reporter, editor
):
    source_page = published.source.get_absolute_url() + "?period=all"
    client.force_login(reporter)
    client.post(
        edit_url(published),
        request_form(published.source, reporter, outcome="responded"),
    )
    # Posting "publish" without the permission saves a draft all the same.
    client.post(
        edit_url(published),
        request_form(
            published.source, reporter, outcome="responded", action_publish=True
        ),
    )
    client.logout()

    published.refresh_from_db()
    assert published.outcome == "no_response"
    assert published.has_unpublished_changes
    page = client.get(source_page).content.decode()
    assert "Did not respond by the deadline" in page
    assert "Outcome changed" not in page

    client.force_login(editor)
    client.post(
        edit_url(published),
        request_form(
            published.source, reporter, outcome="responded", action_publish=True
        ),
    )
    client.logout()

    published.refresh_from_db()
    assert published.outcome == "responded"
    page = client.get(source_page).content.decode()
    assert "Outcome changed on" in page
    assert "from “No response” to “Responded”" in page


def test_a_request_a_reporter_logs_stays_off_the_record_until_published(
    client, reporter
):
    source = make_source("Office of the Mayor")
    client.force_login(reporter)
    client.post(
        add_request_url(source=source),
        request_form(source, reporter, outcome="declined"),
    )
    client.logout()

    request = RequestForComment.objects.get()
    assert not request.live
    record = build_response_record(source, parse_period("all"))
    assert record.requests == 0
    page = client.get(source.get_absolute_url() + "?period=all").content.decode()
    assert "We called the 311 centre" not in page
    api = client.get("/api/requests-for-comment/").json()
    assert api["meta"]["total_count"] == 0
