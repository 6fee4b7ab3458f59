"""gunicorn under faults: a worker killed mid-request, and a graceful SIGTERM.

Real gunicorn processes and real signals; the slow request comes from the
test-only view in tests.reliability.urls.
"""

import signal
import threading
from pathlib import Path

import pytest

from tests.servers import get, gunicorn, send_signal, wait_until

SLOW_SECONDS = 2


@pytest.fixture
def site(tmp_path):
    with gunicorn(
        tmp_path,
        DJANGO_SETTINGS_MODULE="tests.reliability.server_settings",
        WEB_CONCURRENCY="2",
    ) as server:
        wait_until(lambda: len(server.workers()) == 2, 20, "two gunicorn workers")
        yield server


class Request(threading.Thread):
    """A request in flight in the background; its reply or error kept."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url = url
        self.reply = self.error = None

    def run(self):
        try:
            self.reply = get(self.url, timeout=20)
        except OSError as error:
            self.error = error


def start_slow_request(site, tmp_path):
    """Start a slow request and return it with the pid of the worker serving it."""
    pid_file = Path(tmp_path) / "slow-request.pid"
    pid_file.unlink(missing_ok=True)
    request = Request(f"{site.url}/slow/?seconds={SLOW_SECONDS}")
    request.start()
    wait_until(pid_file.exists, 10, "the slow request to reach a worker")
    return request, int(wait_until(pid_file.read_text, 5, "the worker's pid"))


def test_killing_a_worker_mid_request_leaves_the_others_serving(site, tmp_path):
    request, busy_worker = start_slow_request(site, tmp_path)
    assert busy_worker in site.workers()

    send_signal(busy_worker, signal.SIGKILL)
    request.join(timeout=20)

    # The killed request is lost; every request after it is served.
    assert request.reply is None or request.reply.status >= 500
    for _ in range(20):
        assert get(f"{site.url}/healthz").status == 200
    replaced = wait_until(
        lambda: len(site.workers()) == 2 and busy_worker not in site.workers(),
        20,
        "the master to replace the killed worker",
    )
    assert replaced
    assert site.process.poll() is None


def test_sigterm_lets_the_request_in_flight_finish(site, tmp_path):
    request, _worker = start_slow_request(site, tmp_path)

    send_signal(site.process.pid, signal.SIGTERM)
    request.join(timeout=20)

    assert request.error is None
    assert request.reply.status == 200
    assert request.reply.body.startswith(b"done")
    site.process.wait(timeout=20)
    assert site.process.returncode == 0
