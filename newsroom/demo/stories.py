"""The demo story, its versions and updates, built in code and safe to run twice.

The case is the one in shared/seeds: Miami-Dade's mayor drops the county's
sanctuary policy in January 2017, and his office stops taking calls about it.
Facts, names, dates and figures come from the seeds; the sentences are ours.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from newsroom.demo.images import lead_image_for
from newsroom.scaffold import (
    backdate_amendment,
    backdate_update,
    ensure_home_page,
    ensure_story_index,
    publish_at,
)
from sources.models import Source, Statement
from stories.models import Author, StoryPage, StoryPageAuthor, Update, record

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


# The call to action the evening the policy was dropped (the seed's first
# document). Its update was amended the next morning to name who announced
# the protest; a later version only capitalises a word: a minor edit, folded
# in the history.
PROTEST_STORY = {
    "slug": "democrats-urge-calls-and-a-protest-over-the-reversal",
    "title": "Democrats urge calls and a protest over the mayor's reversal",
    "dek": (
        "The county's Democratic Party chair asks residents to phone the mayor "
        "and the commissioners, and points them to a protest at the mayor's office."
    ),
    "authors": ["jerry-iannelli"],
    "tags": ["immigration", "sanctuary policy", "Carlos Gimenez"],
    "published": datetime.datetime(2017, 1, 26, 21, 0, tzinfo=MIAMI),
    "first_version": {"day": "friday"},
    "minor_edit": {
        "wording": {"day": "Friday"},
        "published": datetime.datetime(2017, 1, 27, 9, 40, tzinfo=MIAMI),
    },
    "update": {
        "published": datetime.datetime(2017, 1, 27, 8, 30, tzinfo=MIAMI),
        "text": (
            "The protest at the mayor's office is set for 11 a.m. today, "
            "according to the organisers."
        ),
        "amended": datetime.datetime(2017, 1, 27, 9, 15, tzinfo=MIAMI),
        "amended_text": (
            "The protest at the mayor's office is set for 11 a.m. today, "
            "according to the call to action the Miami-Dade Democrats sent out."
        ),
    },
    "body": [
        (
            "paragraph",
            "<p>Within hours of Mayor Carlos Gimenez telling county jails to honor "
            "federal detainer requests, Juan Cuba, who chairs the Miami-Dade "
            "Democratic Party, sent supporters a list of ways to push back.</p>",
        ),
        (
            "paragraph",
            "<p>Cuba asked residents to phone the mayor's office and their county "
            "commissioners first thing {day} morning, to share his message online "
            "and to write to the mayor on Twitter. He called Gimenez the first "
            "county executive to give way to the president's order, and pointed "
            "out that the mayors of New York, Chicago, San Francisco and Seattle "
            "had refused to.</p>",
        ),
        (
            "paragraph",
            "<p>Immigrant-rights advocates planned to gather outside the mayor's "
            "office at 11 a.m. on {day}, January 27.</p>",
        ),
        (
            "paragraph",
            "<p>The county rule the mayor set aside dates from 2013, when the "
            "commission passed it without a vote against: jails turned down ICE "
            "detainer requests unless Washington paid for the extra days in "
            "custody, and it never did. By a New York Times count, more than 360 "
            "counties, 39 cities among them, have limits of the kind.</p>",
        ),
    ],
}


# The rest of the case, one story per turn of it, in the order readers saw
# them. In a body, a statement block names the statement it quotes by its
# source and the time it was said, and a source citation names its source by
# slug: both are looked up when the story is first built.
LOCKDOWN_STORY = {
    "slug": "county-hall-locked-down-as-protesters-gather",
    "title": "County Hall locked down as protesters gather over detainer order",
    "dek": (
        "Police closed roads, doors were wedged shut with wooden stakes and the "
        "Metromover stop shut while opponents of the mayor's order rallied outside."
    ),
    "authors": ["jerry-iannelli"],
    "tags": ["immigration", "Miami-Dade County", "Carlos Gimenez", "County Hall"],
    "published": datetime.datetime(2017, 1, 27, 16, 0, tzinfo=MIAMI),
    "body": [
        (
            "paragraph",
            "<p>When opponents of Mayor Carlos Gimenez's new detainer order "
            "gathered at Miami-Dade County Hall for an 11 a.m. rally on Friday, "
            "his administration locked the building down.</p>",
        ),
        (
            "paragraph",
            "<p>Officers blocked the surrounding streets, wooden stakes held the "
            "doors shut, and the Metromover station next to the building was "
            "taken out of service for the day.</p>",
        ),
        ("heading", "A congressman kept at the door"),
        (
            "paragraph",
            "<p>U.S. Rep. Keith Ellison, a Minnesota Democrat, joined the crowd. "
            "Miami-Dade police officers stopped him for a time from going up to "
            "the mayor's office.</p>",
        ),
        (
            "paragraph",
            "<p>The rally answers Thursday's order, in which Gimenez told county "
            "jails to hold people for Immigration and Customs Enforcement when "
            "it asks, a day after the president's order against sanctuary "
            "jurisdictions.</p>",
        ),
        (
            "source_citation",
            {
                "source": "miami-dade-county-office-of-the-mayor",
                "note": "Asked why the building was closed; no answer by our deadline.",
            },
        ),
    ],
}

LAWYERS_STORY = {
    "slug": "lawyers-say-county-hall-lockdown-broke-the-first-amendment",
    "title": "Five lawyers tell the mayor the County Hall lockdown broke the "
    "First Amendment",
    "dek": (
        "Their letter says shutting protesters out of the seat of county "
        "government on January 27 violated their constitutional rights."
    ),
    "authors": ["jerry-iannelli"],
    "tags": ["First Amendment", "Miami-Dade County", "Carlos Gimenez", "County Hall"],
    "published": datetime.datetime(2017, 1, 30, 18, 45, tzinfo=MIAMI),
    "body": [
        (
            "paragraph",
            "<p>A group of five lawyers has written to Mayor Carlos Gimenez over "
            "the way his administration handled Friday's protest at County "
            "Hall.</p>",
        ),
        ("statement", ("lawyers-letter-on-the-lockdown", (1, 30))),
        (
            "paragraph",
            "<p>On the day of the rally the building was closed to the public, "
            "police shut nearby roads, doors were wedged with wooden stakes and "
            "the Metromover stop beside the hall did not run.</p>",
        ),
        (
            "paragraph",
            "<p>We asked the mayor's office for its answer to the letter; it "
            "declined to comment.</p>",
        ),
        (
            "source_citation",
            {
                "source": "lawyers-letter-on-the-lockdown",
                "note": "The letter of January 30, 2017.",
            },
        ),
    ],
}

COALITION_STORY = {
    "slug": "48-groups-say-detentions-for-ice-should-be-zero",
    "title": "48 groups tell the county the number held for ICE should be zero",
    "dek": (
        "Civil-rights groups, experts and advocates warn that honoring "
        "detainers could cost Miami-Dade more than the federal money the "
        "president has threatened to withhold."
    ),
    "authors": ["jerry-iannelli", "data-desk"],
    "tags": ["immigration", "Miami-Dade County", "sanctuary policy", "ICE detainers"],
    "published": datetime.datetime(2017, 2, 7, 14, 0, tzinfo=MIAMI),
    "body": [
        (
            "paragraph",
            "<p>A coalition of 48 civil-rights organisations, experts and "
            "advocates has sent Miami-Dade a letter against the mayor's order to "
            "hold people in county jails at the request of immigration "
            "agents.</p>",
        ),
        ("statement", ("coalition-of-48-groups", (2, 7))),
        ("heading", "The figures behind the letter"),
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
            "data_point",
            {
                "value": Decimal(2000),
                "unit": "requests",
                "label": "ICE detainer requests received by county jails in 2012",
                "as_of": datetime.date(2012, 12, 31),
                "precision": "year",
                "source": "Miami Herald analysis",
                "source_url": "",
            },
        ),
        (
            "paragraph",
            "<p>The Herald's count puts the county on course to hold somewhere "
            "between 1,000 and 1,500 people for ICE in 2017. The signers, the "
            "Florida chapters of the ACLU and of the Southern Poverty Law "
            "Center among them, argue that lawsuits over unlawful detention "
            "could make compliance the costlier choice.</p>",
        ),
        (
            "source_citation",
            {"source": "aclu-of-florida", "note": "One of the letter's signers."},
        ),
        (
            "source_citation",
            {
                "source": "southern-poverty-law-center",
                "note": "One of the letter's signers, through its Florida office.",
            },
        ),
        (
            "source_citation",
            {
                "source": "miami-herald-detainer-analysis",
                "note": "Detainer requests as of Feb. 6.",
            },
        ),
    ],
}

COMMISSION_STORY = {
    "slug": "commission-meets-on-overturning-the-detainer-order",
    "title": "Commission meets today on overturning the mayor's detainer order",
    "dek": (
        "Three weeks after Carlos Gimenez set aside the county's 2013 rule, "
        "commissioners take up whether to undo his decision."
    ),
    "authors": ["jerry-iannelli"],
    "tags": [
        "immigration",
        "Miami-Dade County",
        "sanctuary policy",
        "county commission",
    ],
    "published": datetime.datetime(2017, 2, 17, 7, 30, tzinfo=MIAMI),
    "body": [
        (
            "paragraph",
            "<p>The Miami-Dade County Commission meets on Friday to discuss "
            "overturning the mayor's January 26 order, which has county jails "
            "honor detention requests from immigration agents.</p>",
        ),
        (
            "paragraph",
            "<p>The order set aside a rule the same commission adopted without "
            "dissent in 2013: jails held people for ICE only if the federal "
            "government covered the cost, which it never did.</p>",
        ),
        ("heading", "How we got here"),
        (
            "paragraph",
            "<p>Since the order, County Hall has been locked down against a "
            "protest, five lawyers have written that the lockdown broke the First "
            "Amendment, and 48 groups have asked the county to hold no one for "
            "ICE. Over the first "
            "weekend of February the mayor went after a prominent protester and "
            "said the labor activist Tomas Kennedy had invented a rumor of ICE "
            "“deportation checkpoints” in Miami. We asked the mayor on Feb. 6 "
            "what he based that claim on; he has not answered.</p>",
        ),
        (
            "paragraph",
            "<p>The Florida ACLU has been urging residents to phone their "
            "commissioners about the rule change ahead of the meeting.</p>",
        ),
        (
            "paragraph",
            "<p>We asked the mayor's office whether Gimenez would defend the "
            "order before the commission and had no answer by our deadline.</p>",
        ),
        (
            "source_citation",
            {
                "source": "miami-dade-county-commission",
                "note": "The meeting of Feb. 17, 2017.",
            },
        ),
        (
            "source_citation",
            {
                "source": "aclu-of-florida",
                "note": "Its call to residents before the meeting.",
            },
        ),
    ],
}

CASE_STORIES = [LOCKDOWN_STORY, LAWYERS_STORY, COALITION_STORY, COMMISSION_STORY]


def ensure_authors():
    return {
        spec["slug"]: Author.objects.get_or_create(slug=spec["slug"], defaults=spec)[0]
        for spec in AUTHORS
    }


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
    # In the first revision: readers have always seen the story with it.
    image, alt, caption, credit = lead_image_for(spec, tracker)
    story.lead_image, story.lead_image_alt = image, alt
    story.lead_image_caption, story.lead_image_credit = caption, credit
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
            return quoted if value is None else _statement(*value)
        if kind == "source_citation":
            return {**value, "source": Source.objects.get(slug=value["source"])}
        return value.format(**wording) if isinstance(value, str) else value

    return [(kind, filled(kind, value)) for kind, value in spec["body"]]


def _statement(source_slug, month_day):
    """The demo statement `source_slug` made on that day of 2017 (its said_at is
    the day's midnight, as statements known only by their day are recorded)."""
    said_at = datetime.datetime(2017, *month_day, tzinfo=MIAMI)
    return Statement.objects.get(source__slug=source_slug, said_at=said_at)


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
            with record.as_of(item["published"]):
                revision.publish(user=editor)
            backdate_update(update, item["published"])
    return True


def ensure_minor_edit_and_amended_update(story, spec):
    """An update amended once, then a second version that changes no word."""
    if Update.objects.filter(story=story).exists():
        return False
    editor = get_user_model().objects.filter(username="editor").first()
    item = spec["update"]
    update = Update.objects.create(
        story=story, kind=Update.Kind.UPDATE, text=item["text"], live=False
    )
    with record.as_of(item["published"]):
        update.save_revision(user=editor).publish(user=editor)
    backdate_update(update, item["published"])
    update.refresh_from_db()
    update.text = item["amended_text"]
    amendment = update.save_revision(user=editor)
    with record.as_of(item["amended"]):
        amendment.publish(user=editor)
    backdate_amendment(update, amendment, item["amended"])
    story.body = story_body(spec, spec["minor_edit"]["wording"], None)
    publish_at(story, spec["minor_edit"]["published"], editor=editor)
    return True


def build_site(stdout):
    """The home page, the stories section and the authors."""
    home, created = ensure_home_page(intro=HOME_INTRO)
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


def build_second_story(stdout, index, authors, tracker=None):
    """The Democrats' call to action, with a minor edit and an amended update."""
    story, created = ensure_story(index, PROTEST_STORY, authors, None, tracker)
    stdout.write(f"Second story {'created' if created else 'already there'}.")
    ensure_minor_edit_and_amended_update(story, PROTEST_STORY)
    return story


def build_case_stories(stdout, index, authors, tracker=None):
    """The lockdown, the lawyers' letter, the 48 groups' letter and the
    commission meeting, each on `tracker`; returns them by slug, for the
    requests for comment made for them."""
    stories, created = {}, 0
    for spec in CASE_STORIES:
        stories[spec["slug"]], made = ensure_story(index, spec, authors, None, tracker)
        created += made
    stdout.write(f"Stories of the case added: {created} of {len(CASE_STORIES)}.")
    return stories
