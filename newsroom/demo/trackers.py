"""The demo tracker: its key figures and dated events, from the case in shared/seeds.

Facts, names, dates and figures come from the seeds; the sentences are ours.
"""

import datetime
from decimal import Decimal

from newsroom.demo.stories import MIAMI
from newsroom.scaffold import ensure_tracker_index
from sources.models import Source, Statement
from trackers.models import (
    EventKind,
    Precision,
    TimelineEvent,
    TrackerFigure,
    TrackerPage,
)

TRACKER = {
    "slug": "county-sanctuary-policy-reversal",
    "title": "County sanctuary policy reversal",
    "summary": (
        "Miami-Dade's mayor set aside the county's 2013 limits on holding people "
        "for immigration agents the day after a federal executive order. We follow "
        "the decision, the response to it and the county commission's review."
    ),
}

# Each label is one series of comparable readings (same unit, same date
# precision): the yearly total and the 11-day count are different measures.
TRACKER_FIGURES = [
    {
        "label": "ICE detainer requests received by county jails in a year",
        "value": Decimal(2000),
        "unit": "requests",
        "period": "in all of 2012",
        "as_of": datetime.date(2012, 12, 31),
        "precision": Precision.YEAR,
        "source": "Miami Herald analysis",
    },
    {
        "label": "ICE detainer requests in the 11 days after the executive order",
        "value": Decimal(27),
        "unit": "requests",
        "period": "Jan. 25 to Feb. 5, 2017",
        "as_of": datetime.date(2017, 2, 6),
        "precision": Precision.DAY,
        "source": "Miami Herald analysis",
    },
    {
        "label": "People the county is on pace to hold for ICE in 2017",
        "value": Decimal(1000),
        "value_to": Decimal(1500),
        "unit": "people",
        "period": "projection for the year",
        "as_of": datetime.date(2017, 2, 6),
        "precision": Precision.DAY,
        "source": "Miami Herald analysis",
    },
]

# `links` name a story ("story"), a statement (source slug and time said) or a
# source (slug); they are resolved once the rest of the demo exists.
TRACKER_EVENTS = [
    {
        "kind": EventKind.VOTE,
        "precision": Precision.YEAR,
        "start_date": datetime.date(2013, 1, 1),
        "title": "County commission limits detentions for ICE, unanimously",
        "description": "The commission's rule has county jails turn down "
        "immigration detention requests unless the federal government pays for "
        "the extra time in custody.",
        "source": "miami-dade-county-commission",
    },
    {
        "kind": EventKind.DECISION,
        "start_date": datetime.date(2017, 1, 25),
        "title": "President signs order against sanctuary jurisdictions",
        "description": "Donald Trump's executive order threatens federal funding "
        "for places that do not cooperate with immigration detainers.",
    },
    {
        "kind": EventKind.DECISION,
        "start_date": datetime.date(2017, 1, 26),
        "title": "Mayor tells county jails to honor ICE detainers",
        "description": "Carlos Gimenez sets aside the 2013 rule, the first county "
        "executive to comply with the order.",
        "statement": ("carlos-gimenez", datetime.datetime(2017, 1, 26, tzinfo=MIAMI)),
    },
    {
        "kind": EventKind.PROTEST,
        "precision": Precision.TIME,
        "start_date": datetime.date(2017, 1, 27),
        "start_time": datetime.time(11, 0),
        "title": "Protest at County Hall; the building is locked down",
        "description": "Police close roads, doors are barred and the nearby "
        "Metromover station shuts. U.S. Rep. Keith Ellison is briefly kept from "
        "the mayor's office.",
    },
    {
        "kind": EventKind.LETTER,
        "start_date": datetime.date(2017, 1, 30),
        "title": "Five lawyers: the lockdown broke the First Amendment",
        "description": "Their letter to the mayor says closing County Hall to "
        "protesters violated their rights.",
    },
    {
        "kind": EventKind.DATA_RELEASE,
        "start_date": datetime.date(2017, 2, 6),
        "title": "27 detainer requests in 11 days",
        "description": "The Miami Herald's count puts the county on pace to hold "
        "1,000 to 1,500 people for ICE this year, against about 2,000 requests "
        "in 2012.",
        "source": "miami-herald-detainer-analysis",
    },
    {
        "kind": EventKind.OTHER,
        "precision": Precision.TIME,
        "start_date": datetime.date(2017, 2, 6),
        "start_time": datetime.time(16, 15),
        "title": "Mayor's office stops taking calls about the order",
        "description": "Callers, our reporter among them, are told to send an "
        "email instead of leaving a message.",
        "story": True,
    },
    {
        "kind": EventKind.LETTER,
        "start_date": datetime.date(2017, 2, 7),
        "title": "48 civil-rights groups: the number should be zero",
        "description": "The coalition warns that honoring detainers could cost "
        "the county more than the federal money at stake.",
        "statement": (
            "coalition-of-48-groups",
            datetime.datetime(2017, 2, 7, tzinfo=MIAMI),
        ),
    },
    {
        "kind": EventKind.ANNOUNCEMENT,
        "start_date": datetime.date(2017, 2, 7),
        "title": "Spokesperson: calls were rerouted to 311",
        "description": "Michael Hernandez says operators at the 311 centre, which "
        "he oversees, now take down residents' comments.",
        "statement": (
            "michael-a-hernandez",
            datetime.datetime(2017, 2, 7, 15, 0, tzinfo=MIAMI),
        ),
    },
    {
        "kind": EventKind.MEETING,
        "start_date": datetime.date(2017, 2, 17),
        "title": "County commission meets on overturning the order",
        "description": "The meeting was scheduled to consider reversing the "
        "mayor's decision.",
        "source": "miami-dade-county-commission",
    },
]


def ensure_tracker(home):
    """The tracker index and the demo tracker with its key figures."""
    index = ensure_tracker_index(home)
    tracker = TrackerPage.objects.child_of(index).filter(slug=TRACKER["slug"]).first()
    if tracker:
        return tracker, False
    tracker = TrackerPage(**TRACKER)
    tracker.figures = [TrackerFigure(**spec) for spec in TRACKER_FIGURES]
    index.add_child(instance=tracker)
    tracker.save_revision().publish()
    return tracker, True


def ensure_tracker_events(tracker, story):
    """Add the dated events once the story, sources and statements they cite exist."""
    if tracker.events.exists():
        return False
    sources = Source.objects.in_bulk(field_name="slug")
    tracker.events = [
        TimelineEvent(**_event_fields(spec, story, sources)) for spec in TRACKER_EVENTS
    ]
    tracker.save_revision().publish()
    return True


EVENT_LINKS = {"story", "source", "statement"}


def _event_fields(spec, story, sources):
    fields = {k: v for k, v in spec.items() if k not in EVENT_LINKS}
    if spec.get("story"):
        fields["story"] = story
    if "source" in spec:
        fields["source"] = sources[spec["source"]]
    if "statement" in spec:
        slug, said_at = spec["statement"]
        fields["statement"] = Statement.objects.get(
            source=sources[slug], said_at=said_at
        )
    return fields


def build_tracker(stdout, index):
    """The tracker page; its events come later, from `build_tracker_events`."""
    tracker, created = ensure_tracker(index.get_parent().specific)
    stdout.write(f"Demo tracker {'created' if created else 'already there'}.")
    return tracker


def build_tracker_events(stdout, tracker, story):
    created = ensure_tracker_events(tracker, story)
    stdout.write(f"Tracker events {'added' if created else 'already there'}.")
