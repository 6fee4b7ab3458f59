"""gunicorn under faults: a worker killed mid-request, and a graceful SIGTERM.

Real gunicorn processes and real signals; the slow request comes from the
test-only view in tests.reliability.urls, and lasts until the test releases
it, so each signal lands while it is in flight however loaded the machine.
"""

import signal
import threading
from pathlib import Path

import pytest

from tests.servers import get, gunicorn, send_signal
from tests.waiting import wait_until

pytestmark = pytest.mark.servers

# The slow request answers by itself after this long if nobody releases it.
SLOW_REQUEST_LIMIT = 60


@pytest.fixture
def site(tmp_path):
    with gunicorn(
        tmp_path,
        DJANGO_SETTINGS_MODULE="tests.reliability.server_settings",
        WEB_CONCURRENCY="2",
    ) as server:
        wait_until(lambda: len(server.workers()) == 2, 60, "two gunicorn workers")
        yield server


class Request(threading.Thread):
    """A request in flight in the background; its reply or error kept."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url = url
        self.reply = self.error = None

    def run(self):
        try:
            self.reply = get(self.url, timeout=SLOW_REQUEST_LIMIT + 30)
        except OSError as error:
            self.error = error


def start_slow_request(site, tmp_path):
    """Start a slow request and return it with the pid of the worker serving it."""
    pid_file = Path(tmp_path) / "slow-request.pid"
    pid_file.unlink(missing_ok=True)
    request = Request(f"{site.url}/slow/?seconds={SLOW_REQUEST_LIMIT}")
    request.start()
    wait_until(pid_file.exists, 30, "the slow request to reach a worker")
    return request, int(wait_until(pid_file.read_text, 30, "the worker's pid"))


def release_slow_request(tmp_path):
    (Path(tmp_path) / "slow-request.release").touch()


def test_killing_a_worker_mid_request_leaves_the_others_serving(site, tmp_path):
    request, busy_worker = start_slow_request(site, tmp_path)
    assert busy_worker in site.workers()

    send_signal(busy_worker, signal.SIGKILL)
    request.join(timeout=SLOW_REQUEST_LIMIT + 30)

    # The killed request is lost; every request after it is served.
    assert request.reply is None or request.reply.status >= 500
    for _ in range(20):
        assert get(f"{site.url}/healthz").status == 200
    replaced = wait_until(
        lambda: len(site.workers()) == 2 and busy_worker not in site.workers(),
        60,
        "the master to replace the killed worker",
    )
    assert replaced
    assert site.process.poll() is None


def test_sigterm_lets_the_request_in_flight_finish(site, tmp_path):
    request, _worker = start_slow_request(site, tmp_path)

    send_signal(site.process.pid, signal.SIGTERM)
    wait_until(
        lambda: "Handling signal: term" in site.output(),
        30,
        "the master to start shutting down",
    )
    assert request.is_alive(), "the request must still be in flight"
    release_slow_request(tmp_path)
    request.join(timeout=SLOW_REQUEST_LIMIT + 30)

    assert request.error is None
    assert request.reply.status == 200
    assert request.reply.body.startswith(b"done")
    site.process.wait(timeout=60)
    assert site.process.returncode == 0
