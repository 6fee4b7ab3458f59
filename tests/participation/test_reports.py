"""Report an error: the reader's form, the mail it causes, the editors' inbox,
the outcome mail, and what never reaches a public page."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from core.background import enqueue
from participation import report_tasks
from participation.forms import BOT_MESSAGE, NOT_YOURS_TO_DECIDE, OUTCOME_NEEDS_EMAIL
from participation.models import (
    CorrectionRequest,
    CorrectionRequestNote,
    MailPreferences,
)
from tests.background import run_background_tasks
from tests.factories import (
    make_story,
    make_tracker,
    make_update,
    make_user,
    publish_new_version,
)

pytestmark = pytest.mark.django_db

REPORT_TEXT = "The call was on Monday, not Tuesday: zanzibarquill."
READER_NAME = "Avery Testreader"
READER_EMAIL = "avery.testreader@example.org"


@pytest.fixture(autouse=True)
def _roomy_rate_limit(settings):
    # Each test posts a few times from one address; the limit has its own test.
    settings.PARTICIPATION_RATE_LIMIT = "100/m"


@pytest.fixture
def story(story_index):
    return make_story(
        story_index,
        "Office stops taking calls",
        paragraphs=["Our reporter called on Tuesday."],
    )


@pytest.fixture
def editors(db):
    """Two editors who get report mail, one who opted out, one inactive."""
    return {
        "ana": make_user("ana", group="Editors", email="ana@newsroom.example.org"),
        "ben": make_user("ben", group="Editors", email="ben@newsroom.example.org"),
        "opted_out": make_user(
            "olga", group="Editors", email="olga@newsroom.example.org"
        ),
        "inactive": make_user(
            "ivan", group="Editors", email="ivan@newsroom.example.org", is_active=False
        ),
    }


@pytest.fixture(autouse=True)
def _opt_out(request):
    if "editors" in request.fixturenames:
        editors = request.getfixturevalue("editors")
        MailPreferences.objects.create(user=editors["opted_out"], new_reports=False)


def report_url(page):
    return reverse("report_error", args=[page.pk])


def report_data(**fields):
    return {
        "what_is_wrong": REPORT_TEXT,
        "where": "The second paragraph",
        "name": READER_NAME,
        "email": READER_EMAIL,
        "wants_outcome": "on",
        "website": "",
        **fields,
    }


def send_report(client, page, **fields):
    return client.post(report_url(page), report_data(**fields))


def make_report(page, **fields):
    fields = {
        "what_is_wrong": REPORT_TEXT,
        "name": READER_NAME,
        "email": READER_EMAIL,
        "wants_outcome": True,
        **fields,
    }
    return CorrectionRequest.objects.create(page=page, page_url=page.url, **fields)


def text_and_html(message):
    html = [body for body, kind in message.alternatives if kind == "text/html"]
    assert len(html) == 1, "every message has one HTML part"
    return message.body, html[0]


# --- The reader's form --------------------------------------------------------------


def test_the_form_names_the_story_and_links_back(client, story):
    response = client.get(report_url(story))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Report an error" in html
    assert story.title in html
    assert f'href="{story.url}"' in html
    assert "csrfmiddlewaretoken" in html
    assert "no-cache" in response["Cache-Control"]


def test_a_tracker_can_be_reported_too(client, home_page):
    tracker = make_tracker(home_page, "Sanctuary policy")

    response = send_report(client, tracker)

    assert response.status_code == 302
    assert CorrectionRequest.objects.get().page_id == tracker.pk


def test_a_report_is_saved_announced_and_answered_with_a_redirect(client, story):
    response = send_report(client, story)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("report_sent"))
    report = CorrectionRequest.objects.get()
    assert report.page_id == story.pk
    assert report.page_url == story.url
    assert report.what_is_wrong == REPORT_TEXT
    assert report.status == CorrectionRequest.Status.NEW
    assert report.wants_outcome
    queued = DBTaskResult.objects.filter(task_path__endswith="announce_report")
    assert [task.args_kwargs["args"] for task in queued] == [[report.pk]]


def test_the_thanks_page_says_what_happens_next_and_shows_nothing_sent(client, story):
    response = send_report(client, story)
    thanks = client.get(response["Location"])

    assert thanks.status_code == 200
    html = thanks.content.decode()
    assert "What happens next" in html
    assert "emailed you an acknowledgement" in html
    assert story.title in html
    for private in (REPORT_TEXT, READER_NAME, READER_EMAIL):
        assert private not in html
    assert "no-cache" in thanks["Cache-Control"]


def test_without_an_address_the_thanks_page_says_no_mail_was_sent(client, story):
    response = send_report(client, story, email="", wants_outcome="", name="")

    thanks = client.get(response["Location"])
    assert "You left no email address" in thanks.content.decode()


def test_a_report_without_text_is_refused_with_a_message(client, story):
    response = send_report(client, story, what_is_wrong="   ")

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_a_report_too_long_is_refused_with_a_message(client, story):
    response = send_report(client, story, what_is_wrong="x" * 4001)

    assert "at most 4000 characters" in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_asking_for_the_outcome_needs_an_email_address(client, story):
    response = send_report(client, story, email="")

    assert response.status_code == 200
    assert OUTCOME_NEEDS_EMAIL in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_a_report_with_a_broken_address_says_so(client, story):
    response = send_report(client, story, email="not-an-address")

    assert "Enter a valid email address." in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_a_draft_story_cannot_be_reported(client, story_index):
    draft = make_story(story_index, "Not yet out", publish=False)

    assert client.get(report_url(draft)).status_code == 404
    assert send_report(client, draft).status_code == 404
    assert not CorrectionRequest.objects.exists()


def test_a_story_behind_a_view_restriction_cannot_be_reported(client, story):
    PageViewRestriction.objects.create(
        page=story, restriction_type="password", password="secret"
    )

    assert client.get(report_url(story)).status_code == 404


def test_other_pages_and_unknown_ids_cannot_be_reported(client, story_index):
    assert client.get(report_url(story_index)).status_code == 404
    assert client.get(report_url(story_index.get_parent())).status_code == 404
    assert client.get("/report/999999/").status_code == 404
    assert client.get(f"/report/{10**30}/").status_code == 404


def test_a_withdrawn_story_may_still_be_reported(client, story, editor):
    make_update(story, "We cannot stand by this story.", kind="withdrawal")

    assert client.get(report_url(story)).status_code == 200
    # Its tombstone links to the form; there is nothing more to follow.
    tombstone = client.get(story.url)
    assert tombstone.status_code == 410
    html = tombstone.content.decode()
    assert f'href="{report_url(story)}"' in html
    assert "/follow/" not in html


def test_the_honeypot_refuses_a_bot_with_the_message(client, story):
    response = send_report(client, story, website="https://spam.example.net")

    assert response.status_code == 400
    assert BOT_MESSAGE in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_too_many_reports_from_one_address_get_a_429_that_says_why(
    client, story, settings
):
    settings.PARTICIPATION_RATE_LIMIT = "2/m"

    statuses = [send_report(client, story).status_code for _ in range(2)]
    refused = send_report(client, story)

    assert statuses == [302, 302]
    assert refused.status_code == 429
    assert "sent too many times from your address" in refused.content.decode()
    assert CorrectionRequest.objects.count() == 2


def test_the_form_page_takes_a_bounded_number_of_queries(
    client, story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get(report_url(story)).status_code == 200
    with django_assert_max_num_queries(20):
        assert send_report(client, story).status_code == 302


# --- Mail about a new report -------------------------------------------------------


def test_each_editor_who_wants_it_gets_the_report_with_an_admin_link(
    client, story, editors, reporter
):
    send_report(client, story)
    mail.outbox.clear()

    run_background_tasks()

    report = CorrectionRequest.objects.get()
    to_editors = [m for m in mail.outbox if m.to[0].endswith("@newsroom.example.org")]
    assert sorted(m.to[0] for m in to_editors) == [
        "ana@newsroom.example.org",
        "ben@newsroom.example.org",
    ]
    text, html = text_and_html(to_editors[0])
    admin_link = f"http://testserver/admin/snippets/participation/correctionrequest/edit/{report.pk}/"
    for part in (text, html):
        assert REPORT_TEXT in part
        assert story.title in part
        assert admin_link in part
    assert to_editors[0].reply_to == [READER_EMAIL]


def test_the_reader_who_gave_an_address_gets_an_acknowledgement_once(
    client, story, editors
):
    send_report(client, story)

    run_background_tasks()
    # A second announcement (a retry) does not acknowledge again.
    report = CorrectionRequest.objects.get()
    enqueue(report_tasks.announce_report, report.pk)
    run_background_tasks()

    to_reader = [m for m in mail.outbox if m.to == [READER_EMAIL]]
    assert len(to_reader) == 1
    text, html = text_and_html(to_reader[0])
    assert story.title in text
    assert "We do not publish your report" in html
    report.refresh_from_db()
    assert report.acknowledged_at is not None


def test_no_acknowledgement_without_an_address(client, story, editors):
    send_report(client, story, email="", wants_outcome="")

    run_background_tasks()

    assert all(m.to[0].endswith("@newsroom.example.org") for m in mail.outbox)
    assert CorrectionRequest.objects.get().acknowledged_at is None


# --- The inbox ---------------------------------------------------------------------


def edit_url(report):
    return reverse(
        "wagtailsnippets_participation_correctionrequest:edit", args=[report.pk]
    )


LIST_URL = "/admin/snippets/participation/correctionrequest/"


def inbox_data(report, *, notes=(), decision=True, **fields):
    """The edit form as the browser sends it; `decision=False` as a reporter's
    browser does, which sends no disabled field."""
    existing = [{"id": note.pk, "text": note.text} for note in report.notes.all()]
    data = {
        "notes": inline_formset(
            existing + [{"id": "", "text": text} for text in notes],
            initial=len(existing),
        )
    }
    if decision:
        data.update(
            {
                "status": report.status,
                "correction": report.correction_id or "",
                "duplicate_of": report.duplicate_of_id or "",
                "reason": report.reason,
            }
        )
    data.update(fields)
    return nested_form_data(data)


def test_reporters_read_the_inbox_and_add_notes_signed_with_their_name(
    reporter_client, reporter, story
):
    report = make_report(story)

    listing = reporter_client.get(LIST_URL)
    assert listing.status_code == 200
    assert story.title in listing.content.decode()

    response = reporter_client.post(
        edit_url(report),
        inbox_data(report, notes=["Checked the call log: Monday."], decision=False),
    )

    assert response.status_code == 302
    note = CorrectionRequestNote.objects.get()
    assert note.author == reporter
    assert note.text == "Checked the call log: Monday."


def test_the_decision_fields_are_disabled_for_reporters(reporter_client, story):
    report = make_report(story)

    form = reporter_client.get(edit_url(report)).context["form"]

    assert all(form.fields[name].disabled for name in ("status", "reason"))
    assert not form.can_decide


def test_a_reporter_posting_a_status_change_is_refused(reporter_client, story):
    report = make_report(story)

    response = reporter_client.post(
        edit_url(report),
        inbox_data(report, status="declined", reason="Not an error."),
    )

    assert response.status_code == 200
    assert NOT_YOURS_TO_DECIDE in response.context["form"].non_field_errors()
    assert "Only editors can change" in response.content.decode()
    report.refresh_from_db()
    assert report.status == CorrectionRequest.Status.NEW
    assert report.reason == ""


def test_nobody_adds_a_report_in_the_admin(editor_client, story):
    listing = editor_client.get(LIST_URL)
    assert f'href="{LIST_URL}add/"' not in listing.content.decode()
    assert editor_client.get(LIST_URL + "add/").status_code in {302, 403}


def test_the_inbox_lists_open_reports_first_oldest_first(editor_client, story):
    now = timezone.now()
    days = timezone.timedelta(days=1)
    newer_open = make_report(story, what_is_wrong="Newer open report")
    newer_open.received_at = now - days
    newer_open.save()
    older_open = make_report(story, what_is_wrong="Older open report")
    older_open.received_at = now - 3 * days
    older_open.save()
    declined = make_report(
        story, what_is_wrong="Oldest declined report", status="declined", reason="No."
    )
    declined.received_at = now - 9 * days
    declined.save()

    html = editor_client.get(LIST_URL).content.decode()

    positions = [
        html.index(text)
        for text in ("Older open report", "Newer open report", "Oldest declined")
    ]
    assert positions == sorted(positions)


def test_the_inbox_filters_by_status(editor_client, story):
    make_report(story, what_is_wrong="Still new")
    make_report(story, what_is_wrong="Turned down", status="declined", reason="No.")

    html = editor_client.get(LIST_URL, {"status": "declined"}).content.decode()

    assert "Turned down" in html
    assert "Still new" not in html


def test_the_menu_counts_the_open_reports(editor_client, story):
    make_report(story)
    make_report(story)
    make_report(story, status="declined", reason="No.")

    html = editor_client.get("/admin/").content.decode()

    assert "Reader reports (2)" in html


def test_an_editor_corrects_a_report_and_the_reader_is_told_once(
    editor_client, story, editor
):
    publish_new_version(story, paragraphs=["Our reporter called on Monday."])
    correction = make_update(
        story, "We had the day of the call wrong: it was Monday.", kind="correction"
    )
    report = make_report(story)

    response = editor_client.post(
        edit_url(report),
        inbox_data(report, status="corrected", correction=correction.pk),
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == CorrectionRequest.Status.CORRECTED
    assert report.correction == correction
    assert report.resolved_at is not None
    run_background_tasks()
    outcome = [m for m in mail.outbox if m.to == [READER_EMAIL]]
    assert len(outcome) == 1
    text, html = text_and_html(outcome[0])
    versions = story.revisions.order_by("pk").values_list("pk", flat=True)
    story_url = f"http://testserver{story.url}"
    for part in (text, html):
        assert "We had the day of the call wrong: it was Monday." in part
        assert f"{story_url}#update-{correction.pk}" in part
        assert f"{story_url}history/{versions[0]}/{versions[1]}/" in part
    report.refresh_from_db()
    assert report.outcome_sent_at is not None

    # Saving the decision again, or reopening and resolving, sends nothing more.
    editor_client.post(edit_url(report), inbox_data(report, reason="Fixed."))
    editor_client.post(edit_url(report), inbox_data(report, status="investigating"))
    report.refresh_from_db()
    assert report.resolved_at is None
    editor_client.post(
        edit_url(report),
        inbox_data(report, status="corrected", correction=correction.pk),
    )
    run_background_tasks()
    assert len([m for m in mail.outbox if m.to == [READER_EMAIL]]) == 1


def test_a_declined_report_sends_the_editors_reason(editor_client, story):
    report = make_report(story)

    editor_client.post(
        edit_url(report),
        inbox_data(
            report,
            status="declined",
            reason="The story says Monday; the reader read an older version.",
        ),
    )
    run_background_tasks()

    (outcome,) = [m for m in mail.outbox if m.to == [READER_EMAIL]]
    for part in text_and_html(outcome):
        assert "read an older version" in part
    assert "declined" in outcome.subject


def test_a_duplicate_report_is_told_the_earlier_ones_outcome(editor_client, story):
    earlier = make_report(
        story,
        what_is_wrong="Someone else's words",
        email="first@example.org",
        status="declined",
        reason="We checked the recording.",
    )
    report = make_report(story)

    editor_client.post(
        edit_url(report),
        inbox_data(report, status="duplicate", duplicate_of=earlier.pk),
    )
    run_background_tasks()

    (outcome,) = [m for m in mail.outbox if m.to == [READER_EMAIL]]
    text, html = text_and_html(outcome)
    assert "already told us" in text
    assert "We checked the recording." in text
    # Never another reader's words or address.
    assert "Someone else's words" not in text + html
    assert "first@example.org" not in text + html


def test_no_outcome_mail_when_the_reader_did_not_ask(editor_client, story):
    report = make_report(story, wants_outcome=False)

    editor_client.post(
        edit_url(report), inbox_data(report, status="declined", reason="No error.")
    )
    run_background_tasks()

    assert not [m for m in mail.outbox if m.to == [READER_EMAIL]]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"status": "corrected"}, "correction", "Choose the published correction"),
        ({"status": "declined", "reason": " "}, "reason", "Say why the report"),
        ({"status": "duplicate"}, "duplicate_of", "Choose the earlier report"),
    ],
)
def test_each_decision_needs_what_it_stands_on(
    editor_client, story, fields, field, message
):
    report = make_report(story)

    response = editor_client.post(edit_url(report), inbox_data(report, **fields))

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    report.refresh_from_db()
    assert report.status == CorrectionRequest.Status.NEW


def test_the_correction_must_be_a_published_one_of_the_same_story(
    editor_client, story, story_index
):
    other = make_story(story_index, "Another story")
    elsewhere = make_update(other, "Fixed a name.", kind="correction")
    draft = make_update(story, "Not out yet.", kind="correction", publish=False)
    report = make_report(story)

    for update in (elsewhere, draft):
        response = editor_client.post(
            edit_url(report),
            inbox_data(report, status="corrected", correction=update.pk),
        )
        assert response.status_code == 200
        assert response.context["form"].errors["correction"]
    choices = response.context["form"].fields["correction"].queryset
    assert list(choices) == []


def test_a_report_cannot_duplicate_itself(story):
    report = make_report(story)
    report.status = "duplicate"
    report.duplicate_of = report

    with pytest.raises(Exception, match="cannot duplicate itself"):
        report.full_clean()


# --- Privacy ------------------------------------------------------------------------


def test_no_public_page_shows_a_report(client, story, editor_client):
    correction = make_update(story, "A correction.", kind="correction")
    send_report(client, story)
    report = CorrectionRequest.objects.get()
    note = "Reporter's private note: qwertyplum."
    editor_client.post(
        edit_url(report),
        inbox_data(report, notes=[note], status="corrected", correction=correction.pk),
    )
    client.logout()

    private = ("zanzibarquill", READER_NAME, READER_EMAIL, "qwertyplum")
    for url in [story.url, reverse("corrections"), story.url + "history/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for words in private:
            assert words not in html, (url, words)
    # Search says back what was asked, and finds nothing for it.
    for query in ("zanzibarquill", READER_NAME.split()[1], "qwertyplum"):
        response = client.get("/search/", {"q": query})
        html = response.content.decode()
        assert response.status_code == 200
        assert 'class="search__result"' not in html, query
        for words in private:
            assert words == query or words not in html, (query, words)


# --- Demo ---------------------------------------------------------------------------


@pytest.mark.slow
def test_the_demo_has_reports_in_each_state_and_a_second_run_adds_none(db, monkeypatch):
    monkeypatch.setenv("DEMO_REPORTER_PASSWORD", "reporter-pass-123")
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "editor-pass-456")
    call_command("load_demo", stdout=io.StringIO())
    first = list(
        CorrectionRequest.objects.values_list(
            "pk", "status", "correction_id", "resolved_at"
        ).order_by("pk")
    )
    call_command("load_demo", stdout=io.StringIO())

    assert (
        list(
            CorrectionRequest.objects.values_list(
                "pk", "status", "correction_id", "resolved_at"
            ).order_by("pk")
        )
        == first
    )
    statuses = {status for _pk, status, *_ in first}
    assert statuses == {"new", "investigating", "corrected", "declined"}
    corrected = CorrectionRequest.objects.get(status="corrected")
    assert corrected.correction.kind == "correction"
    assert corrected.correction.story_id == corrected.page_id
    assert CorrectionRequestNote.objects.filter(
        request__status="investigating", author__username="reporter"
    ).exists()
    for report in CorrectionRequest.objects.all():
        assert (report.received_at.year, report.received_at.month) == (2017, 2)
        assert not report.email or report.email.endswith("@example.org")
    # The demo's reports are settled history: nothing is mailed for them.
    assert not DBTaskResult.objects.filter(task_path__contains="report_tasks").exists()
