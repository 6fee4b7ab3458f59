"""Script and markup payloads in every text field never run on a reader page.

Every reader-visible text field of every model is filled with markup that
would set `window.__xss` if it ever reached the page as HTML; every public page
is then opened in Chromium. The sentinel must stay undefined, the payload must
show as text, and the page must log no Content-Security-Policy violation.

A new model joins the sweep with one `@sweeps(...)` builder below; the
coverage test fails until every text field of every model is either swept or
listed as skipped with the reason.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.apps import apps
from django.db import models
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.fields import StreamField
from wagtail.rich_text import RichText

from newsroom.scaffold import ensure_home_page
from stories.models import redaction
from tests.factories import (
    add_to_tracker,
    event_fields,
    make_author,
    make_image,
    make_request,
    make_source,
    make_statement,
    make_story,
    make_story_index,
    make_tracker,
    make_update,
)
from trackers.models import TimelineEvent, TrackerFigure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SWEPT_APPS = ("stories", "sources")
SCRIPT = "<script>window.__xss=1</script>"
ATTRIBUTE = '"><img src=x onerror="window.__xss=1">'
# Every payload made, by label, to look for as visible text afterwards.
PAYLOADS: dict[str, str] = {}


def payload(label, max_length=None):
    """Markup that runs if unescaped, tagged with `label` to find it as text.

    Short fields get a short payload tagged with a number instead of the label.
    """
    text = f"{label} {SCRIPT}{ATTRIBUTE}"
    if max_length is not None and len(text) > max_length:
        text = f"<svg onload=window.__xss=1 n={len(PAYLOADS)}>"
    PAYLOADS[label] = text
    return text


def markup_url(label):
    """A URL the validator accepts that still carries markup."""
    return f"https://example.org/?{label}={ATTRIBUTE.replace(' ', '')}"


def typed_rich_text(label, features=("bold", "italic", "link")):
    """Rich text as the admin stores it: typed markup escaped, and pasted markup
    (a script, a javascript: link) put through Draftail's converter, as the
    admin's editor would on save."""
    converter = ContentstateConverter(features=list(features))
    pasted = converter.to_database_format(
        converter.from_database_format(
            f'<p>{SCRIPT}<a href="javascript:window.__xss=1">pasted link</a></p>'
        )
    )
    typed = payload(label).replace("&", "&amp;").replace("<", "&lt;")
    return f"<p>{typed.replace('>', '&gt;')}</p>{pasted}"


@dataclass
class Sweep:
    model: str
    fields: tuple[str, ...]
    build: Callable
    skipped: dict[str, str] = field(default_factory=dict)


SWEEPS: list[Sweep] = []


def sweeps(model, fields, skipped=None):
    """Register a builder that fills `fields` of `model` with payloads.

    The builder takes the dict of objects made so far (to link to them) and
    returns the reader URLs on which its payloads appear.
    """

    def register(build):
        SWEEPS.append(Sweep(model, tuple(fields), build, skipped or {}))
        return build

    return register


# Shown as link targets, not text: the sweep checks they never run.
URL_FIELDS = {"public_url", "original_url", "source_url"}
# Shown as an image's text alternative: the sweep finds them as `alt`, whole.
ALT_FIELDS = {"lead_image_alt"}
PRIVATE = "staff only, never shown to readers (tests/sources/test_privacy.py)"
NO_MARKUP = "validation cannot hold markup"


@sweeps("home.HomePage", ["intro"])
def build_home(made):
    home, _created = ensure_home_page()
    home.intro = payload("home.HomePage.intro")
    home.save_revision().publish()
    made["home"] = home
    return ["/"]


@sweeps("stories.StoryIndexPage", ["intro"])
def build_index(made):
    index = make_story_index(made["home"])
    index.intro = payload("stories.StoryIndexPage.intro")
    index.save_revision().publish()
    made["index"] = index
    return ["/stories/"]


@sweeps("stories.Author", ["name", "job_title", "bio"], {"slug": NO_MARKUP})
def build_author(made):
    made["author"] = make_author(
        payload("stories.Author.name", 120),
        slug="payload-author",
        job_title=payload("stories.Author.job_title", 120),
        bio=typed_rich_text("stories.Author.bio"),
    )
    return ["/authors/payload-author/"]


@sweeps(
    "sources.Source",
    ["name", "role", "description", "public_phone", "public_url"],
    {
        "slug": NO_MARKUP,
        "public_email": NO_MARKUP,
        "personal_phone": PRIVATE,
        "personal_email": PRIVATE,
        "internal_notes": PRIVATE,
    },
)
def build_source(made):
    office = make_source(
        payload("sources.Source.name", 200),
        slug="payload-office",
        role=payload("sources.Source.role", 200),
        description=payload("sources.Source.description"),
        public_phone=payload("sources.Source.public_phone", 40),
        public_url=markup_url("public_url"),
    )
    made["source"] = office
    return ["/sources/", "/sources/payload-office/", f"/sources/?q={SCRIPT}"]


@sweeps("sources.Statement", ["quote", "summary", "original_url"])
def build_statement(made):
    made["statement"] = make_statement(
        made["source"],
        quote=payload("sources.Statement.quote"),
        summary=payload("sources.Statement.summary"),
        original_url=markup_url("original_url"),
    )
    return ["/sources/payload-office/"]


@sweeps(
    "stories.StoryPage",
    [
        "title",
        "dek",
        "body",
        "lead_image_alt",
        "lead_image_caption",
        "lead_image_credit",
    ],
    {"slug": NO_MARKUP, "seo_title": "not shown in the page body"},
)
def build_story(made):
    story = make_story(
        made["index"],
        payload("stories.StoryPage.title", 255),
        dek=payload("stories.StoryPage.dek", 400),
        authors=[made["author"]],
        tags=[payload("taggit.Tag.name", 100)],
    )
    quote = {
        "text": payload("stories.StoryPage.body.quote"),
        "attribution": payload("stories.StoryPage.body.attribution", 200),
    }
    data_point = {
        "value": "12.50",
        "unit": payload("stories.StoryPage.body.unit", 40),
        "label": payload("stories.StoryPage.body.label", 200),
        "as_of": date(2024, 1, 31),
        "source": payload("stories.StoryPage.body.source", 200),
        "source_url": markup_url("source_url"),
    }
    citation = {
        "source": made["source"],
        "note": payload("stories.StoryPage.body.note", 200),
    }
    story.lead_image = make_image()
    story.lead_image_alt = payload("stories.StoryPage.lead_image_alt", 250)
    story.lead_image_caption = payload("stories.StoryPage.lead_image_caption", 400)
    story.lead_image_credit = payload("stories.StoryPage.lead_image_credit", 120)
    story.body = [
        ("paragraph", RichText(typed_rich_text("stories.StoryPage.body", ["link"]))),
        ("heading", payload("stories.StoryPage.body.heading", 200)),
        ("quote", quote),
        ("data_point", data_point),
        ("statement", made["statement"]),
        ("source_citation", citation),
    ]
    story.save_revision().publish()
    story.refresh_from_db()
    made["story"] = story
    tag = story.tags.get()
    return ["/", "/stories/", story.url, f"/tags/{tag.slug}/"]


@sweeps("stories.Update", ["text"])
def build_update(made):
    story = made["story"]
    make_update(story, payload("stories.Update.text"), kind="correction")
    return [story.url, f"{story.url}history/", "/corrections/"]


RECORD = "written by the record from our own URLs and hashes, never typed"


@sweeps(
    "stories.RecordEntry",
    ["reason"],
    dict.fromkeys(("url", "snapshot_url", "content_sha256", "prev", "hash"), RECORD),
)
def build_redaction(made):
    """A redaction whose public reason carries markup: the log, the story's
    editor's note and its history show it."""
    statement = make_statement(made["source"], quote="Calls go to 311.")
    story = make_story(made["index"], "Calls to the mayor")
    story.body = [("statement", statement)]
    story.save_revision().publish()
    target = redaction.Target(statement_id=statement.pk, description="a quote")

    def apply():
        statement.quote = "Calls go to the 311 centre."
        statement.save_revision().publish()

    reason = payload("stories.RecordEntry.reason")
    redaction.redact(target, reason, None, apply)
    return ["/record/", story.url, f"{story.url}history/"]


@sweeps(
    "stories.Snapshot",
    [],
    dict.fromkeys(
        ("document", "path", "object_id", "content_sha256"),
        "JSON of fields swept above, served as application/json",
    ),
)
def build_snapshot(made):
    return []


@sweeps(
    "sources.RequestForComment",
    ["public_summary"],
    {"internal_notes": PRIVATE},
)
def build_request(made):
    make_request(
        made["source"],
        story=made["story"],
        public_summary=payload("sources.RequestForComment.public_summary"),
    )
    return ["/sources/payload-office/"]


@sweeps("trackers.TrackerIndexPage", ["intro"])
def build_tracker_index(made):
    # make_tracker makes the index on first use; this fills its intro.
    tracker = make_tracker(made["home"], payload("trackers.TrackerPage.title", 255))
    index = tracker.get_parent().specific
    index.intro = payload("trackers.TrackerIndexPage.intro")
    index.save_revision().publish()
    made["tracker"] = tracker
    return ["/trackers/"]


def latest_tracker(made):
    """The tracker's latest version, to add to what earlier builders published."""
    made["tracker"].refresh_from_db()
    return made["tracker"].get_latest_revision_as_object()


@sweeps("trackers.TrackerPage", ["summary"])
def build_tracker(made):
    tracker = latest_tracker(made)
    tracker.summary = payload("trackers.TrackerPage.summary")
    tracker.save_revision().publish()
    add_to_tracker(made["story"], tracker)
    # timeline.json is JSON, for scripts, not a page a browser renders.
    return ["/", "/trackers/", tracker.url, made["story"].url]


@sweeps("trackers.TimelineEvent", ["title", "description"])
def build_timeline_event(made):
    tracker = latest_tracker(made)
    tracker.events = [
        TimelineEvent(
            **event_fields(
                date(2017, 1, 26),
                title=payload("trackers.TimelineEvent.title", 200),
                description=payload("trackers.TimelineEvent.description"),
                story=made["story"],
                statement=made["statement"],
                source=made["source"],
            )
        )
    ]
    tracker.save_revision().publish()
    return [tracker.url]


@sweeps(
    "trackers.TrackerFigure",
    ["label", "unit", "period", "source", "source_url"],
)
def build_tracker_figure(made):
    tracker = latest_tracker(made)
    figure = {
        "label": payload("trackers.TrackerFigure.label", 200),
        "value": "1200",
        "value_to": "1500",
        "unit": payload("trackers.TrackerFigure.unit", 40),
        "period": payload("trackers.TrackerFigure.period", 100),
        "as_of": date(2017, 2, 1),
        "source": payload("trackers.TrackerFigure.source", 200),
        "source_url": markup_url("figure_source_url"),
    }
    tracker.figures = [TrackerFigure(**figure)]
    tracker.save_revision().publish()
    return [tracker.url]


def text_fields(model):
    """Names of the free-text fields `model` declares (choices are not free)."""
    names = set()
    for model_field in model._meta.local_fields:
        if isinstance(model_field, models.CharField | models.TextField | StreamField):
            if not model_field.choices:
                names.add(model_field.name)
    return names


@pytest.mark.django_db
def test_every_text_field_of_every_model_is_in_the_sweep():
    declared = {sweep.model: sweep for sweep in SWEEPS}
    missing = {}
    for app in SWEPT_APPS:
        for model in apps.get_app_config(app).get_models():
            sweep = declared.get(model._meta.label)
            covered = set(sweep.fields) | set(sweep.skipped) if sweep else set()
            if uncovered := text_fields(model) - covered:
                missing[model._meta.label] = sorted(uncovered)
    assert not missing, f"Add these to a @sweeps builder: {missing}"


def test_no_payload_runs_and_every_payload_shows_as_text(
    live_server, page, csp_violations
):
    made, urls = {}, []
    for sweep in SWEEPS:
        urls += [url for url in sweep.build(made) if url not in urls]

    shown = html = ""
    alts = set()
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status < 400, url
        assert page.evaluate("typeof window.__xss") == "undefined", url
        shown += page.inner_text("body")
        html += page.content()
        alts.update(page.evaluate("[...document.images].map(image => image.alt)"))

    assert not csp_violations, csp_violations
    # inner_text applies CSS (a credit set in capitals): compare without case.
    not_shown = [
        label
        for label, text in PAYLOADS.items()
        if text.lower() not in shown.lower()
        and not (label.rsplit(".", 1)[-1] in ALT_FIELDS and text in alts)
    ]
    assert not not_shown, f"These payloads did not show as text: {not_shown}"
    assert "pasted link" in shown
    assert 'href="javascript:' not in html
    for sweep in SWEEPS:
        for name in set(sweep.fields) - URL_FIELDS:
            label = f"{sweep.model}.{name}"
            assert any(
                made_label == label or made_label.startswith(f"{label}.")
                for made_label in PAYLOADS
            ), f"{label} is in the sweep but got no payload"
