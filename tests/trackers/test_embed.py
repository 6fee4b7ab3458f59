"""The visual timeline on the tracker page, its embed for other sites, and the
cross-origin headers of the public data (timeline.json and the API)."""

import datetime
import re

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from tests.factories import event_fields, make_story, make_tracker
from trackers import routes
from trackers.models import TimelineEvent, TrackerPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracker(home_page):
    return make_tracker(
        home_page,
        "County sanctuary policy reversal",
        events=[
            event_fields(
                datetime.date(2013, 6, 1),
                kind="vote",
                title="Unanimous resolution",
                precision="year",
            ),
            event_fields(datetime.date(2017, 1, 27), kind="protest", title="Protest"),
        ],
        figures=[
            {
                "label": "Requests in a year",
                "value": 2000,
                "unit": "requests",
                "as_of": datetime.date(2012, 12, 31),
                "precision": "year",
                "source": "Herald",
            },
            {
                "label": "Requests in a year",
                "value": 1000,
                "value_to": 1500,
                "unit": "requests",
                "as_of": datetime.date(2017, 12, 31),
                "precision": "year",
                "source": "Herald",
            },
        ],
    )


def csp(response):
    return dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )


def test_the_tracker_page_draws_each_event_as_a_named_link_to_its_entry(
    client, tracker
):
    html = client.get(tracker.url).content.decode()
    vote = tracker.events.get(kind="vote")

    chart = html[html.index('class="tl-chart"') : html.index("</figure>")]
    assert f'href="#event-{vote.pk}" aria-label="Vote, 2013: Unanimous resolution"' in (
        chart
    )
    assert 'aria-label="Protest, Jan. 27, 2017: Protest"' in chart
    # A year is a bar, a day a point; each lane says its kind in words.
    assert chart.count("<rect") == 1 and chart.count("<circle") == 1
    assert ">Vote</text>" in chart and ">Protest</text>" in chart
    # Positions are SVG attributes: the reader policy allows no inline style.
    assert "style=" not in html
    assert f'id="event-{vote.pk}"' in html


def test_the_visual_timeline_shows_only_the_filtered_kinds(client, tracker):
    html = client.get(tracker.url, {"kind": "protest"}).content.decode()

    assert "Unanimous resolution" not in html
    assert ">Protest</text>" in html


def test_key_figures_read_to_their_precision_with_a_chart_and_a_table(client, tracker):
    html = client.get(tracker.url).content.decode()

    assert '<time datetime="2012">2012</time>' in html
    assert "Dec. 31, 2012" not in html
    svg = html[html.index('<svg class="figure-chart"') :]
    assert svg.startswith('<svg class="figure-chart" viewBox="0 0 480 220" role="img"')
    assert (
        '<title id="figure-chart-1">Requests in a year: 2 readings, from 2,000 '
        "requests (2012) to 1,000\u20131,500 requests (2017).</title>"
    ) in svg
    assert 'class="figure-chart__range"' in svg
    assert "<caption>Requests in a year</caption>" in html


def test_the_page_offers_an_embed_snippet_with_the_absolute_embed_address(
    client, tracker
):
    html = client.get(tracker.url).content.decode()

    assert (
        f'&lt;iframe src="http://testserver{tracker.url}embed/" '
        'title="County sanctuary policy reversal: timeline"'
    ) in html


def test_the_embed_shows_the_whole_timeline_with_links_out_of_the_frame(
    client, tracker
):
    response = client.get(f"{tracker.url}embed/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1" in html and "County sanctuary policy reversal" in html
    vote = tracker.events.get(kind="vote")
    assert (
        f'href="http://testserver{tracker.url}?at=event-{vote.pk}" '
        'aria-label="Vote, 2013: Unanimous resolution" target="_top"'
    ) in html
    assert f'href="http://testserver{tracker.url}" target="_top"' in html
    assert "masthead" not in html


def test_the_embed_draws_only_the_latest_events(client, tracker):
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            tracker=tracker,
            kind="meeting",
            title=f"Meeting {n}",
            start_date=datetime.date(2017, 3, 1) + datetime.timedelta(days=n),
        )
        for n in range(routes.EMBED_EVENTS + 5)
    )

    html = client.get(f"{tracker.url}embed/").content.decode()

    marks = re.findall(
        r'aria-label="[^"]+: (Meeting \d+|Protest|Unanimous resolution)"', html
    )
    assert len(marks) == routes.EMBED_EVENTS
    assert "Meeting 54" in marks and "Protest" not in marks


@pytest.mark.parametrize("cached", [False, True])
def test_only_the_embed_may_be_framed_by_other_sites(client, tracker, settings, cached):
    settings.PAGE_CACHE_ENABLED = cached
    for _ in range(2 if cached else 1):
        embed = client.get(f"{tracker.url}embed/")
        page = client.get(tracker.url)
        feed = client.get(f"{tracker.url}feed/")

    assert "X-Frame-Options" not in embed
    assert csp(embed)["frame-ancestors"] == "*"
    # The rest of the policy is the reader pages' own.
    assert csp(embed)["script-src"].startswith("'self'")
    assert csp(embed)["style-src"] == "'self'"
    for response in (page, feed):
        assert response["X-Frame-Options"] == "DENY"
        assert csp(response)["frame-ancestors"] == "'self'"


def test_a_cached_embed_is_served_from_the_cache_with_its_headers(
    client, tracker, settings
):
    settings.PAGE_CACHE_ENABLED = True
    first = client.get(f"{tracker.url}embed/")
    TrackerPage.objects.filter(pk=tracker.pk).update(title="Silently renamed")

    second = client.get(f"{tracker.url}embed/")

    assert "Silently renamed" not in second.content.decode()  # from the cache
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "X-Frame-Options" not in second


def test_the_embed_of_a_hidden_tracker_is_not_shown(client, tracker, home_page):
    draft = TrackerPage(title="Draft", slug="draft-tracker", summary="x", live=False)
    tracker.get_parent().add_child(instance=draft)
    restricted = make_tracker(home_page, "Restricted")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")

    assert client.get(f"{draft.url_path.removeprefix('/home')}embed/").status_code == (
        404
    )
    response = client.get(f"{restricted.url}embed/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- Cross-origin reads -------------------------------------------------------


def test_timeline_json_is_readable_by_any_site_and_links_absolutely(client, tracker):
    response = client.get(
        f"{tracker.url}timeline.json", headers={"Origin": "https://other.example"}
    )

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    text = response.content.decode()
    links = re.findall(r'href=\\"([^"\\]+)', text)
    assert links and all(link.startswith("http://testserver/") for link in links)
    assert f"http://testserver{tracker.url}" in links


@pytest.mark.parametrize(
    "path", ["/api/", "/api/trackers/", "/api/stories/?fields=*", "/api/nothing/"]
)
def test_the_api_is_readable_by_any_site_without_credentials(
    client, tracker, story_index, path
):
    make_story(story_index, "A story")

    response = client.get(path, headers={"Origin": "https://other.example"})
    head = client.head(path)

    assert response["Access-Control-Allow-Origin"] == "*"
    assert head["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_the_api_keeps_its_header_when_served_from_the_cache(client, tracker, settings):
    settings.PAGE_CACHE_ENABLED = True
    client.get("/api/trackers/")

    assert client.get("/api/trackers/")["Access-Control-Allow-Origin"] == "*"


def test_writes_and_pages_are_not_opened_to_other_sites(client, tracker):
    csrf_client = Client(enforce_csrf_checks=True)

    assert "Access-Control-Allow-Origin" not in client.get(tracker.url)
    assert "Access-Control-Allow-Origin" not in csrf_client.post("/api/trackers/")
    assert "Access-Control-Allow-Origin" not in csrf_client.post(
        f"{tracker.url}timeline.json"
    )


def test_the_api_gives_each_reading_its_date_precision(client, tracker):
    detail = client.get(f"/api/trackers/{tracker.pk}/").json()

    assert [f["precision"] for f in detail["figures"]] == ["year", "year"]
