"""The editors' daily digest: what it lists and in what order, who gets it,
the opt-out in the account settings, and how it keeps its own schedule."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.background import enqueue
from participation.digest_tasks import (
    next_digest_time,
    pending_digests,
    send_daily_digests,
    send_digests,
)
from participation.models import CorrectionRequest, MailPreferences
from sources.models import Outcome
from tests.background import run_background_tasks
from tests.factories import make_request, make_source, make_story, make_user

NEW_YORK = ZoneInfo("America/New_York")
Status = CorrectionRequest.Status


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


@pytest.fixture
def editors(db):
    return [
        make_user(
            "maria",
            group="Editors",
            email="maria@ledger.example",
            first_name="Maria",
            last_name="Ortega",
        ),
        make_user("tomas", group="Editors", email="tomas@ledger.example"),
    ]


@pytest.fixture
def not_editors(db):
    make_user("rita2", group="Reporters", email="rita@ledger.example")
    make_user("gone", group="Editors", email="gone@ledger.example", is_active=False)
    make_user("noaddress", group="Editors")


@pytest.fixture
def work(story_index):
    """Open and closed reports, and requests for comment overdue or not."""
    story = make_story(story_index, "Commission delays the budget vote")
    for text, status, days in [
        ("REPORT-NEWER the vote was on a Tuesday", Status.NEW, 1),
        ("REPORT-OLDEST the budget figure is off", Status.INVESTIGATING, 5),
        ("REPORT-DONE a name was misspelled", Status.CORRECTED, 9),
        ("REPORT-MIDDLE the quote is not his", Status.NEW, 3),
    ]:
        CorrectionRequest.objects.create(
            page=story, what_is_wrong=text, status=status, received_at=ago(days=days)
        )
    clerk = make_source("Clerk of the Board")
    mayor = make_source("Office of the Mayor")
    police = make_source("Police Department")
    parks = make_source("Parks Department")
    # Past its deadline by 2 days.
    make_request(clerk, story=story, asked_at=ago(days=4), deadline=ago(days=2))
    # No deadline, asked 12 days ago: 5 days past the 7 we allow.
    make_request(mayor, story=story, asked_at=ago(days=12))
    # Not yet due: no deadline and asked 2 days ago; a deadline still ahead.
    make_request(police, asked_at=ago(days=2))
    make_request(parks, asked_at=ago(days=1), deadline=ago(days=-1))
    # Answered, though late: nothing to follow up.
    make_request(
        parks,
        asked_at=ago(days=30),
        deadline=ago(days=20),
        outcome=Outcome.RESPONDED,
        answered_at=ago(days=10),
    )
    return story


def digests_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def text_and_html(message):
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


def test_each_editor_gets_one_digest_of_open_reports_oldest_first(
    editors, not_editors, work
):
    enqueue(send_daily_digests)
    run_background_tasks()

    assert sorted(m.to[0] for m in mail.outbox) == [e.email for e in editors]
    message = digests_to("maria@ledger.example")[0]
    assert message.subject == (
        "Daily digest: 3 open reader reports and 2 overdue requests for comment"
    )
    for part in text_and_html(message):
        oldest = part.index("REPORT-OLDEST")
        assert oldest < part.index("REPORT-MIDDLE") < part.index("REPORT-NEWER")
        assert "REPORT-DONE" not in part
        assert "Commission delays the budget vote" in part
        assert "http://testserver/stories/" in part


def test_the_digest_lists_overdue_requests_longest_overdue_first(editors, work):
    send_digests()

    body, html = text_and_html(mail.outbox[0])
    for part in (body, html):
        # The mayor's office became overdue 5 days ago, the clerk 2 days ago.
        assert part.index("Office of the Mayor") < part.index("Clerk of the Board")
        assert "no deadline given, 12 days without an answer" in part
        assert "passed 2 days ago" in part
        assert "Police Department" not in part
        assert "Parks Department" not in part
        assert "/admin/snippets/sources/requestforcomment/edit/" in part
    assert "Commission delays the budget vote" in body


def test_an_editor_who_turned_it_off_in_account_settings_gets_none(
    client, editors, work
):
    maria = editors[0]
    client.force_login(maria)
    page = client.get("/admin/account/")
    assert "Newsroom mail" in page.content.decode()
    data = current_account_settings(page)
    data.pop("newsroom_mail-daily_digest", None)
    data["newsroom_mail-new_reports"] = "on"

    response = client.post("/admin/account/", data)

    assert response.status_code == 302
    preferences = MailPreferences.objects.get(user=maria)
    assert (preferences.new_reports, preferences.daily_digest) == (True, False)
    send_digests()
    assert [m.to for m in mail.outbox] == [["tomas@ledger.example"]]


def test_reporters_see_no_newsroom_mail_settings(reporter_client):
    page = reporter_client.get("/admin/account/")

    assert page.status_code == 200
    assert "Newsroom mail" not in page.content.decode()


def current_account_settings(page):
    """The account page's form data as it stands, from its panels' forms."""
    data = {}
    for panels in page.context["panels_by_tab"].values():
        for panel in panels:
            form = panel.get_form()
            for name, field in form.fields.items():
                if isinstance(field, forms.FileField):
                    continue
                value = form[name].value()
                if value in (None, False):
                    continue
                data[form.add_prefix(name)] = "on" if value is True else value
    return data


def test_nothing_to_report_sends_no_mail(editors, story_index):
    story = make_story(story_index)
    CorrectionRequest.objects.create(
        page=story, what_is_wrong="Fixed already", status=Status.CORRECTED
    )
    make_request(make_source(), asked_at=ago(days=2))

    assert send_digests() == 0
    assert mail.outbox == []


def test_the_digest_schedules_the_next_one_at_the_digest_hour(editors, settings):
    settings.DIGEST_HOUR = 6
    enqueue(send_daily_digests)

    before = timezone.now()
    run_background_tasks()

    waiting = pending_digests().get()
    assert waiting.run_after == next_digest_time(before)
    local = timezone.localtime(waiting.run_after)
    assert (local.hour, local.minute) == (6, 0)
    assert (
        datetime.timedelta(0)
        < waiting.run_after - before
        <= datetime.timedelta(hours=24)
    )
    # What ran is done; only tomorrow's waits.
    assert (
        DBTaskResult.objects.filter(
            task_path=send_daily_digests.module_path,
            status=TaskResultStatus.SUCCESSFUL,
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Before the hour: today; at or after it: tomorrow.
        (datetime.datetime(2026, 4, 15, 6, 59), datetime.datetime(2026, 4, 15, 7)),
        (datetime.datetime(2026, 4, 15, 7, 0), datetime.datetime(2026, 4, 16, 7)),
        (datetime.datetime(2026, 4, 15, 23, 30), datetime.datetime(2026, 4, 16, 7)),
        # Across the spring change of clocks, still 7 o'clock local time.
        (datetime.datetime(2026, 3, 7, 8), datetime.datetime(2026, 3, 8, 7)),
        (datetime.datetime(2026, 12, 31, 9), datetime.datetime(2027, 1, 1, 7)),
    ],
)
def test_the_next_digest_is_at_the_next_digest_hour_in_the_newsrooms_time(
    now, expected, settings
):
    settings.DIGEST_HOUR = 7

    assert next_digest_time(now.replace(tzinfo=NEW_YORK)) == expected.replace(
        tzinfo=NEW_YORK
    )


def test_schedule_digests_enqueues_one_and_a_second_run_changes_nothing(db):
    first, second = StringIO(), StringIO()

    call_command("schedule_digests", stdout=first)
    call_command("schedule_digests", stdout=second)

    assert pending_digests().count() == 1
    assert "Scheduled the next daily digest for" in first.getvalue()
    assert "already waiting" in second.getvalue()


def test_a_digest_that_fails_has_already_scheduled_tomorrows(
    editors, work, settings, monkeypatch
):
    settings.BACKGROUND_TASK_ATTEMPTS = 1

    def refuse(messages):
        raise ConnectionRefusedError("the SMTP server is down")

    monkeypatch.setattr("participation.mail.send", refuse)
    enqueue(send_daily_digests)

    run_background_tasks()

    assert pending_digests().get().run_after > timezone.now()
    assert mail.outbox == []
