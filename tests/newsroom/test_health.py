"""/healthz answers for the database, and reports it when the database is gone."""

import pytest

from tests.servers import get, gunicorn


def test_healthz_is_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def gunicorn_without_database(tmp_path):
    """A real gunicorn serving production settings with a database nobody answers."""
    with gunicorn(
        tmp_path,
        DJANGO_SETTINGS_MODULE="newsroom.settings.production",
        # Port 1 on loopback is refused at once: a down database, not a slow one.
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing",
        WEB_CONCURRENCY="1",
    ) as server:
        yield server.url


@pytest.mark.servers
def test_healthz_is_503_when_the_database_is_unreachable(gunicorn_without_database):
    reply = get(f"{gunicorn_without_database}/healthz")

    assert reply.status == 503
    assert b'"database": "down"' in reply.body


def test_robots_txt_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.content.decode()
