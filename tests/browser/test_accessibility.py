"""Every kind of reader page passes axe-core and keeps its Content-Security-Policy.

The demo newsroom (`load_demo`: the tracker, its sources, statements, requests
for comment, the story with its versions and correction) and a withdrawn story
fill each page type with what a reader really meets there. Each page is opened
in Chromium over real HTTP under the policy it is served with, at a phone's
width (390px) and a laptop's (1280px), and checked by axe-core: no violation
rated serious or critical, and no CSP violation. A full-page screenshot of each
is kept in the test's temporary directory, to look at after a run.
Statements and response records have no pages of their own: they are checked
on the source pages. The 503 page is the one DatabaseUnavailableMiddleware
serves when a view cannot reach the database (tests.reliability.urls has a view
that fails so; tests/reliability/test_database_outage.py stops a real server).
"""

import datetime
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from stories.history import published_versions
from stories.models import Author, StoryPage
from tests.factories import make_story, make_update
from trackers.models import TrackerFigure, TrackerPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# axe rates each violation minor, moderate, serious or critical; the last two
# keep some readers out (unreadable contrast, unnamed controls, broken structure).
BLOCKING_IMPACTS = {"serious", "critical"}
# The demo's mayor's office (load_demo), by its address.
MAYORS_OFFICE = "miami-dade-county-office-of-the-mayor"
# WCAG 2.2 level A and AA, and axe's best practices. axe-core runs as a script
# evaluated by Playwright, which the pages' policy does not block, so the
# same visit checks the policy too.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"
        ],
    },
    "resultTypes": ["violations"],
}  # fmt: skip


@pytest.fixture
def reader_pages(home_page, settings):
    """Each reader page type, by name: its address and the status it answers with."""
    settings.ROOT_URLCONF = "tests.reliability.urls"
    call_command("load_demo", stdout=StringIO())
    story = StoryPage.objects.live().get(slug__startswith="mayors-office-stops")
    first, *_, latest = published_versions(story)
    withdrawn = make_story(
        story.get_parent(),
        "Commission vote date misreported",
        authors=[Author.objects.first()],
    )
    make_update(
        withdrawn,
        "We reported a vote that had not been scheduled. The story was wrong.",
        kind="withdrawal",
    )
    tag = story.tags.first()
    tracker = TrackerPage.objects.live().get()
    # A second reading of the yearly series, so the page draws a figure chart.
    yearly = tracker.figures.get(precision="year")
    TrackerFigure.objects.create(
        tracker=tracker,
        label=yearly.label,
        value=1800,
        unit=yearly.unit,
        precision="year",
        as_of=datetime.date(2013, 12, 31),
        source="A test reading",
    )
    return {
        "home": ("/", 200),
        "story index": ("/stories/", 200),
        "story index by tag": (f"/stories/?tag={tag.slug}", 200),
        "story": (story.url, 200),
        "story history": (f"{story.url}history/", 200),
        "diff": (f"{story.url}history/{first.revision_id}/{latest.revision_id}/", 200),
        "withdrawn story": (withdrawn.url, 410),
        "tag page": (f"/tags/{tag.slug}/", 200),
        "author page": (f"/authors/{Author.objects.first().slug}/", 200),
        "source index": ("/sources/", 200),
        "source index filtered": ("/sources/?kind=person&q=mayor", 200),
        # The response record and the statements live on the source page; the
        # demo's requests date from 2017, so "all time" shows them.
        "source page with response record": (
            f"/sources/{MAYORS_OFFICE}/?period=all",
            200,
        ),
        "source page with statements": ("/sources/carlos-gimenez/", 200),
        "source page, unknown period": (f"/sources/{MAYORS_OFFICE}/?period=x", 400),
        "tracker index": ("/trackers/", 200),
        "tracker": (tracker.url, 200),
        "tracker filtered": (f"{tracker.url}?kind=story&kind=vote&order=newest", 200),
        # A permalink lands on the event's page with the event highlighted.
        "tracker event permalink": (f"{tracker.url}?at=story-{story.pk}", 200),
        "tracker, unknown kind": (f"{tracker.url}?kind=nothing", 400),
        "tracker embed": (f"{tracker.url}embed/", 200),
        "corrections log": ("/corrections/", 200),
        "corrections log filtered": ("/corrections/?kind=correction", 200),
        "corrections policy": ("/corrections/policy/", 200),
        "record log": ("/record/", 200),
        "report an error": (f"/report/{story.pk}/", 200),
        "report sent": (f"/report/sent/?page={story.pk}&ack=1", 200),
        "follow by email": (f"/follow/{story.pk}/", 200),
        "manage follows": ("/follow/manage/", 200),
        "made-up confirmation link": ("/follow/confirm/made-up/", 400),
        "search results": ("/search/?q=mayor", 200),
        "search results, one type": ("/search/?q=mayor&type=statements", 200),
        "search with no results": ("/search/?q=zeppelin", 200),
        "empty search": ("/search/", 200),
        "search without words": ("/search/?q=%21%21", 400),
        "hostile query": ("/stories/?q=%00", 400),
        "404 page": ("/no-such-page/", 404),
        "503 page": ("/database-down/", 503),
    }


def describe(violation):
    """One violation and each element it was found on, with axe's advice."""
    lines = [f"  {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"]:
        advice = node["failureSummary"].replace("\n", "\n      ")
        lines.append(f"    {' '.join(node['target'])}: {advice}")
    return "\n".join(lines)


# A phone and a laptop.
WIDTHS = (390, 1280)
# Pages other sites frame: no masthead of ours inside someone else's page.
FRAMED = {"tracker embed"}


def search_box_stays_in_the_first_row(page):
    """At a narrow width the masthead's search box sits beside the site's name,
    inside the header: it never wraps below the name or out of the header."""
    header = page.locator("header.masthead").bounding_box()
    name = page.locator(".masthead__name").bounding_box()
    search = page.locator(".masthead__search").bounding_box()
    nav = page.locator(".masthead__nav").bounding_box()
    return (
        search["y"] < name["y"] + name["height"]
        and name["y"] < search["y"] + search["height"]
        and search["y"] + search["height"] <= nav["y"]
        and search["x"] + search["width"] <= header["x"] + header["width"]
        and search["x"] >= name["x"] + name["width"]
    )


def test_every_reader_page_type_passes_axe_under_its_own_policy(
    live_server, page, csp_violations, reader_pages, tmp_path
):
    axe = Axe()
    found, wrapped = {}, []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, (path, status) in reader_pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == status, f"{name}: {path}"
            # Folded content (minor versions, the response record's definitions)
            # is still content: axe skips what is hidden, so unfold it first.
            page.evaluate(
                "document.querySelectorAll('details').forEach(d => d.open = true)"
            )
            violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
            if blocking := [v for v in violations if v["impact"] in BLOCKING_IMPACTS]:
                found[f"{name} at {width}px"] = (path, blocking)
            narrow = width < 600 and name not in FRAMED
            if narrow and not search_box_stays_in_the_first_row(page):
                wrapped.append(name)
            page.screenshot(
                path=tmp_path / f"{width}-{name.replace(' ', '-')}.png",
                full_page=True,
            )

    assert not csp_violations, csp_violations
    assert not wrapped, f"the search box wraps under the name at 390px: {wrapped}"
    assert not found, "\n".join(
        f"{name} ({path}):\n" + "\n".join(map(describe, violations))
        for name, (path, violations) in found.items()
    )


def test_the_masthead_fits_a_320px_screen(live_server, page, reader_pages):
    """The narrowest phone in use: name, search box and sections, no sideways
    scrolling, and the search box still beside the name."""
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/", reader_pages["story"][0], "/corrections/", "/record/"]:
        page.goto(live_server.url + path)

        assert search_box_stays_in_the_first_row(page), path
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        ), path
        assert page.get_by_role("searchbox", name="Search").is_visible()
