"""/sitemap.xml: published pages and public sources only; robots.txt names it."""

import xml.etree.ElementTree as ET

import pytest

from tests.factories import make_source, make_story, make_tracker, unpublish_as_before

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_paths(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    return {
        loc.text.split("://", 1)[1].split("/", 1)[1]
        for loc in root.findall("sm:url/sm:loc", NS)
    }


def test_sitemap_lists_published_stories_and_public_sources_only(client, story_index):
    published = make_story(story_index, "Published")
    draft = make_story(story_index, "Draft", publish=False)
    unpublished = make_story(story_index, "Unpublished")
    unpublish_as_before(unpublished)
    office = make_source("Office of the Mayor")
    informant = make_source("Informant", is_confidential=True)
    drafted = make_source("Drafted office", publish=False)

    paths = {"/" + path for path in sitemap_paths(client)}

    assert {"/", "/stories/", published.url, office.get_absolute_url()} <= paths
    assert draft.url not in paths
    assert f"/stories/{unpublished.slug}/" not in paths
    assert informant.get_absolute_url() not in paths
    assert drafted.get_absolute_url() not in paths


def test_sitemap_lists_live_trackers_and_not_unpublished_ones(client, home_page):
    live = make_tracker(home_page, "Sanctuary policy reversal")
    unpublished = make_tracker(home_page, "Closed before it opened")
    unpublished.unpublish()

    paths = {"/" + path for path in sitemap_paths(client)}

    assert {"/trackers/", live.url} <= paths
    assert f"/trackers/{unpublished.slug}/" not in paths


def test_sitemap_lists_the_corrections_policy_page(client, home_page):
    assert "corrections/policy/" in sitemap_paths(client)


def test_robots_txt_names_the_sitemap_on_base_url_whatever_the_request_host(
    client, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://news.example.org"
    response = client.get("/robots.txt", HTTP_HOST="10.0.0.7")

    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: https://news.example.org/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


@pytest.mark.slow
def test_sitemap_query_count_does_not_grow_with_the_content(
    client, story_index, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            make_story(story_index)
            make_source()

    add(3)
    with django_assert_max_num_queries(15):
        sitemap_paths(client)
    add(27)
    with django_assert_max_num_queries(15):
        # The home and story index pages, the stories, the sources, and the
        # corrections policy page.
        assert len(sitemap_paths(client)) == 2 + 30 + 30 + 1
