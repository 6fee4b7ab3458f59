"""A reader's report, end to end, as it happens on a running site: a real
worker process sends the mail to a real SMTP server, an editor resolves the
report in the admin, and the corrections policy counts it."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation.models import CorrectionRequest
from tests.background import smtp_server, worker_process
from tests.factories import make_story, make_update, make_user
from tests.participation.test_reports import edit_url, inbox_data
from tests.servers import SERVER_SECRET_KEY

pytestmark = [
    pytest.mark.servers,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

READER = "marisol.ortega@example.org"
EDITOR = "ana@newsroom.example.org"
CORRECTION = (
    "An earlier version of this story said the office stopped taking calls "
    "on Tuesday. It stopped on Monday, January 30."
)


def plain(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def policy_row(html, label):
    """The cells after the header of the policy table's row headed `label`."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]
        if cells and cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r}")


def test_report_mail_resolve_outcome_and_count(tmp_path, story_index, settings):
    settings.SECRET_KEY = SERVER_SECRET_KEY
    editor = make_user("ana", group="Editors", email=EDITOR)
    story = make_story(
        story_index,
        "Office stops taking calls on the reversal",
        paragraphs=["The office stopped taking calls on Tuesday."],
        editor=editor,
    )
    reader = Client()
    with smtp_server() as smtp, worker_process(tmp_path, **smtp.env()) as worker:
        # A reader reports the error, asking to hear the outcome.
        response = reader.post(
            reverse("report_error", args=[story.pk]),
            {
                "what_is_wrong": "The calls stopped on Monday, not Tuesday.",
                "where": "The first paragraph",
                "name": "Marisol Ortega",
                "email": READER,
                "wants_outcome": "on",
                "website": "",
            },
        )
        assert response.status_code == 302, response.content
        # The editor hears of it; the reader is told it arrived.
        (alert,) = smtp.wait_for(EDITOR)
        assert "Monday, not Tuesday" in plain(alert)
        (acknowledgement,) = smtp.wait_for(READER)
        assert "Office stops taking calls" in plain(acknowledgement)
        report = CorrectionRequest.objects.get()

        # The editor publishes a correction and resolves the report with it.
        correction = make_update(story, CORRECTION, kind="correction", editor=editor)
        editor_browser = Client()
        editor_browser.force_login(editor)
        response = editor_browser.post(
            edit_url(report),
            inbox_data(report, status="corrected", correction=correction.pk),
        )
        assert response.status_code == 302, response.content

        # The reader gets the outcome, with the correction and its link.
        _, outcome = smtp.wait_for(READER, count=2)
        text = plain(outcome)
        assert CORRECTION in text
        assert f"{story.url}#update-{correction.pk}" in text, text
    assert "Traceback" not in worker.output()

    report.refresh_from_db()
    assert report.status == "corrected" and report.outcome_sent_at is not None
    # The policy page counts it: one received, one corrected, one correction
    # that began with a reader's report, this month and over twelve months.
    html = Client().get("/corrections/policy/").content.decode()
    month = timezone.localtime(report.received_at).strftime("%B %Y")
    assert month in html
    for row in [month, "All 12 months"]:
        cells = policy_row(html, row)
        assert cells[:2] == ["1", "1"], (row, cells)
    for private in ["Marisol", READER, "Monday, not Tuesday"]:
        assert private not in html
