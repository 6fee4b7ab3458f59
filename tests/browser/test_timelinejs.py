"""Another site embeds a tracker's timeline.json with TimelineJS 3 and readers
see its events.

TimelineJS comes from npm (tests/browser/timelinejs/package.json and its
lock), installed with `npm ci` into that folder's node_modules when missing,
and is served, with the page that embeds it, by a small HTTP server of the
test's own on another port: the browser fetches timeline.json across origins,
so the site's CORS header is really what lets it through.
"""

import datetime
import functools
import os
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.factories import event_fields, make_tracker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PACKAGE = Path(__file__).parent / "timelinejs"
DIST = PACKAGE / "node_modules" / "@knight-lab" / "timelinejs" / "dist"

# The embedding page: what another site would write, with TimelineJS from
# that site itself (here, the test's server) rather than a CDN.
EMBED_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Elsewhere</title>
<link rel="stylesheet" href="/dist/css/timeline.css">
<script src="/dist/js/timeline.js"></script></head>
<body><div id="timeline-embed" style="width: 100%; height: 600px"></div>
<script>
  // Fonts and translations from this site too, not TimelineJS's CDN.
  window.timeline = new TL.Timeline("timeline-embed", "{source}", {{
    script_path: location.origin + "/dist/js/"
  }});
</script></body></html>
"""


def unavailable(reason):
    """In CI a missing TimelineJS is a failure; elsewhere the test is skipped."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def timelinejs_dist():
    """TimelineJS's built files, installed from the lock file when missing."""
    if DIST.joinpath("js", "timeline.js").exists():
        return DIST
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm is not installed, so TimelineJS cannot be installed")
    result = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=PACKAGE,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        unavailable(f"npm ci failed in {PACKAGE}: {result.stderr[-2000:]}")
    return DIST


@pytest.fixture
def other_site(tmp_path, timelinejs_dist):
    """Serve `tmp_path` (with TimelineJS under /dist/) on a port of its own;
    yields (root folder, base URL)."""
    (tmp_path / "dist").symlink_to(timelinejs_dist, target_is_directory=True)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_timelinejs_on_another_site_shows_the_trackers_events(
    live_server, page, home_page, other_site
):
    tracker = make_tracker(
        home_page,
        "County sanctuary policy reversal",
        events=[
            event_fields(
                datetime.date(2017, 1, 26),
                kind="decision",
                title="Mayor orders jails to honor detainers",
            ),
            event_fields(
                datetime.date(2013, 6, 1),
                kind="vote",
                title="Commission limits detainers",
                precision="year",
            ),
        ],
    )
    root, url = other_site
    source = f"{live_server.url}{tracker.url}timeline.json"
    assert not source.startswith(url)  # a different origin: CORS applies
    (root / "index.html").write_text(EMBED_PAGE.format(source=source))
    errors = []
    # TimelineJS's default font asks Google Fonts, which this machine may not
    # reach; only what the two sites serve is checked.
    ours = (url, live_server.url)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "requestfailed",
        lambda request: (
            request.url.startswith(ours) and errors.append(f"failed: {request.url}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.url.startswith(ours)
            and errors.append(f"{response.status}: {response.url}")
        ),
    )

    page.goto(f"{url}/index.html")

    # TimelineJS draws one slide per event (and the title slide) once the
    # data has arrived; polled by Playwright, no fixed wait.
    slides = page.locator(".tl-slide .tl-headline")
    slides.filter(has_text="Commission limits detainers").first.wait_for(
        state="attached", timeout=30_000
    )
    headlines = slides.all_text_contents()
    assert any("Mayor orders jails to honor detainers" in h for h in headlines)
    assert any("County sanctuary policy reversal" in h for h in headlines)
    # The title slide's link to the tracker is absolute, on BASE_URL.
    assert page.locator(f'.tl-slide a[href$="{tracker.url}"]').count() >= 1
    assert not errors, errors
