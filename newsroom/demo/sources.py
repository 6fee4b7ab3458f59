"""Demo sources, statements and requests for comment from the case in shared/seeds.

Built in code and safe to run twice: every object is looked up by its natural key
first. Facts, names, dates and figures come from the seeds; the sentences are ours.
"""

import datetime

from django.contrib.auth import get_user_model

from newsroom.demo.stories import MIAMI
from newsroom.scaffold import backdate_update
from sources.models import (
    DatePrecision,
    Outcome,
    RequestChannel,
    RequestForComment,
    ReversalKind,
    Source,
    SourceKind,
    Statement,
    StatementChannel,
)
from stories.models import RecordEntry, record, redaction

MAYORS_OFFICE = "miami-dade-county-office-of-the-mayor"

SOURCES = [
    {
        "slug": MAYORS_OFFICE,
        "name": "Miami-Dade County Office of the Mayor",
        "kind": SourceKind.OFFICE,
        "description": "The county executive's office at County Hall.",
    },
    {
        "slug": "carlos-gimenez",
        "name": "Carlos Gimenez",
        "kind": SourceKind.PERSON,
        "role": "Mayor of Miami-Dade County",
        "organisation": MAYORS_OFFICE,
    },
    {
        "slug": "michael-a-hernandez",
        "name": "Michael A. Hernandez",
        "kind": SourceKind.PERSON,
        "role": "Spokesperson for the mayor",
        "organisation": MAYORS_OFFICE,
        "description": "Speaks for the mayor and oversees the county's 311 centre.",
    },
    {
        "slug": "miami-dade-311",
        "name": "Miami-Dade County 311 call centre",
        "kind": SourceKind.OFFICE,
        "public_phone": "311",
        "description": "The county's line for questions and complaints about services.",
    },
    {
        "slug": "miami-dade-county-commission",
        "name": "Miami-Dade County Commission",
        "kind": SourceKind.OFFICE,
        "description": "The county's legislative body, which passed the 2013 "
        "detainer rule unanimously.",
    },
    {
        "slug": "aclu-of-florida",
        "name": "ACLU of Florida",
        "kind": SourceKind.ORGANISATION,
    },
    {
        "slug": "southern-poverty-law-center",
        "name": "Southern Poverty Law Center",
        "kind": SourceKind.ORGANISATION,
    },
    {
        "slug": "coalition-of-48-groups",
        "name": "Coalition of 48 civil-rights groups",
        "kind": SourceKind.ORGANISATION,
        "description": "Civil-rights groups, experts and advocates, among them the "
        "Florida chapters of the ACLU and the Southern Poverty Law Center.",
    },
    {
        "slug": "lawyers-letter-on-the-lockdown",
        "name": "Lawyers' letter on the County Hall lockdown",
        "kind": SourceKind.DOCUMENT,
        "description": "The letter five lawyers sent the mayor on January 30, 2017, "
        "about the closing of County Hall during the protest of January 27.",
    },
    {
        "slug": "miami-herald-detainer-analysis",
        "name": "Miami Herald analysis of ICE detainer requests",
        "kind": SourceKind.DOCUMENT,
        "description": "The newspaper's count of detainer requests county jails "
        "received after the executive order.",
    },
]


def at(month, day, hour=0, minute=0):
    return datetime.datetime(2017, month, day, hour, minute, tzinfo=MIAMI)


NEVER_SANCTUARY = {
    "source": "carlos-gimenez",
    "said_at": at(1, 26),
    "precision": DatePrecision.DAY,
    "channel": StatementChannel.PRESS_RELEASE,
    "summary": "The mayor ordered county jails to honor detention requests from "
    "Immigration and Customs Enforcement, and held, as he long has, that "
    "Miami-Dade was never a sanctuary county.",
    # How our summary first read, until the redaction below corrected it.
    "first_summary": "The mayor ordered county jails to honor every request from "
    "federal immigration authorities, and held, as he long has, that Miami-Dade "
    "was never a sanctuary county.",
}

# The demo's redaction: our summary of the mayor's order overstated it, and the
# story quoted that summary, so correcting it goes through a public redaction.
CORRECTED_SUMMARY = {
    "at": at(2, 9, 10),
    "reason": "our summary overstated the order, which covers detention "
    "requests from ICE only",
}

STATEMENTS = [
    NEVER_SANCTUARY,
    {
        "source": "miami-herald-detainer-analysis",
        "said_at": at(2, 6),
        "precision": DatePrecision.DAY,
        "channel": StatementChannel.DOCUMENT,
        "summary": "County jails received 27 ICE detainer requests in the 11 days "
        "after the executive order, a pace of 1,000 to 1,500 this year; the "
        "county received about 2,000 in 2012.",
    },
    {
        "source": "michael-a-hernandez",
        "said_at": at(2, 6, 21),
        "precision": DatePrecision.DAY,
        "channel": StatementChannel.PHONE_CALL,
        "summary": "The spokesperson said the mayor's office was looking into why "
        "callers were being turned away.",
    },
    {
        "source": "michael-a-hernandez",
        "said_at": at(2, 7, 15),
        "precision": DatePrecision.DAY,
        "channel": StatementChannel.PHONE_CALL,
        "summary": "Some calls meant for the mayor's office had been sent on to the "
        "county's 311 centre, which caused the confusion. He oversees the centre "
        "himself, and its operators have been told to write down residents' "
        "comments.",
    },
    {
        "source": "coalition-of-48-groups",
        "said_at": at(2, 7),
        "precision": DatePrecision.DAY,
        "channel": StatementChannel.DOCUMENT,
        "summary": "In a letter to the county, the groups said the number of people "
        "held for ICE should be zero, and that honoring detainers could cost the "
        "county more than the federal money at stake, especially if people sue "
        "over unlawful detention.",
    },
]

# The reversal pair: what the mayor's front desk told callers on February 6,
# and what the office said through its spokesperson the next afternoon.
NO_PHONE_MESSAGES = {
    "source": MAYORS_OFFICE,
    "said_at": at(2, 6, 16, 15),
    "precision": DatePrecision.TIME,
    "channel": StatementChannel.PHONE_CALL,
    "summary": "A receptionist said staff had been told to stop taking phone "
    "messages about the sanctuary order, and to stop counting the calls, because "
    "so many had come in; an emailed statement was the only way to complain.",
}

STATEMENTS += [
    {
        "source": "lawyers-letter-on-the-lockdown",
        "said_at": at(1, 30),
        "precision": DatePrecision.DAY,
        "channel": StatementChannel.DOCUMENT,
        "summary": "Five lawyers wrote to the mayor that closing County Hall to the "
        "protesters of January 27 violated the First Amendment.",
    },
    NO_PHONE_MESSAGES,
    {
        "source": MAYORS_OFFICE,
        "said_at": at(2, 7, 15),
        "precision": DatePrecision.TIME,
        "channel": StatementChannel.PHONE_CALL,
        "summary": "Speaking for the office, the mayor's spokesperson said every "
        "311 operator has now been told to take down what callers want to say; "
        "calls for the mayor had at times been sent to the 311 centre by "
        "mistake.",
        "reverses": NO_PHONE_MESSAGES,
        "reversal_kind": ReversalKind.REVERSES,
    },
]

REQUESTS = [
    {
        "key": "office-call",
        "source": MAYORS_OFFICE,
        "asked_at": at(2, 6, 16, 15),
        "channel": RequestChannel.PHONE,
        "outcome": Outcome.REFUSED_MESSAGE,
        "answered_at": at(2, 6, 16, 15),
        "public_summary": "We asked to leave a message for the mayor. The employee "
        "who answered would not take one and said an emailed statement was the "
        "only way to complain.",
    },
    {
        "key": "spokesperson",
        "source": "michael-a-hernandez",
        "asked_at": at(2, 6, 17),
        "channel": RequestChannel.PHONE,
        "deadline": at(2, 7, 9),
        "outcome": Outcome.RESPONDED,
        "answered_at": at(2, 6, 21),
        "public_summary": "He said the office was looking into it.",
    },
    {
        "key": "rerouted",
        "source": MAYORS_OFFICE,
        "asked_at": at(2, 7, 10),
        "channel": RequestChannel.PHONE,
        "outcome": Outcome.REFERRED,
        "referred_to": "miami-dade-311",
        "answered_at": at(2, 7, 10),
        "public_summary": "Our call about the sanctuary order was not put through "
        "to the mayor's office; it was sent on to the 311 centre.",
    },
    {
        "key": "311-follow-up",
        "source": "miami-dade-311",
        "follow_up_of": "rerouted",
        "asked_at": at(2, 7, 10, 5),
        "channel": RequestChannel.PHONE,
        "deadline": at(2, 7, 17),
        "outcome": Outcome.NO_RESPONSE,
        "public_summary": "We asked the centre what it does with calls about the "
        "order and had no answer by our deadline.",
    },
    {
        "key": "office-explains-calls",
        "source": MAYORS_OFFICE,
        "asked_at": at(2, 7, 11, 30),
        "channel": RequestChannel.EMAIL,
        "deadline": at(2, 7, 17),
        "outcome": Outcome.RESPONDED,
        "answered_at": at(2, 7, 15),
        "public_summary": "We asked the office to explain why callers were turned "
        "away. Its spokesperson answered the same afternoon.",
    },
    {
        "key": "commission",
        "source": "miami-dade-county-commission",
        "asked_at": at(2, 7, 11),
        "channel": RequestChannel.EMAIL,
        "deadline": at(2, 7, 17),
        "outcome": Outcome.NO_RESPONSE,
        "public_summary": "We asked about the February 17 meeting on the order.",
    },
    {
        "key": "lockdown",
        "source": MAYORS_OFFICE,
        "story": "county-hall-locked-down-as-protesters-gather",
        "asked_at": at(1, 27, 11, 30),
        "channel": RequestChannel.EMAIL,
        "deadline": at(1, 27, 15),
        "outcome": Outcome.NO_RESPONSE,
        "public_summary": "We asked why County Hall was closed to the public during "
        "the protest and who had ordered it.",
    },
    {
        "key": "lawyers-letter",
        "source": MAYORS_OFFICE,
        "story": "lawyers-say-county-hall-lockdown-broke-the-first-amendment",
        "asked_at": at(1, 30, 15),
        "channel": RequestChannel.EMAIL,
        "deadline": at(1, 30, 18),
        "outcome": Outcome.DECLINED,
        "answered_at": at(1, 30, 17, 10),
        "public_summary": "We asked for the mayor's answer to the lawyers' letter.",
    },
    {
        "key": "before-the-meeting",
        "source": MAYORS_OFFICE,
        "story": "commission-meets-on-overturning-the-detainer-order",
        "asked_at": at(2, 16, 10),
        "channel": RequestChannel.EMAIL,
        "deadline": at(2, 16, 18),
        "outcome": Outcome.NO_RESPONSE,
        "public_summary": "We asked whether the mayor would defend his order before "
        "the commission on February 17.",
    },
    # Still pending: the mayor never answered and we never closed the request,
    # so, with its deadline years behind it, the source page shows it overdue.
    {
        "key": "checkpoints-rumor",
        "source": "carlos-gimenez",
        "story": "commission-meets-on-overturning-the-detainer-order",
        "asked_at": at(2, 6, 17, 30),
        "channel": RequestChannel.EMAIL,
        "deadline": at(2, 8, 12),
        "outcome": Outcome.PENDING,
        "public_summary": "We asked the mayor, by email as his office requires, what "
        "he based his claim on that Tomas Kennedy made up a rumor of ICE "
        "checkpoints in Miami.",
    },
]


def ensure_sources():
    sources = {}
    for spec in SOURCES:
        fields = dict(spec)
        if organisation := fields.pop("organisation", None):
            fields["organisation"] = sources[organisation]
        source, created = Source.objects.get_or_create(
            slug=fields["slug"], defaults={**fields, "live": False}
        )
        if created:
            source.save_revision().publish()
            source.refresh_from_db()
        sources[source.slug] = source
    return sources


def ensure_statement(spec, sources, tracker=None):
    fields = {**spec, "source": sources[spec["source"]], "tracker": tracker}
    statement = Statement.objects.filter(
        source=fields["source"], said_at=fields["said_at"]
    ).first()
    if statement:
        return statement, False
    if first_summary := fields.pop("first_summary", None):
        fields["summary"] = first_summary
    if earlier := fields.pop("reverses", None):
        fields["earlier_statement"] = Statement.objects.get(
            source=sources[earlier["source"]], said_at=earlier["said_at"]
        )
    statement = Statement(live=False, **fields)
    # The model's checks hold the reversal pair to the same source, earlier first.
    statement.full_clean()
    statement.save()
    with record.as_of(fields["said_at"]):
        statement.save_revision().publish()
    statement.refresh_from_db()
    return statement, True


def ensure_redaction(stdout, statement):
    """Correct the quoted summary of the mayor's order, in public."""
    if RecordEntry.objects.filter(kind=RecordEntry.Kind.REDACTION).exists():
        return
    editor = get_user_model().objects.filter(username="editor").first()
    target = redaction.Target(
        statement_id=statement.pk,
        description=f"our summary of a statement by {statement.source.name}",
    )

    def apply():
        statement.summary = NEVER_SANCTUARY["summary"]
        statement.save_revision(user=editor).publish(user=editor)

    when = CORRECTED_SUMMARY["at"]
    with record.as_of(when):
        outcome = redaction.redact(target, CORRECTED_SUMMARY["reason"], editor, apply)
    for note in outcome.notes:
        backdate_update(note, when)
    stdout.write(f"Redaction published on {len(outcome.stories)} story.")


def ensure_request(spec, sources, story, requests, tracker=None, stories=None):
    """`story` unless the spec names another of `stories` by its slug."""
    fields = {k: v for k, v in spec.items() if k not in {"key", "story"}}
    if "story" in spec:
        story = stories[spec["story"]]
    fields["source"] = sources[fields["source"]]
    if referred_to := fields.get("referred_to"):
        fields["referred_to"] = sources[referred_to]
    if follow_up_of := fields.get("follow_up_of"):
        fields["follow_up_of"] = requests[follow_up_of]
    existing = RequestForComment.objects.filter(
        source=fields["source"], asked_at=fields["asked_at"]
    ).first()
    if existing:
        return existing, False
    request = RequestForComment(
        story=story,
        tracker=tracker,
        asked_by=get_user_model().objects.filter(username="reporter").first(),
        **fields,
    )
    request.full_clean()
    request.save()
    with record.as_of(fields["asked_at"]):
        request.save_revision().publish()
    return request, True


def build_sources(stdout, tracker=None):
    """Sources and their statements, on `tracker`'s timeline when given; returns
    the statement the demo story quotes."""
    sources = ensure_sources()
    statements = [ensure_statement(spec, sources, tracker) for spec in STATEMENTS]
    stdout.write(
        f"Sources: {len(sources)}; statements added: "
        f"{sum(made for _s, made in statements)}."
    )
    return statements[0][0]


def build_requests(stdout, story, tracker=None, stories=None):
    """Requests for comment on `tracker`, made for the demo story or the one of
    `stories` (by slug) that their spec names."""
    sources = {source.slug: source for source in Source.objects.all()}
    requests = {}
    created = 0
    for spec in REQUESTS:
        requests[spec["key"]], was_created = ensure_request(
            spec, sources, story, requests, tracker, stories
        )
        created += was_created
    stdout.write(f"Requests for comment added: {created}.")
