"""`make loadtest`'s machinery, run briefly: readers and an editor against gunicorn.

The same locust users, write tally and checks as the full run, for a few
seconds on the test database, so the load test cannot quietly stop working.

It asserts outcomes, not speed: no failed request (no 5xx, no refused write, no
stale page), no lost write, and at least one write and one page per reader.
Those hold however loaded the machine is: a user who started finishes the task
it is in when the time is up (locust's stop timeout is a minute), and an editor
logs in inside its first task, so a slow login delays the first write but
never skips it. The run time only has to let every user start.
"""

import io

import pytest
from django.core.management import call_command

from bench import loadtest
from bench.loadtest_db import PASSWORD_ENV, prepare, write_counts
from newsroom.scaffold import ensure_home_page
from tests.factories import make_tracker
from tests.servers import database_url, gunicorn

PASSWORD = "load-test-editor-pass-1"
USERS, EDITORS = 4, 1

pytestmark = pytest.mark.servers


# Migrations make the root page and the groups; a flushed database needs them back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_short_load_test_serves_readers_and_loses_no_editor_write(
    tmp_path, monkeypatch, settings
):
    # The server runs production settings, which know no test-speed hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    call_command("generate_load", stories=20, seed=5, stdout=io.StringIO())
    make_tracker(ensure_home_page()[0], "County budget")
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    targets = prepare(editors=EDITORS)

    with gunicorn(
        tmp_path,
        DJANGO_SETTINGS_MODULE="tests.reliability.server_settings",
        DATABASE_URL=database_url(),
        WEB_CONCURRENCY="2",
        # A slow request on a loaded machine is not a failure here.
        GUNICORN_TIMEOUT="120",
    ) as server:
        result = loadtest.run(
            server.url, targets, write_counts, tmp_path,
            users=USERS, editors=EDITORS, seconds=10, password=PASSWORD,
        )  # fmt: skip

    # No failed request and no lost write: every acknowledged write is stored.
    assert result.problems == []
    assert result.pages["admin: log in"].successes == EDITORS
    assert sum(acknowledged for _w, _r, acknowledged, _s in result.writes) >= 1
    assert result.pages["story after a write"].successes >= 1
    reader_requests = sum(
        result.pages[name].successes
        for name in loadtest.READER_PAGES
        if name in result.pages
    )
    assert reader_requests >= USERS - EDITORS
