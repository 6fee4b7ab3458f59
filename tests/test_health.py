"""/healthz answers for the database, and reports it when the database is gone."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_is_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response["Cache-Control"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def gunicorn_without_database(tmp_path):
    """A real gunicorn serving production settings with a database nobody answers."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": "x" * 60,
        "SECURE_SSL_REDIRECT": "false",
        "DATA_DIR": str(tmp_path),
        # Port 1 on loopback is refused at once: a down database, not a slow one.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail(f"gunicorn did not start: {server.stderr.read().decode()}")
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_healthz_is_503_when_the_database_is_unreachable(gunicorn_without_database):
    status, body = get(f"{gunicorn_without_database}/healthz")

    assert status == 503
    assert b'"database": "down"' in body


def test_robots_txt_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.content.decode()
