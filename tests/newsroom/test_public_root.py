"""One public root: every absolute link the site writes starts with BASE_URL.

Readers reach the site through a proxy or a CDN, so the host a request arrives
on (here a private address) is never the one to link to. A crawl over pages,
feeds, the sitemap, the API, JSON-LD, the TimelineJS data and the record finds
no absolute URL on any other host, apart from the links editors wrote into
content and the names of standards (schema.org, XML namespaces). Every reader
page also carries its canonical address and its link-preview tags.
"""

import datetime
import io
import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.rich_text import RichText

from core.public_urls import BaseUrlError, absolute_url, site_address
from sources.models import SourceKind
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
)

BASE = "https://ledger.example.net"
# Where the proxy reaches the application: never to appear in a link.
REQUEST_HOST = "10.1.2.3:8000"
# Links editors typed into content: a source's web address, a statement's original.
AUTHORED_HOST = "county.example.gov"
# Names of vocabularies and XML namespaces, which are not links to our pages.
STANDARD_HOSTS = {"schema.org", "www.w3.org", "www.sitemaps.org", "purl.org"}
ABSOLUTE = re.compile(r"""https?://[^\s"'<>\\)]+""")
LOCAL_LINK = re.compile(r"""(?:href|src)="([^"]*)\"""")
# Not reader pages: the admin, files, and the API's OpenAPI description, whose
# only absolute URL is the example in Wagtail's help text for a page's slug.
NOT_CRAWLED = (
    "/admin/",
    "/static/",
    "/media/",
    "/documents/",
    "/_util/",
    "/api/schema/",
)
MOST_ADDRESSES = 400


@pytest.fixture
def site(settings, home_page, story_index):
    """A small newsroom of every kind, published while BASE_URL is set."""
    settings.WAGTAILADMIN_BASE_URL = BASE
    call_command("set_site_url", stdout=io.StringIO())
    tracker = make_tracker(
        home_page,
        "County sanctuary policy",
        events=[event_fields(datetime.date(2017, 1, 26))],
    )
    office = make_source(
        "Mayor's office",
        public_url=f"https://{AUTHORED_HOST}/mayor",
        description="The county mayor's office.",
    )
    mayor = make_source("Carlos Gimenez", kind=SourceKind.PERSON, organisation=office)
    make_statement(mayor, original_url=f"https://{AUTHORED_HOST}/release")
    story = make_story(
        story_index,
        "Office stops taking calls",
        dek="Callers were turned away.",
        authors=[make_author("Douglas Hanks")],
        tags=["immigration"],
    )
    publish_new_version(
        story,
        body=[
            ("paragraph", RichText("<p>The office stopped taking calls.</p>")),
            ("image", {"image": image(), "caption": "County Hall"}),
        ],
    )
    add_to_tracker(story, tracker)
    make_update(story, "Calls now go to the 311 centre.")
    make_update(story, "The centre opens at 7 a.m.", kind="correction")
    make_request(office, story=story, tracker=tracker, public_summary="We called.")
    return {"story": story, "tracker": tracker, "source": office}


def image():
    pixels = io.BytesIO()
    PillowImage.new("RGB", (64, 36), (40, 90, 160)).save(pixels, "PNG")
    return get_image_model().objects.create(
        title="County Hall", file=ImageFile(pixels, name="hall.png")
    )


def crawl(client, seeds):
    """Every address reachable from `seeds`: {address: response}."""
    queue, seen, responses = deque(seeds), set(seeds), {}
    while queue and len(responses) < MOST_ADDRESSES:
        address = queue.popleft()
        response = client.get(address, HTTP_HOST=REQUEST_HOST)
        responses[address] = response
        for found in links(address, response):
            if found not in seen and not found.startswith(NOT_CRAWLED):
                seen.add(found)
                queue.append(found)
    return responses


def links(address, response):
    """Our own addresses a response links to, as paths with their query."""
    if response.status_code in (301, 302, 307, 308):
        targets = [response["Location"]]
    else:
        text = body(response)
        targets = [unescape(url) for url in ABSOLUTE.findall(text)]
        targets += [unescape(url) for url in LOCAL_LINK.findall(text)]
    for target in targets:
        parts = urlsplit(urljoin(f"{BASE}{address}", target))
        if f"{parts.scheme}://{parts.netloc}" != BASE:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        yield path
        # An API listing shows every field of its items with ?fields=*.
        if parts.path.startswith("/api/") and parts.path.count("/") == 3:
            yield f"{parts.path}?fields=*"


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_a_crawl_finds_no_absolute_link_off_base_url(client, site):
    story, tracker = site["story"], site["tracker"]
    seeds = [
        "/",
        "/robots.txt",
        "/sitemap.xml",
        "/feeds/stories/",
        "/feeds/stories/atom/",
        "/feeds/updates/",
        "/feeds/updates/atom/",
        f"{story.url}feed/",
        f"{tracker.url}feed/",
        f"/trackers/{tracker.slug}/timeline.json",
        f"{story.url}history.json",
        "/record/log.json",
        "/api/",
        "/search/?q=calls",
    ]
    responses = crawl(client, seeds)

    foreign, own = {}, 0
    for address, response in responses.items():
        for url in ABSOLUTE.findall(body(response)):
            host = urlsplit(unescape(url)).hostname
            if url.startswith(BASE):
                own += 1
            elif host not in STANDARD_HOSTS | {AUTHORED_HOST}:
                foreign.setdefault(address, set()).add(url)
    assert foreign == {}
    assert [a for a, r in responses.items() if r.status_code >= 500] == []
    # The crawl reached every kind of surface, and found our own links on each.
    crawled = " ".join(responses)
    for expected in (story.url, tracker.url, site["source"].get_absolute_url()):
        assert expected in crawled
    assert any(address.endswith("?fields=*") for address in responses)
    assert own > 100


@pytest.mark.parametrize("kind", ["story", "tracker", "source", "list", "history"])
def test_every_reader_page_has_a_canonical_address_and_link_preview_tags(
    client, site, kind
):
    story = site["story"]
    address = {
        "story": story.url,
        "tracker": site["tracker"].url,
        "source": site["source"].get_absolute_url(),
        "list": "/stories/?tag=immigration&utm_source=mail",
        "history": f"{story.url}history/",
    }[kind]

    html = client.get(address, HTTP_HOST=REQUEST_HOST).content.decode()

    canonical = re.findall(r'<link rel="canonical" href="([^"]*)">', html)
    expected = absolute_url(address.replace("&utm_source=mail", ""))
    assert canonical == [expected]
    properties = dict(
        re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html)
    )
    for name in ("og:title", "og:url", "og:type", "og:site_name", "twitter:card"):
        assert properties.get(name), f"{address} has no {name}"
    assert properties["og:url"].startswith(BASE)
    assert html.count('property="og:title"') == 1


def test_a_story_preview_image_is_on_base_url(client, site):
    html = client.get(site["story"].url, HTTP_HOST=REQUEST_HOST).content.decode()

    [image] = re.findall(r'<meta property="og:image" content="([^"]*)"', html)
    assert image.startswith(f"{BASE}/media/")


def test_open_graph_title_is_the_page_title_without_the_site_name(client, site):
    html = client.get("/tags/immigration/", HTTP_HOST=REQUEST_HOST).content.decode()

    assert '<meta property="og:title" content="Stories tagged “immigration”">' in html
    assert "<title>Stories tagged “immigration” · " in html


def test_set_site_url_points_the_site_at_base_url_once(settings, home_page, capsys):
    settings.WAGTAILADMIN_BASE_URL = "http://news.example.org:8080/"

    call_command("set_site_url")
    call_command("set_site_url")

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("news.example.org", 8080)
    assert site.root_url == "http://news.example.org:8080"
    first, second = capsys.readouterr().out.splitlines()
    assert first == "The site now answers at http://news.example.org:8080 (BASE_URL)."
    assert second.startswith("The site already answers at")


def test_set_site_url_right_after_migrate_points_wagtails_own_site(settings, db):
    settings.WAGTAILADMIN_BASE_URL = "https://news.example.org"

    call_command("set_site_url", stdout=io.StringIO())

    [site] = Site.objects.all()
    assert site.root_url == "https://news.example.org"


@pytest.mark.parametrize(
    "base_url",
    [
        "news.example.org",
        "https://news.example.org/newsroom/",
        "https://news.example.org:8443",
        "http://news.example.org:443",
    ],
)
def test_a_base_url_no_site_can_stand_for_is_refused_with_its_reason(base_url):
    with pytest.raises(BaseUrlError, match="BASE_URL"):
        site_address(base_url)


def test_an_error_page_names_no_canonical_address(client, site):
    html = client.get("/stories/no-such-story/").content.decode()

    assert 'rel="canonical"' not in html
    assert "og:url" not in html
