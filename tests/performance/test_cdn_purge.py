"""A CDN in front is told to drop the pages a change retires, and no others.

A real HTTP server stands in for the CDN (Wagtail's HTTPBackend sends it
PURGE requests, as it would to Varnish); the change is committed through
pytest-django's on-commit capture, which runs the page cache's bump.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache

from tests.factories import make_source, make_story, make_update
from tests.waiting import wait_until


class PurgeRecorder(BaseHTTPRequestHandler):
    purged = []

    def do_PURGE(self):
        self.purged.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    PurgeRecorder.purged = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PAGE_CACHE_ENABLED = True
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    cache.clear()
    yield PurgeRecorder.purged
    server.shutdown()


def test_a_correction_purges_the_pages_it_retires_and_no_others(
    client, story_index, cdn, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_story(story_index, "Mayor drops sanctuary policy")
        other = make_story(story_index, "Transit board approves fares")
        source = make_source("Office of the Mayor", slug="mayors-office")
    for path in (story.url, f"{story.url}history/", other.url, "/corrections/"):
        assert client.get(path).status_code == 200
    assert client.get(f"/sources/{source.slug}/").status_code == 200
    assert client.get("/stories/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        make_update(story, "Correction: the memo was dated Feb. 16.", kind="correction")

    wait_until(lambda: story.url in cdn, 30, "the story was not purged")
    assert {story.url, f"{story.url}history/", "/corrections/"} <= set(cdn)
    assert other.url not in cdn
    assert "/stories/" not in cdn
    assert f"/sources/{source.slug}/" not in cdn
