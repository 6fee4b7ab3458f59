"""The home page renders for readers, cheaply, under a strict CSP."""

from bs4 import BeautifulSoup
from django.conf import settings

from tests.factories import (
    make_source,
    make_statement,
    make_story,
    make_tracker,
    make_update,
    publish_new_version,
)


def test_home_page_renders_with_a_bounded_number_of_queries(
    client, home_page, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/")

    assert response.status_code == 200
    assert settings.WAGTAIL_SITE_NAME in response.content.decode()


def test_reader_pages_get_a_strict_content_security_policy(client, home_page):
    policy = client.get("/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_admin_gets_the_relaxed_policy_it_needs(client, db):
    policy = client.get("/admin/login/")["Content-Security-Policy"]

    assert "'unsafe-inline'" in policy


def test_unknown_url_gives_the_sites_own_404_page(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_site_name_reads_once_in_the_title_and_once_as_the_heading(
    client, home_page
):
    html = client.get("/").content.decode()
    soup = BeautifulSoup(html, "html.parser")

    assert soup.title.get_text() == settings.WAGTAIL_SITE_NAME
    assert [h1.get_text(strip=True) for h1 in soup.find_all("h1")] == [
        settings.WAGTAIL_SITE_NAME
    ]
    assert soup.find("main").get_text().count(settings.WAGTAIL_SITE_NAME) == 0


def test_other_pages_keep_the_site_name_after_their_own_title(client, home_page):
    soup = BeautifulSoup(client.get("/corrections/").content.decode(), "html.parser")

    assert (
        soup.title.get_text()
        == f"Corrections and updates · {settings.WAGTAIL_SITE_NAME}"
    )


def test_the_home_page_shows_latest_corrections_statements_and_tracker_events(
    client, home_page, story_index
):
    tracker = make_tracker(home_page, "Sanctuary policy reversal")
    story = make_story(story_index, "Calls go unanswered")
    publish_new_version(story, trackers=[tracker])
    correction = make_update(story, "The call was on Monday.", kind="correction")
    mayor = make_source("Carlos Gimenez")
    make_statement(mayor, quote="We will comply.")
    make_statement(mayor, quote="", summary="The mayor said he would comply.")
    make_statement(mayor, quote="Off the record.", on_the_record=False)

    soup = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    text = " ".join(soup.get_text(" ").split())

    assert soup.find("a", href=f"{story.url}#update-{correction.pk}")
    assert "Correction" in soup.find("section", class_="home__updates").get_text()
    assert [q.get_text() for q in soup.find_all("q")] == ["We will comply."]
    assert "Our summary: The mayor said he would comply." in text
    assert "Off the record." not in text
    assert "Latest: " in soup.find("li", class_="tracker-list__item").get_text()
