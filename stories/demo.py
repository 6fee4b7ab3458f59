"""Demo content for the stories app, built in code and safe to run twice.

The case is the one in shared/seeds: Miami-Dade's mayor drops the county's
sanctuary policy in January 2017, and his office stops taking calls about it.
Facts, names, dates and figures come from the seeds; the sentences are ours.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision, Site

from sources.models import Source, Statement
from stories.models import (
    Author,
    EventKind,
    HomePage,
    Precision,
    StoryIndexPage,
    StoryPage,
    StoryPageAuthor,
    TimelineEvent,
    TrackerFigure,
    TrackerIndexPage,
    TrackerPage,
    Update,
)

MIAMI = ZoneInfo("America/New_York")

HOME_INTRO = (
    "Local accountability reporting with its record attached: every version of "
    "every story, who was asked for comment, and what they said."
)

AUTHORS = [
    {
        "slug": "jerry-iannelli",
        "name": "Jerry Iannelli",
        "job_title": "Staff writer",
        "bio": "<p>Covers county government, policing and immigration.</p>",
    },
    {
        "slug": "data-desk",
        "name": "Data desk",
        "job_title": "Records and figures",
        "bio": "<p>Checks the numbers behind our stories and keeps them current.</p>",
    },
]

CALLS_STORY = {
    "slug": "mayors-office-stops-taking-calls-on-sanctuary-reversal",
    "title": "Mayor's office stops taking calls on sanctuary reversal",
    "dek": (
        "Residents who phone Carlos Gimenez about his decision to honor federal "
        "detainer requests are told to send an email instead."
    ),
    "authors": ["jerry-iannelli", "data-desk"],
    "tags": ["immigration", "Miami-Dade County", "sanctuary policy", "Carlos Gimenez"],
    "published": datetime.datetime(2017, 2, 7, 9, 0, tzinfo=MIAMI),
    # The first version got the day of our call wrong; the correction fixes it.
    "wording": {"call_day": "Monday"},
    "first_version": {"call_day": "Tuesday"},
    "updates": [
        {
            "kind": Update.Kind.UPDATE,
            "published": datetime.datetime(2017, 2, 7, 18, 30, tzinfo=MIAMI),
            "text": (
                "Michael Hernandez, the mayor's spokesperson, says some calls meant "
                "for the mayor's office were being sent on to the county's 311 call "
                "center instead, which confused the two offices. Hernandez, who "
                "oversees the 311 center himself, says its operators have now been "
                "told to write down what residents want to say."
            ),
        },
        {
            "kind": Update.Kind.CORRECTION,
            "published": datetime.datetime(2017, 2, 8, 10, 0, tzinfo=MIAMI),
            "story_wording": {"call_day": "Monday"},
            "text": (
                "An earlier version of this story gave the wrong day for our "
                "reporter's call to the mayor's office. The call was made on "
                "Monday, Feb. 6."
            ),
        },
    ],
    "body": [
        (
            "paragraph",
            "<p>People who call Miami-Dade Mayor Carlos Gimenez to object to his "
            "reversal of the county's sanctuary policy are not getting through. "
            "Front-desk staff in his office have stopped passing those calls on, "
            "and callers are pointed to email.</p>",
        ),
        (
            "paragraph",
            "<p>Two callers described being turned away. When our reporter phoned "
            "the office at about 4:15 p.m. on {call_day} and asked to leave a message "
            "for the mayor, an employee answered that a written statement sent by "
            "email was the only way to register a complaint.</p>",
        ),
        ("heading", "A decision made in a day"),
        (
            "paragraph",
            "<p>President Donald Trump signed an executive order against "
            "so-called sanctuary jurisdictions on January 25. The next day, "
            "Gimenez told county jails to honor detention requests from "
            "Immigration and Customs Enforcement, setting aside a 2013 rule the "
            "county commission had passed unanimously. That rule had the jails "
            "decline such requests unless the federal government paid for the "
            "extra detention.</p>",
        ),
        # The mayor's own position, quoted from the statement registry.
        ("statement", None),
        (
            "data_point",
            {
                "value": Decimal(27),
                "unit": "requests",
                "label": "ICE detainer requests received by county jails in the "
                "11 days after the executive order",
                "as_of": datetime.date(2017, 2, 6),
                "source": "Miami Herald analysis",
                "source_url": "",
            },
        ),
        (
            "paragraph",
            "<p>At that rate the county would hold between 1,000 and 1,500 people "
            "for ICE this year. In 2012 it received about 2,000 such requests. A "
            "coalition of 48 civil-rights groups, experts and advocates, among them "
            "the Florida chapters of the ACLU and the Southern Poverty Law Center, "
            "wrote to the county that the figure should be zero.</p>",
        ),
        ("heading", "What comes next"),
        (
            "paragraph",
            "<p>The county commission is scheduled to meet on February 17 to "
            "consider overturning the mayor's order.</p>",
        ),
    ],
}


def ensure_home_page():
    """Make a HomePage the default site's root, replacing Wagtail's welcome page."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific, False

    root = Page.get_first_root_node()
    welcome = site.root_page if site else None
    if welcome and type(welcome.specific) is Page and welcome.numchild == 0:
        welcome.delete()
        root.refresh_from_db()

    home = root.add_child(
        instance=HomePage(
            title=settings.WAGTAIL_SITE_NAME, slug="home", intro=HOME_INTRO
        )
    )
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )
    return home, True


def ensure_story_index(home):
    index = StoryIndexPage.objects.child_of(home).filter(slug="stories").first()
    if index:
        return index
    index = home.add_child(
        instance=StoryIndexPage(
            title="Stories",
            slug="stories",
            intro="Our reporting, newest first. Every story keeps its history.",
        )
    )
    index.save_revision().publish()
    return index


def ensure_authors():
    return {
        spec["slug"]: Author.objects.get_or_create(slug=spec["slug"], defaults=spec)[0]
        for spec in AUTHORS
    }


def publish_at(page, when, editor=None, writer=None):
    """Publish the page's current state as a version dated `when`.

    `writer` saved the version and `editor` published it. Demo content tells a
    story that happened in 2017, so its versions carry the dates they would have
    had, not the date `load_demo` ran.
    """
    revision = page.save_revision(user=writer or editor)
    revision.publish(user=editor)
    Revision.objects.filter(pk=revision.pk).update(created_at=when)
    # The public history reads publication times from the audit log.
    PageLogEntry.objects.filter(revision=revision).update(timestamp=when)
    for update in Update.objects.filter(story_revision=revision):
        backdate_update(update, when)
    page.refresh_from_db()
    type(page).objects.filter(pk=page.pk).update(
        first_published_at=(
            when if page.first_published_at > when else page.first_published_at
        ),
        last_published_at=when,
        latest_revision_created_at=when,
    )
    page.refresh_from_db()
    return revision


def backdate_update(update, when):
    """Date a demo update's publication `when`, in its row, revisions and log.

    A plain queryset is used on purpose: Update's own refuses to rewrite a
    published update, which is right everywhere except in staging history.
    """
    models.QuerySet(Update).filter(pk=update.pk).update(
        first_published_at=when, last_published_at=when
    )
    Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(Update),
        object_id=str(update.pk),
    ).update(created_at=when)
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Update),
        object_id=str(update.pk),
    ).update(timestamp=when)


def ensure_story(index, spec, authors, quoted, tracker=None):
    story = StoryPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if story:
        return story, False
    story = StoryPage(
        title=spec["title"],
        slug=spec["slug"],
        dek=spec["dek"],
        body=story_body(spec, spec.get("first_version", {}), quoted),
    )
    for slug in spec["authors"]:
        story.story_authors.add(StoryPageAuthor(author=authors[slug]))
    story.tags.add(*spec["tags"])
    if tracker:
        story.trackers = [tracker]
    index.add_child(instance=story)
    users = get_user_model().objects.in_bulk(
        ["reporter", "editor"], field_name="username"
    )
    publish_at(
        story,
        spec["published"],
        editor=users.get("editor"),
        writer=users.get("reporter"),
    )
    return story, True


def story_body(spec, wording, quoted):
    """The story's body with `wording` filled into its paragraphs' blanks.

    `quoted` is the Statement that the body's statement block shows.
    """
    wording = {**spec.get("wording", {}), **wording}

    def filled(kind, value):
        if kind == "statement":
            return quoted
        return value.format(**wording) if isinstance(value, str) else value

    return [(kind, filled(kind, value)) for kind, value in spec["body"]]


def ensure_updates(story, spec, quoted):
    """The 311 update on its own, then a correction published with its body fix."""
    if Update.objects.filter(story=story).exists():
        return False
    editor = get_user_model().objects.filter(username="editor").first()
    for item in spec["updates"]:
        update = Update.objects.create(
            story=story, kind=item["kind"], text=item["text"], live=False
        )
        revision = update.save_revision(user=editor)
        if "story_wording" in item:
            story.body = story_body(spec, item["story_wording"], quoted)
            publish_at(story, item["published"], editor=editor, writer=editor)
        else:
            revision.publish(user=editor)
            backdate_update(update, item["published"])
    return True


def build_site(stdout):
    """The home page, the stories section and the authors."""
    home, created = ensure_home_page()
    stdout.write(f"Home page {'created' if created else 'already there'}.")
    return ensure_story_index(home), ensure_authors()


def build_story(stdout, index, authors, quoted, tracker=None):
    """The demo story, its versions and its updates; `quoted` is the statement it
    quotes, and `tracker` the tracker it belongs to."""
    story, created = ensure_story(index, CALLS_STORY, authors, quoted, tracker)
    stdout.write(f"Demo story {'created' if created else 'already there'}.")
    created = ensure_updates(story, CALLS_STORY, quoted)
    stdout.write(f"Its updates {'published' if created else 'already there'}.")
    return story


# --- The tracker -------------------------------------------------------------

TRACKER = {
    "slug": "county-sanctuary-policy-reversal",
    "title": "County sanctuary policy reversal",
    "summary": (
        "Miami-Dade's mayor set aside the county's 2013 limits on holding people "
        "for immigration agents the day after a federal executive order. We follow "
        "the decision, the response to it and the county commission's review."
    ),
}

TRACKER_FIGURES = [
    {
        "label": "ICE detainer requests received by county jails",
        "value": Decimal(2000),
        "unit": "requests",
        "period": "in all of 2012",
        "as_of": datetime.date(2012, 12, 31),
        "source": "Miami Herald analysis",
    },
    {
        "label": "ICE detainer requests received by county jails",
        "value": Decimal(27),
        "unit": "requests",
        "period": "in the 11 days after the executive order",
        "as_of": datetime.date(2017, 2, 6),
        "source": "Miami Herald analysis",
    },
    {
        "label": "People the county is on pace to hold for ICE in 2017",
        "value": Decimal(1000),
        "value_to": Decimal(1500),
        "unit": "people",
        "period": "projection for the year",
        "as_of": datetime.date(2017, 2, 6),
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


def ensure_tracker_index(home):
    """/trackers/, made once."""
    index = TrackerIndexPage.objects.child_of(home).filter(slug="trackers").first()
    if index is None:
        index = home.add_child(
            instance=TrackerIndexPage(
                title="Trackers",
                slug="trackers",
                intro="Issues we follow over time, from the first decision to "
                "the last vote.",
            )
        )
        index.save_revision().publish()
    return index


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
