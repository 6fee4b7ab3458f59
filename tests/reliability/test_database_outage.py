"""The database goes away and comes back: readers get a clean 503, then the site.

A private PostgreSQL server is really stopped and started again under a real
gunicorn, which is never restarted.
"""

import os
import subprocess
import sys

import pytest

from tests.servers import ROOT, get, gunicorn, private_postgres
from tests.waiting import wait_until

pytestmark = pytest.mark.servers

READER_PAGES = ["/", "/sources/"]


def manage(database_url, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
            "SECRET_KEY": "x" * 60,
            "DATABASE_URL": database_url,
        },
        check=True,
        capture_output=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def postgres():
    with private_postgres() as server:
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres",
             "newsroom"],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        database_url = server.url("newsroom")
        manage(database_url, "migrate", "--no-input")
        manage(
            database_url,
            "shell",
            "-c",
            "from newsroom.scaffold import ensure_home_page; ensure_home_page()",
        )
        yield server


@pytest.fixture
def site_on_postgres(postgres, tmp_path):
    with gunicorn(
        tmp_path,
        DJANGO_SETTINGS_MODULE="tests.reliability.server_settings",
        DATABASE_URL=postgres.url("newsroom"),
        WEB_CONCURRENCY="2",
        # Cached pages keep serving through an outage; this test is about the
        # pages that must reach the database.
        PAGE_CACHE="false",
    ) as server:
        yield server


def test_reader_pages_answer_a_clean_503_while_the_database_is_down_and_recover(
    postgres, site_on_postgres
):
    site = site_on_postgres
    for path in READER_PAGES:
        assert get(site.url + path).status == 200, path
    master = site.process.pid

    postgres.stop(mode="fast")
    try:
        for path in READER_PAGES:
            reply = get(site.url + path)
            assert reply.status == 503, path
            assert reply.headers["Retry-After"] == "30"
            assert b"Temporarily unavailable" in reply.body
            assert b"Traceback" not in reply.body
            assert b"OperationalError" not in reply.body
        assert get(site.url + "/healthz").status == 503
    finally:
        postgres.start()

    wait_until(
        lambda: all(get(site.url + path).status == 200 for path in READER_PAGES),
        60,
        "reader pages to answer 200 once PostgreSQL is back",
    )
    assert get(site.url + "/healthz").status == 200
    assert site.process.pid == master
    assert site.process.poll() is None, "gunicorn must not have been restarted"
    assert "Database unavailable while serving /" in site.output()
