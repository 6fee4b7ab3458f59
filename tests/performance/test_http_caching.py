"""Conditional GET, Cache-Control and the benchmark's bypass header."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from stories.models import StoryPage
from tests.factories import make_story

BYPASS = "X-Bypass-Page-Cache"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_BYPASS_HEADER = BYPASS


@pytest.fixture
def story(story_index):
    return make_story(story_index, "Mayor drops sanctuary policy")


def test_a_cached_page_answers_if_none_match_with_304(client, story):
    etag = client.get(story.url)["ETag"]

    response = client.get(story.url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert not response.content


def test_reader_pages_may_be_kept_by_a_cdn_but_revalidated_by_browsers(
    client, story, settings
):
    settings.CDN_MAX_AGE = 120

    cache_control = client.get(story.url)["Cache-Control"]

    assert sorted(cache_control.split(", ")) == ["max-age=0", "public", "s-maxage=120"]


@pytest.mark.parametrize("path", ["story", "/admin/"])
def test_staff_pages_are_private_and_never_stored(editor_client, story, path):
    response = editor_client.get(story.url if path == "story" else path)

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def rename_silently(story):
    """Change the title without a signal, so only an uncached render shows it."""
    StoryPage.objects.filter(pk=story.pk).update(title="Silently renamed")


def test_a_made_up_session_cookie_is_served_from_the_cache(client, story):
    client.get(story.url)
    rename_silently(story)
    forged = Client()
    forged.cookies["sessionid"] = "made-up-but-well-formed-0123456789"

    with CaptureQueriesContext(connection) as queries:
        response = forged.get(story.url)

    assert "Mayor drops sanctuary policy" in response.content.decode()
    assert "Silently renamed" not in response.content.decode()
    # The one look-up that found no such session, and nothing else.
    assert len(queries) == 1
    assert "django_session" in queries[0]["sql"]


def test_an_editors_session_bypasses_the_cache(client, editor_client, story):
    Client().get(story.url)
    rename_silently(story)

    response = editor_client.get(story.url)

    assert "Silently renamed" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_readers_anonymous_session_bypasses_the_cache(story):
    """Wagtail keeps the passwords a reader entered in a session without a login."""
    Client().get(story.url)
    rename_silently(story)
    session = SessionStore()
    session["wagtail-page-passwords"] = [1]
    session.save()
    reader = Client()
    reader.cookies["sessionid"] = session.session_key

    response = reader.get(story.url)

    assert "Silently renamed" in response.content.decode()


def test_the_bypass_header_is_ignored_unless_a_setting_names_it(
    client, story, settings
):
    settings.PAGE_CACHE_BYPASS_HEADER = ""
    client.get(story.url)
    StoryPage.objects.filter(pk=story.pk).update(title="Silently renamed")

    response = client.get(story.url, headers={BYPASS: "1"})

    assert "Silently renamed" not in response.content.decode()


def test_the_bypass_header_renders_afresh_when_enabled(client, story):
    client.get(story.url)
    StoryPage.objects.filter(pk=story.pk).update(title="Silently renamed")

    response = client.get(story.url, headers={BYPASS: "1"})

    assert "Silently renamed" in response.content.decode()


def test_the_site_is_found_in_the_cache_until_a_site_changes(
    client, story, django_capture_on_commit_callbacks
):
    client.get(story.url)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(story.url, headers={BYPASS: "1"}).wsgi_request
    site = Site.objects.get(pk=first._wagtail_site.pk)
    with django_capture_on_commit_callbacks(execute=True):
        site.site_name = "The Renamed Ledger"
        site.save()

    again = client.get(story.url, headers={BYPASS: "1"}).wsgi_request

    assert not [q for q in queries if "wagtailcore_site" in q["sql"]]
    assert again._wagtail_site.site_name == "The Renamed Ledger"


def test_a_view_restriction_added_later_still_guards_the_story(
    client, story, django_capture_on_commit_callbacks
):
    assert client.get(story.url, headers={BYPASS: "1"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=story, restriction_type=PageViewRestriction.PASSWORD, password="s3"
        )

    response = client.get(story.url, headers={BYPASS: "1"})

    assert "Mayor drops sanctuary policy" not in response.content.decode()
    assert 'name="password"' in response.content.decode()
