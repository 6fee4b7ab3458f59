"""Real gunicorn servers for tests that need separate processes.

Each server runs `gunicorn.conf.py` as `make run` does; tests choose the
settings module, the workers and the environment (database, cache).
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 30


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, headers=None):
    """(status, headers, body) of a GET, for any status."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def database_url():
    """A DATABASE_URL for the database this test process uses (the test one)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"]
    if settings["PASSWORD"]:
        user = f"{user}:{settings['PASSWORD']}"
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


@contextlib.contextmanager
def gunicorn(tmp_path, settings_module, workers=1, **env):
    """Serve the site from a gunicorn subprocess; yield its base URL.

    Waits (bounded) until the port answers, and stops the server afterwards.
    """
    port = free_port()
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "SECRET_KEY": "x" * 60,
            "SECURE_SSL_REDIRECT": "false",
            "DATA_DIR": str(tmp_path),
            "PORT": str(port),
            "WEB_CONCURRENCY": str(workers),
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(server, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def _wait_for_port(server, port):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    server.kill()
    pytest.fail(f"gunicorn did not start: {server.stderr.read().decode()}")
