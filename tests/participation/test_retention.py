"""purge_participation: what reader participation keeps, and for how long."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from participation.models import CorrectionRequest, Follow, Subscriber
from tests.factories import make_story

Status = CorrectionRequest.Status


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def purge():
    out = StringIO()
    call_command("purge_participation", stdout=out)
    return out.getvalue()


@pytest.fixture
def follows(story_index, settings):
    """Follows confirmed or not, old or new, of three addresses."""
    settings.FOLLOW_CONFIRM_DAYS = 7
    story, other = make_story(story_index), make_story(story_index)
    stale = Subscriber.objects.create(email="stale@reader.example")
    mixed = Subscriber.objects.create(email="mixed@reader.example")
    fresh = Subscriber.objects.create(email="fresh@reader.example")
    Follow.objects.create(subscriber=stale, page=story, created_at=ago(days=8))
    Follow.objects.create(subscriber=mixed, page=story, created_at=ago(days=30))
    Follow.objects.create(
        subscriber=mixed, page=other, created_at=ago(days=40), confirmed_at=ago(days=39)
    )
    Follow.objects.create(subscriber=fresh, page=story, created_at=ago(days=6))
    return story, other


def test_unconfirmed_follows_past_the_confirmation_days_go_with_empty_subscribers(
    follows,
):
    story, other = follows

    output = purge()

    assert set(Follow.objects.values_list("subscriber__email", "page")) == {
        ("mixed@reader.example", other.pk),
        ("fresh@reader.example", story.pk),
    }
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "mixed@reader.example",
        "fresh@reader.example",
    }
    assert "Deleted 2 unconfirmed follow(s) older than 7 days." in output
    assert "Deleted 1 subscriber(s) following nothing." in output


def test_a_subscriber_who_unsubscribed_from_everything_is_deleted(db):
    Subscriber.objects.create(email="left@reader.example")

    purge()

    assert not Subscriber.objects.exists()


def report(status, resolved_days_ago=None, **fields):
    fields.setdefault("received_at", ago(days=(resolved_days_ago or 0) + 3))
    return CorrectionRequest.objects.create(
        what_is_wrong="KEPT-TEXT the figure is wrong",
        name="Perpetua Hollins",
        email="perpetua@reader.example",
        status=status,
        resolved_at=ago(days=resolved_days_ago) if resolved_days_ago else None,
        **fields,
    )


def test_contacts_on_reports_decided_past_retention_are_blanked_and_the_rest_kept(
    db, settings
):
    settings.REPORT_CONTACT_RETENTION_DAYS = 30
    expired = [
        report(Status.CORRECTED, 31),
        report(Status.DECLINED, 400),
        report(Status.DUPLICATE, 31),
    ]
    recent = report(Status.DECLINED, 29)
    # Open reports keep their reader's address, however old: the outcome is
    # still to be sent.
    still_open = report(Status.INVESTIGATING, received_at=ago(days=900))

    output = purge()

    for kept in expired:
        kept.refresh_from_db()
        assert (kept.name, kept.email) == ("", "")
        assert kept.what_is_wrong == "KEPT-TEXT the figure is wrong"
    for untouched in (recent, still_open):
        untouched.refresh_from_db()
        assert untouched.email == "perpetua@reader.example"
    assert "on 3 report(s) decided more than 30 days ago." in output


def test_a_second_run_finds_nothing_to_do(follows, settings):
    settings.REPORT_CONTACT_RETENTION_DAYS = 30
    report(Status.CORRECTED, 31)
    purge()
    rows = (
        list(Follow.objects.values_list("pk", flat=True)),
        list(Subscriber.objects.values_list("pk", flat=True)),
        list(CorrectionRequest.objects.values_list("pk", "name", "email")),
    )

    output = purge()

    assert "Deleted 0 unconfirmed follow(s)" in output
    assert "Deleted 0 subscriber(s)" in output
    assert "on 0 report(s)" in output
    assert rows == (
        list(Follow.objects.values_list("pk", flat=True)),
        list(Subscriber.objects.values_list("pk", flat=True)),
        list(CorrectionRequest.objects.values_list("pk", "name", "email")),
    )
