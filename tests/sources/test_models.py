"""Validation of sources, statements and requests, with the messages staff see."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sources.models import Outcome, RequestForComment, ReversalKind, Statement
from tests.factories import make_request, make_source, make_statement

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_an_answer_before_the_request_is_rejected_with_a_clear_message():
    request = RequestForComment(
        source=make_source(),
        asked_at=NOW,
        channel="phone",
        outcome=Outcome.RESPONDED,
        answered_at=NOW - datetime.timedelta(hours=1),
    )

    assert "cannot come before the request" in errors_of(request)["answered_at"][0]


def test_a_referral_without_a_target_is_rejected():
    request = RequestForComment(
        source=make_source(), asked_at=NOW, channel="phone", outcome=Outcome.REFERRED
    )

    assert "needs a target" in errors_of(request)["referred_to"][0]


def test_a_response_needs_the_time_it_came():
    request = RequestForComment(
        source=make_source(), asked_at=NOW, channel="email", outcome=Outcome.RESPONDED
    )

    assert "when the response came" in errors_of(request)["answered_at"][0]


def test_a_follow_up_must_go_to_the_office_the_referral_named():
    office, centre, other = make_source(), make_source(), make_source()
    referral = make_request(
        office, outcome=Outcome.REFERRED, referred_to=centre, answered_at=NOW
    )
    follow_up = RequestForComment(
        source=other, asked_at=NOW, channel="phone", follow_up_of=referral
    )

    assert "not to this source" in errors_of(follow_up)["follow_up_of"][0]
    follow_up.source = centre
    follow_up.full_clean()


def test_a_statement_dated_in_the_future_is_rejected():
    statement = Statement(
        source=make_source(),
        said_at=NOW + datetime.timedelta(days=2),
        channel="press_release",
        quote="Soon.",
    )

    assert "in the future" in errors_of(statement)["said_at"][0]


def test_a_statement_needs_words_or_a_summary():
    statement = Statement(source=make_source(), said_at=NOW, channel="phone_call")

    assert "words" in errors_of(statement)["quote"][0]


def test_a_reversal_must_pair_an_earlier_statement_of_the_same_source():
    mayor, spokesperson = make_source(), make_source()
    earlier = make_statement(mayor, said_at=NOW - datetime.timedelta(days=3))
    other_source = Statement(
        source=spokesperson,
        said_at=NOW,
        channel="phone_call",
        quote="Different.",
        earlier_statement=earlier,
        reversal_kind=ReversalKind.REVERSES,
    )
    assert "same source" in errors_of(other_source)["earlier_statement"][0]

    backwards = Statement(
        source=mayor,
        said_at=NOW - datetime.timedelta(days=5),
        channel="phone_call",
        quote="Before.",
        earlier_statement=earlier,
        reversal_kind=ReversalKind.CONTRADICTS,
    )
    assert "must be earlier" in errors_of(backwards)["earlier_statement"][0]


def test_public_querysets_leave_out_confidential_drafts_and_private_requests():
    public, hidden = make_source(), make_source(is_confidential=True)
    live = make_statement(public)
    make_statement(public, publish=False)
    make_statement(public, on_the_record=False)
    make_statement(hidden)
    shown = make_request(public)
    make_request(public, is_public=False)
    make_request(hidden)

    assert list(Statement.objects.visible_to_readers()) == [live]
    assert list(RequestForComment.objects.visible_to_readers()) == [shown]


def test_late_responses_and_referrals_read_as_plain_sentences():
    centre = make_source("311 call centre")
    late = make_request(
        make_source(),
        asked_at=NOW - datetime.timedelta(days=2),
        deadline=NOW - datetime.timedelta(days=1),
        outcome=Outcome.RESPONDED,
        answered_at=NOW,
    )
    referred = make_request(
        make_source(), outcome=Outcome.REFERRED, referred_to=centre, answered_at=NOW
    )
    silent = make_request(
        make_source(),
        deadline=NOW + datetime.timedelta(hours=1),
        outcome=Outcome.NO_RESPONSE,
    )

    assert late.public_outcome == "Responded after the deadline"
    assert referred.public_outcome == "Referred callers to 311 call centre"
    assert silent.public_outcome == "Did not respond by the deadline"


@pytest.mark.parametrize(
    ("outcome", "deadline", "overdue"),
    [
        (Outcome.PENDING, NOW - datetime.timedelta(days=3000), True),
        (Outcome.PENDING, NOW + datetime.timedelta(hours=2), False),
        (Outcome.PENDING, None, False),
        (Outcome.NO_RESPONSE, NOW - datetime.timedelta(days=3000), False),
    ],
)
def test_only_a_pending_request_past_its_deadline_is_overdue(
    outcome, deadline, overdue
):
    request = RequestForComment(
        asked_at=NOW - datetime.timedelta(days=3001),
        channel="email",
        deadline=deadline,
        outcome=outcome,
    )

    assert request.is_overdue is overdue
