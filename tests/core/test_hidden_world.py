"""The hidden world: one object of every kind readers may not see, each with
its own marker, and a crawl of every public surface that fails on any marker.

The fixture is the list of what core.visibility hides. A new model or reader
surface joins the fixture and the crawl in the same change (CONTRIBUTING.md).
"""

import datetime
import io
import itertools
import pathlib
import re
import subprocess
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
)
from wagtail.rich_text import RichText

from core import visibility
from participation.models import CorrectionRequest, Follow, Subscriber
from sources.models import Outcome, RequestForComment, Source, Statement
from stories.models import Author, RecordEntry, Snapshot, StoryPage, Update
from tests.factories import (
    add_to_tracker,
    event_fields,
    make_author,
    make_request,
    make_source,
    make_statement,
    make_story,
    make_tracker,
    make_update,
    publish_new_version,
    unpublish_as_before,
)
from trackers.models import TimelineEvent, TrackerFigure, TrackerPage

pytestmark = pytest.mark.django_db

# What a reader must see somewhere, so that the crawl is known to reach it.
SHOWN = "zzshownzz"
KINDS = [
    "neverpublished",
    "draftrevision",
    "inreview",
    "scheduled",
    "passwordstory",
    "loginstory",
    "groupstory",
    "unpublishedstory",
    "withdrawndraft",
    "draftupdate",
    "draftamendment",
    "confidentialsource",
    "confidentialorganisation",
    "offtherecord",
    "draftstatement",
    "draftstatementrevision",
    "privaterequest",
    "privatefield",
    "drafttracker",
    "restrictedtracker",
    "restricteddocument",
    "restrictedimage",
    "restrictedleadimage",
    "drafttag",
    "draftauthor",
    "unpublishedsource",
    "readerreport",
    "readername",
    "readeraddress",
    "declinereason",
    "staffnote",
    "staffname",
    "subscriber",
]
MARKERS = {kind: f"zz{kind}zz" for kind in KINDS}
M = MARKERS


def restrict(page, kind, group=None):
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=kind,
        password="s3cret" if kind == "password" else "",
    )
    if group:
        restriction.groups.add(group)


def png(name):
    pixels = io.BytesIO()
    PillowImage.new("RGB", (64, 36), (40, 90, 160)).save(pixels, "PNG")
    return ImageFile(pixels, name=name)


@pytest.fixture
def hidden(home_page, story_index, editor):
    public_tracker = make_tracker(
        home_page,
        f"Open tracker {SHOWN}",
        figures=[
            {
                "label": "Calls",
                "value": 27,
                "as_of": datetime.date(2017, 2, 6),
                "source": "County",
            }
        ],
    )
    shown = make_story(story_index, f"Open story {SHOWN}", tags=["open"])
    add_to_tracker(shown, public_tracker)
    make_update(shown, f"Open correction {SHOWN}", kind="correction")

    # Stories never shown: a draft, one waiting in review, one scheduled.
    make_story(story_index, f"Draft {M['neverpublished']}", publish=False)
    draft_author = make_author(f"Author {M['draftauthor']}", bio=M["draftauthor"])
    in_review = make_story(
        story_index,
        f"Review {M['inreview']}",
        publish=False,
        authors=[draft_author],
        tags=[M["drafttag"]],
    )
    in_review.get_workflow().start(in_review, editor)
    scheduled = make_story(story_index, f"Scheduled {M['scheduled']}", publish=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=2)
    scheduled.save_revision().publish()

    # A draft revision of a live story, and of a withdrawn one.
    changed = make_story(story_index, "A standing story")
    add_to_tracker(changed, public_tracker)
    draft = changed.get_latest_revision_as_object()
    draft.title = f"Draft headline {M['draftrevision']}"
    draft.save_revision()
    withdrawn = make_story(story_index, "A withdrawn story")
    make_update(withdrawn, "We could not stand by it.", kind="withdrawal")
    draft = StoryPage.objects.get(pk=withdrawn.pk).get_latest_revision_as_object()
    draft.dek = f"Dek {M['withdrawndraft']}"
    draft.save_revision()

    # Restricted stories, each with what would show it elsewhere: a
    # correction, a request for comment, a tracker event and the tracker.
    office = make_source(
        f"Office {SHOWN}",
        personal_phone=f"305-{M['privatefield']}",
        personal_email=f"{M['privatefield']}@example.org",
        internal_notes=M["privatefield"],
    )
    group = Group.objects.create(name="Subscribers")
    restricted = {}
    for kind, marker in [
        ("password", M["passwordstory"]),
        ("login", M["loginstory"]),
        ("groups", M["groupstory"]),
    ]:
        story = make_story(story_index, f"Restricted {marker}", dek=marker)
        add_to_tracker(story, public_tracker)
        make_update(story, f"Correction {marker}", kind="correction")
        make_request(office, story=story, public_summary="We asked the office.")
        restrict(story, kind, group if kind == "groups" else None)
        restricted[kind] = story
    unpublished = make_story(story_index, f"Unpublished {M['unpublishedstory']}")
    make_update(unpublished, f"Correction {M['unpublishedstory']}", kind="correction")
    add_to_tracker(unpublished, public_tracker)
    unpublish_as_before(unpublished)

    # Sources and what they said or were asked.
    informant = make_source(
        f"Informant {M['confidentialsource']}",
        is_confidential=True,
        organisation=office,
    )
    organisation = make_source(
        f"Organisation {M['confidentialorganisation']}", is_confidential=True
    )
    make_source(f"Member {SHOWN}", organisation=organisation)
    draft_source = make_source(f"Source {M['unpublishedsource']}", publish=False)
    make_statement(informant, quote=f"Said {M['confidentialsource']}")
    make_statement(draft_source, quote=f"Said {M['unpublishedsource']}")
    make_statement(office, quote=f"Off {M['offtherecord']}", on_the_record=False)
    make_statement(office, quote=f"Draft {M['draftstatement']}", publish=False)
    quoted = make_statement(office, quote=f"On the record {SHOWN}")
    quoted.quote = f"Revised {M['draftstatementrevision']}"
    quoted.save_revision()
    make_request(
        office, story=shown, is_public=False, public_summary=M["privaterequest"]
    )
    make_request(
        office,
        story=shown,
        outcome=Outcome.REFERRED,
        referred_to=informant,
        answered_at=timezone.now(),
        internal_notes=M["privatefield"],
        public_summary=f"Referred {SHOWN}",
    )

    # Trackers: a draft, and a restricted one with events.
    tracker_index = public_tracker.get_parent()
    draft_tracker = TrackerPage(
        title=f"Tracker {M['drafttracker']}",
        slug="draft-tracker",
        summary="x",
        live=False,
    )
    tracker_index.add_child(instance=draft_tracker)
    draft_tracker.save_revision()
    secret_tracker = make_tracker(
        home_page,
        f"Tracker {M['restrictedtracker']}",
        events=[
            event_fields(
                datetime.date(2017, 1, 27), title=f"Event {M['restrictedtracker']}"
            )
        ],
        figures=[
            {
                "label": f"Figure {M['restrictedtracker']}",
                "value": 5,
                "as_of": datetime.date(2017, 2, 6),
                "source": "County",
            }
        ],
    )
    restrict(secret_tracker, "login")
    public_tracker = TrackerPage.objects.get(pk=public_tracker.pk)
    tracker_revision = public_tracker.get_latest_revision_as_object()
    for title, link in [
        (f"Event {SHOWN} story", {"story": restricted["login"]}),
        (f"Event {SHOWN} source", {"source": informant}),
        (f"Event {SHOWN} draft source", {"source": draft_source}),
    ]:
        tracker_revision.events.add(
            TimelineEvent(
                **event_fields(datetime.date(2017, 1, 28), title=title, **link)
            )
        )
    tracker_revision.save_revision().publish()

    # A document and an image in a collection for staff only, used by a
    # public story and an author's photo.
    private = Collection.get_first_root_node().add_child(name="Staff only")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    assert restriction.pk
    document = get_document_model().objects.create(
        title=f"Document {M['restricteddocument']}",
        file=ContentFile(b"a,b\n1,2\n", name=f"{M['restricteddocument']}.csv"),
        collection=private,
    )
    get_document_model().objects.create(
        title=f"Public document {SHOWN}",
        file=ContentFile(b"a,b\n1,2\n", name="public.csv"),
    )
    get_image_model().objects.create(title=f"Public {SHOWN}", file=png("public.png"))
    image = get_image_model().objects.create(
        title=f"Image {M['restrictedimage']}",
        file=png(f"{M['restrictedimage']}.png"),
        collection=private,
    )
    publish_new_version(
        StoryPage.objects.get(pk=shown.pk),
        body=[
            (
                "paragraph",
                RichText(
                    f'<p>Open text {SHOWN}. <a linktype="document" '
                    f'id="{document.pk}">the figures</a></p>'
                ),
            ),
            ("image", {"image": image, "caption": f"Caption {SHOWN}"}),
            ("statement", quoted),
        ],
    )
    # Updates waiting for the story's next version: a draft one, and a
    # published one with a draft amendment.
    make_update(shown, f"Draft {M['draftupdate']}", publish=False)
    amended = make_update(shown, "An update as published.")
    amended.text = f"Amendment {M['draftamendment']}"
    amended.save_revision()
    # A public story whose lead image is in the staff-only collection: the
    # story shows, the image and its words do not.
    lead = get_image_model().objects.create(
        title=f"Lead {M['restrictedleadimage']}",
        file=png(f"{M['restrictedleadimage']}.png"),
        collection=private,
    )
    pictured = make_story(story_index, f"Pictured {SHOWN}")
    publish_new_version(
        pictured,
        lead_image=lead,
        lead_image_alt=f"Alt {M['restrictedleadimage']}",
        lead_image_caption=f"Caption {M['restrictedleadimage']}",
        lead_image_credit=f"Credit {M['restrictedleadimage']}",
    )
    photographed = make_author(f"Photographed {SHOWN}", photo=image)
    make_story(story_index, f"By {SHOWN}", authors=[photographed])

    # What readers sent: a report of an error, resolved with a reason and a
    # staff note, and an address following the story. Only counts of reports
    # are public (the corrections policy); nothing of a follower is.
    report = CorrectionRequest.objects.create(
        page=shown,
        page_url=shown.url,
        what_is_wrong=f"Wrong {M['readerreport']}",
        where=f"Where {M['readerreport']}",
        name=f"Reader {M['readername']}",
        email=f"{M['readeraddress']}@example.org",
        wants_outcome=True,
        status=CorrectionRequest.Status.DECLINED,
        reason=f"Reason {M['declinereason']}",
        resolved_at=timezone.now(),
    )
    staff = get_user_model().objects.create_user(
        "staff-member", first_name="Staff", last_name=M["staffname"]
    )
    report.notes.create(author=staff, text=f"Note {M['staffnote']}")
    CorrectionRequest.objects.create(
        page=public_tracker, what_is_wrong=f"Open {M['readerreport']}"
    )
    subscriber = Subscriber.objects.create(email=f"{M['subscriber']}@example.org")
    Follow.objects.create(
        subscriber=subscriber, page=shown, confirmed_at=timezone.now()
    )
    Follow.objects.create(subscriber=subscriber, page=public_tracker)
    return {
        "shown": StoryPage.objects.get(pk=shown.pk),
        "restricted": restricted,
        "unpublished": unpublished,
        "secret_tracker": secret_tracker,
        "draft_tracker": draft_tracker,
        "office": office,
        "document": document,
        "draft_author": draft_author,
    }


LINK = re.compile(r'(?:href|src)="([^"]+)"')
LOC = re.compile(r"<loc>([^<]+)</loc>")
ABSOLUTE = re.compile(r"https?://[^/\s\"'<>]+(/[^\s\"'<>]*)")
NOT_CRAWLED = ("/admin", "/static/", "/_util/")
FEEDS = [
    "/feeds/stories/",
    "/feeds/stories/atom/",
    "/feeds/updates/",
    "/feeds/updates/atom/",
]
API = ["stories", "sources", "statements", "requests-for-comment", "trackers"]


def local(url):
    """A same-site path for an absolute or relative link, or None."""
    url = urldefrag(unescape(url))[0]
    if url.startswith(("http://", "https://")):
        url = urlsplit(url)._replace(scheme="", netloc="").geturl()
    if not url.startswith("/") or url.startswith("//"):
        return None
    return url


def links_in(response):
    content = response.content.decode(errors="replace")
    kind = response.get("Content-Type", "")
    if kind.startswith("text/html"):
        return LINK.findall(content)
    if "xml" in kind:
        return LOC.findall(content) + ABSOLUTE.findall(content)
    if kind.startswith("application/json"):
        return ABSOLUTE.findall(content)
    return []


def crawl(client, start):
    seen, queue, pages = set(), list(start), {}
    while queue:
        url = local(queue.pop())
        if url is None or url in seen or url.startswith(NOT_CRAWLED):
            continue
        seen.add(url)
        response = client.get(url)
        pages[url] = response
        queue.extend(links_in(response))
        if "?fields" not in url and url.startswith("/api/") and url.count("/") == 4:
            # Every listing also with every field, and its items' details.
            queue.append(f"{url}?fields=*&limit=100")
    return pages


def start_urls(hidden):
    urls = ["/", "/sitemap.xml", *FEEDS, "/api/", "/record/", "/record/log.json"]
    # Reader participation: the policy's figures, and the forms of a story.
    urls += ["/corrections/policy/", "/follow/manage/"]
    urls += [f"/report/{hidden['shown'].pk}/", f"/follow/{hidden['shown'].pk}/"]
    urls += [f"/api/{name}/?fields=*&limit=100" for name in API]
    # Searched for in capitals, so that the query echoed on the page is not
    # taken for a leak; search ignores case.
    for marker in MARKERS.values():
        urls += [f"/search/?q={marker.upper()}", f"/sources/?q={marker.upper()}"]
    # The hidden things' own addresses, asked for directly.
    for story in [*hidden["restricted"].values(), hidden["unpublished"]]:
        path = story.url_path.removeprefix("/home")
        urls += [path, f"{path}history/", f"{path}feed/", f"{path}history.json"]
        urls += [f"/api/stories/{story.pk}/?fields=*"]
    for tracker in [hidden["secret_tracker"], hidden["draft_tracker"]]:
        path = tracker.url_path.removeprefix("/home")
        urls += [path, f"{path}timeline.json", f"{path}feed/", f"{path}embed/"]
        urls += [f"/api/trackers/{tracker.pk}/?fields=*"]
    urls += [f"/authors/{hidden['draft_author'].slug}/", f"/tags/{M['drafttag']}/"]
    urls += [f"/record/updates/{u.guid}/1.json" for u in Update.objects.all()]
    return urls


def test_no_public_response_shows_anything_hidden(client, hidden):
    pages = crawl(client, start_urls(hidden))

    leaks = {
        (url, kind)
        for url, response in pages.items()
        for kind, marker in MARKERS.items()
        if marker in response.content.decode(errors="replace")
        or marker in str(response.headers)
    }
    by_kind = {}
    for url, kind in sorted(leaks):
        by_kind.setdefault(kind, []).append(url)
    assert by_kind == {}
    server_errors = {url for url, r in pages.items() if r.status_code >= 500}
    assert server_errors == set()
    # The crawl reached what readers may see, through every surface.
    shown = {url for url, r in pages.items() if SHOWN in r.content.decode()}
    for surface in ["/", "/feeds/updates/", "/api/stories/", "/record/", "/sitemap"]:
        assert any(url.startswith(surface) for url in pages), surface
    assert any(url.endswith("timeline.json") for url in shown)
    assert any(url.startswith("/corrections/") for url in shown)
    assert len(pages) > 60


def test_a_hidden_story_is_named_as_one_we_have_not_published(client, hidden):
    html = client.get(hidden["office"].get_absolute_url()).content.decode()

    assert html.count("a story we have not published") == 3
    data = client.get(
        f"/api/requests-for-comment/?fields=*&source={hidden['office'].pk}"
    ).json()
    assert sum(item["story"] is None for item in data["items"]) == 3


def test_the_record_log_withholds_entries_about_hidden_stories(client, hidden):
    entries = client.get("/record/log.json").json()["entries"]
    withheld = [e for e in entries if e.get("withheld")]

    assert withheld and all(
        set(e) == {"seq", "recorded_at", "kind", "withheld", "prev", "hash"}
        for e in withheld
    )
    # The chain is whole: every entry links to the hash of the one before.
    assert all(b["prev"] == a["hash"] for a, b in itertools.pairwise(entries))


def test_a_draft_tag_is_as_unknown_as_a_made_up_one(client, hidden):
    draft = client.get(f"/api/stories/?tag={M['drafttag']}")
    unknown = client.get("/api/stories/?tag=no-such-tag")

    assert draft.status_code == unknown.status_code == 400
    assert draft.json()["message"].replace(M["drafttag"], "x") == unknown.json()[
        "message"
    ].replace("no-such-tag", "x")


MODELS = [
    StoryPage,
    Update,
    TrackerPage,
    TimelineEvent,
    TrackerFigure,
    Source,
    Statement,
    RequestForComment,
    Author,
    Tag,
    RecordEntry,
    Snapshot,
    get_document_model(),
    get_image_model(),
]


def test_the_filter_and_the_predicate_of_each_rule_agree(hidden):
    for model in MODELS:
        rows = model.objects.filter(visibility.filter_for(model))
        assert 0 < rows.count() < model.objects.count(), model
        if model in (Author, Tag, RecordEntry, Snapshot):
            continue  # listed through querysets only: no object predicate
        everything = model.objects.all()
        assert {o.pk for o in everything if visibility.visible(o)} == set(
            rows.values_list("pk", flat=True)
        ), model


def test_each_rule_is_written_once():
    """The old copies of the rules are gone from the code (issue 15)."""
    root = pathlib.Path(__file__).resolve().parents[2]
    code = subprocess.run(
        [
            "git",
            "grep",
            "-n",
            "-E",
            r"live\(\)\.public\(\)|\.objects\.public\(|source__is_confidential|"
            r"on_the_record=True|shown_to_readers|story\.live\b|page\.live\b",
            "--",
            "*.py",
            "*.html",
            ":!tests",
            ":!*/migrations/*",
            ":!bench",
        ],
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout
    lines = [
        line for line in code.splitlines() if not line.startswith("core/visibility.py")
    ]
    assert lines == []
