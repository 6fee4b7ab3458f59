"""What every reader page carries around its content: the masthead (name once,
search, sections with the current one marked), the icons and the footer."""

import re

import pytest

from tests.factories import make_story, make_tracker

pytestmark = pytest.mark.django_db


def nav_current(html):
    """The section links marked current, as (label, aria-current value)."""
    nav = re.search(r'<nav class="masthead__nav".*?</nav>', html, re.S)[0]
    return re.findall(r'<a href="[^"]+" aria-current="(\w+)">([^<]+)</a>', nav)


def test_the_home_page_names_the_site_once_in_its_title_and_masthead(
    client, home_page, settings
):
    html = client.get("/").content.decode()

    title = re.search(r"<title>(.*?)</title>", html, re.S)[1]
    assert title.strip() == settings.WAGTAIL_SITE_NAME
    header = re.search(r'<header class="masthead">.*?</header>', html, re.S)[0]
    assert header.count(settings.WAGTAIL_SITE_NAME) == 2  # the name, the search label
    assert header.count(f">{settings.WAGTAIL_SITE_NAME}<") == 1


def test_a_story_title_names_the_site_once_after_the_headline(
    client, story_index, settings
):
    story = make_story(story_index, "Calls go to 311")

    html = client.get(story.url).content.decode()

    title = re.search(r"<title>(.*?)</title>", html, re.S)[1]
    assert title == f"Calls go to 311 · {settings.WAGTAIL_SITE_NAME}"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/stories/", [("page", "Stories")]),
        ("/corrections/", [("page", "Corrections")]),
        ("/sources/", [("page", "Sources")]),
        ("/record/", [("page", "Record")]),
        ("/search/?q=calls", []),
    ],
)
def test_the_masthead_marks_the_section_the_reader_is_in(
    client, story_index, path, expected
):
    assert nav_current(client.get(path).content.decode()) == expected


def test_pages_inside_a_section_mark_it_as_true_not_as_the_page(
    client, home_page, story_index
):
    story = make_story(story_index, tags=["jails"])
    tracker = make_tracker(home_page)

    assert nav_current(client.get(story.url).content.decode()) == [("true", "Stories")]
    assert nav_current(client.get("/tags/jails/").content.decode()) == [
        ("true", "Stories")
    ]
    assert nav_current(client.get(tracker.url).content.decode()) == [
        ("true", "Trackers")
    ]


def test_the_search_box_keeps_an_accessible_label(client, home_page):
    html = client.get("/").content.decode()

    assert re.search(r'<label class="visually-hidden" for="masthead-search">', html)
    assert '<span class="visually-hidden">Search</span>' in html


def test_every_page_links_its_icons(client, home_page):
    html = client.get("/").content.decode()

    assert (
        '<link rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml">'
        in (html)
    )
    assert re.search(r'rel="icon" href="/static/icons/favicon-32.png"[^>]*32x32', html)
    assert re.search(
        r'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"', html
    )
    for icon in ["favicon.svg", "favicon-32.png", "apple-touch-icon.png"]:
        assert client.get(f"/static/icons/{icon}").status_code == 200


def test_favicon_ico_answers_instead_of_a_404(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/icons/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_the_footer_gives_the_corrections_policy_contact_feeds_and_record(
    client, home_page, settings
):
    settings.NEWSROOM_CONTACT_EMAIL = "desk@ledger.example"
    html = client.get("/").content.decode()

    footer = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S)[0]
    for link in [
        'href="/corrections/policy/"',
        'href="mailto:desk@ledger.example"',
        'href="/feeds/stories/"',
        'href="/feeds/updates/"',
        'href="/record/"',
    ]:
        assert link in footer


def test_the_corrections_page_says_how_corrections_work(client, home_page):
    html = client.get("/corrections/").content.decode()

    policy = re.search(
        r'<section class="corrections-policy" id="policy".*?</section>', html, re.S
    )[0]
    assert "How we correct our stories" in policy
    assert html.count('id="policy"') == 1
    assert "version history" in policy
