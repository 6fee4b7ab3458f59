"""Private source fields never reach a reader.

A marker is planted in every private field, in a confidential source, in a
private request, in drafts (of statements, updates, requests for comment and
sources), in a source no editor published and in an off-the-record statement;
then every public URL reachable from the home page is fetched and none may
contain it, nor may the feeds, the sitemap, the JSON API or search results.
"""

import datetime
import re
from html import unescape
from urllib.parse import urldefrag

import pytest
from django.utils import timezone

from sources.models import Outcome, RequestForComment
from tests.factories import (
    add_to_tracker,
    event_fields,
    make_request,
    make_source,
    make_statement,
    make_story,
    make_tracker,
    make_update,
)

pytestmark = pytest.mark.django_db

MARKER = "zzleakmarkerzz"
START = ["/", "/stories/", "/sources/", "/robots.txt", "/healthz"]
NOT_PUBLIC = ("/admin", "/static/", "/media/", "/documents/")
LINK = re.compile(r'href="([^"]+)"')


@pytest.fixture
def planted(home_page, story_index):
    office = make_source(
        "Office of the Mayor",
        personal_phone=f"305-{MARKER}",
        personal_email=f"{MARKER}@example.org",
        internal_notes=f"Notes {MARKER}",
    )
    informant = make_source(
        f"Informant {MARKER}",
        is_confidential=True,
        organisation=office,
        internal_notes=MARKER,
    )
    # A source no editor published yet, and a published one with a reporter's
    # change waiting as a draft revision; the story cites the second by name.
    unpublished = make_source(
        f"Unpublished {MARKER}", description=f"Drafted {MARKER}", publish=False
    )
    centre = make_source("County 311 call centre", description="Takes calls.")
    story = make_story(story_index, "The calls story", tags=["immigration"])
    quoted = make_statement(office, quote="We reroute calls to 311.")
    story.body.append(("statement", quoted))
    story.body.append(("source_citation", {"source": office, "note": "Call logs"}))
    story.body.append(("source_citation", {"source": centre, "note": "Call volumes"}))
    story.save_revision().publish()
    centre.name = f"Renamed {MARKER}"
    centre.role = f"Draft role {MARKER}"
    centre.description = f"Draft description {MARKER}"
    centre.public_phone = f"311-{MARKER}"
    centre.save_revision()
    make_statement(office, quote=f"Draft {MARKER}", publish=False)
    make_statement(office, quote=f"Off the record {MARKER}", on_the_record=False)
    make_statement(informant, quote=f"Confidential {MARKER}")
    now = timezone.now()
    make_request(
        office,
        story=story,
        outcome=Outcome.REFERRED,
        referred_to=informant,
        answered_at=now,
        internal_notes=MARKER,
        public_summary="The desk sent us elsewhere.",
    )
    make_request(office, story=story, is_public=False, public_summary=MARKER)
    make_request(informant, story=story, public_summary=f"Asked {MARKER}")
    # A request a reporter logged and no editor published yet, and a published
    # request with a reporter's change waiting as a draft revision.
    make_request(
        office, story=story, live=False, public_summary=f"Unpublished {MARKER}"
    )
    changed = make_request(office, story=story, public_summary="Published wording.")
    changed.public_summary = f"Draft wording {MARKER}"
    changed.save_revision()
    # What would show the unpublished source: its statement, a request to it,
    # a referral to it, a member of it and an event linking it.
    make_statement(unpublished, quote=f"Unpublished source {MARKER}")
    make_request(unpublished, story=story, public_summary=f"Asked {MARKER}")
    make_request(
        office,
        story=story,
        outcome=Outcome.REFERRED,
        referred_to=unpublished,
        answered_at=now,
        public_summary="The desk sent us to another office.",
    )
    make_source("Press desk", organisation=unpublished)
    tracker = make_tracker(
        home_page,
        "Sanctuary policy reversal",
        events=[
            event_fields(
                datetime.date(2017, 1, 27), title="Calls rerouted", source=unpublished
            )
        ],
    )
    add_to_tracker(story, tracker)
    make_update(story, "The office answered our calls.", kind="correction")
    make_update(story, f"Draft update {MARKER}", kind="correction", publish=False)
    make_statement(
        office, quote=f"Tracked draft {MARKER}", tracker=tracker, publish=False
    )
    make_statement(office, quote="We reroute calls to 311.", tracker=tracker)
    return office, story


def crawl(client, start):
    """Every public URL reachable by links from `start`, with its response."""
    seen, queue, pages = set(), list(start), {}
    while queue:
        url = urldefrag(unescape(queue.pop()))[0]
        if url in seen or not url.startswith("/") or url.startswith(NOT_PUBLIC):
            continue
        seen.add(url)
        response = client.get(url)
        pages[url] = response
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(LINK.findall(response.content.decode()))
    return pages


def test_no_public_response_contains_a_private_field(client, planted):
    office, story = planted
    start = [
        *START,
        story.url,
        office.get_absolute_url(),
        *(office.get_absolute_url() + f"?period={p}" for p in ("30", "90", "365")),
        "/sources/?q=mayor",
    ]

    pages = crawl(client, start)

    assert story.url in pages and office.get_absolute_url() in pages
    assert any(url.startswith("/tags/") for url in pages)
    assert len(pages) > 10
    leaks = [url for url, r in pages.items() if MARKER in r.content.decode()]
    assert leaks == []
    assert "We reroute calls to 311." in pages[story.url].content.decode()
    # The source with a draft change is cited by its published name.
    assert "County 311 call centre" in pages[story.url].content.decode()


API_ENDPOINTS = ["stories", "sources", "statements", "requests-for-comment", "trackers"]
OPEN_DATA = [
    "/feeds/stories/",
    "/feeds/stories/atom/",
    "/feeds/updates/",
    "/feeds/updates/atom/",
    "/trackers/",
    "/sitemap.xml",
    "/api/",
    "/api/schema/",
    *(
        f"/search/?q={word}"
        for word in ("informant", "draft", "record", "notes", "unpublished", "renamed")
    ),
    *(
        f"/search/?q=mayor&type={kind}"
        for kind in ("stories", "statements", "sources", "trackers")
    ),
]


def tracker_urls(client):
    """Each live tracker's page, feeds and TimelineJS export, found by the API."""
    urls = []
    for item in client.get("/api/trackers/").json()["items"]:
        page = "/" + item["meta"]["html_url"].split("://", 1)[1].split("/", 1)[1]
        urls += [page, f"{page}feed/", f"{page}feed/atom/", f"{page}timeline.json"]
    return urls


def api_urls(client):
    """Every API listing with all its fields, and every object's detail view."""
    urls = []
    for name in API_ENDPOINTS:
        listing = f"/api/{name}/?fields=*&limit=100"
        urls.append(listing)
        for item in client.get(listing).json()["items"]:
            detail = item["meta"]["detail_url"].split("://", 1)[1]
            urls.append(detail[detail.index("/") :] + "?fields=*")
    return urls


def record_urls(client, story):
    """The public log, the story's history data and every snapshot it names."""
    entries = client.get("/record/log.json").json()["entries"]
    snapshots = {e["snapshot_url"].split("://", 1)[1] for e in entries}
    return [
        "/record/",
        "/record/log.json",
        f"{story.url}history.json",
        *(url[url.index("/") :] for url in sorted(snapshots)),
    ]


def test_no_feed_sitemap_api_or_search_response_contains_a_private_field(
    client, planted
):
    office, story = planted
    urls = [
        *OPEN_DATA,
        *api_urls(client),
        *tracker_urls(client),
        *record_urls(client, story),
        f"{story.url}feed/",
        f"{story.url}feed/atom/",
    ]

    pages = {url: client.get(url) for url in urls}

    assert {
        url: r.status_code for url, r in pages.items() if r.status_code != 200
    } == {}
    leaks = [url for url, r in pages.items() if MARKER in r.content.decode()]
    assert leaks == []
    assert f"/api/sources/{office.pk}/?fields=*" in pages
    assert f"/api/stories/{story.pk}/?fields=*" in pages
    assert any(url.endswith("timeline.json") for url in pages)
    recorded = [url for url in pages if url.startswith("/record/requests/")]
    # Each request readers may see is on the record; no other is.
    assert len(recorded) == RequestForComment.objects.visible_to_readers().count() > 0
    assert any(url.startswith("/api/trackers/") and "?" in url for url in pages)
    assert (
        "The office answered our calls." in pages[f"{story.url}feed/"].content.decode()
    )
    statements = pages["/api/statements/?fields=*&limit=100"].json()["items"]
    assert [item["quote"] for item in statements] == ["We reroute calls to 311."] * 2
    requests = pages["/api/requests-for-comment/?fields=*&limit=100"].json()["items"]
    # The published request shows its published wording, not the draft's.
    assert [item["public_summary"] for item in requests] == [
        "The desk sent us to another office.",
        "Published wording.",
        "The desk sent us elsewhere.",
    ]
    # The source with a draft keeps its published name, and the unpublished
    # source is nowhere: neither listed nor named as an organisation.
    sources = pages["/api/sources/?fields=*&limit=100"].json()["items"]
    assert [item["name"] for item in sources] == [
        "County 311 call centre",
        "Office of the Mayor",
        "Press desk",
    ]
    assert [item["organisation"] for item in sources] == [None] * 3


def test_site_search_for_a_private_value_finds_nothing(client, planted):
    html = client.get(f"/search/?q={MARKER}").content.decode()

    assert html.count("(0)</span>") == 5  # every group, events included
    assert 'class="search__result"' not in html


def test_searching_for_a_private_value_finds_no_source(client, planted):
    html = client.get(f"/sources/?q={MARKER}").content.decode()

    assert "No sources match." in html
    assert "Office of the Mayor</a>" not in html
