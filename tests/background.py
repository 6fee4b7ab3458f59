"""Background work in tests: the worker, in this process or as a real one, and
a real SMTP server to receive what it sends.

- `run_background_tasks()` runs every task that is due, in this process and
  this test's transaction (the worker's own loop, `db_worker --batch`): for
  unit tests of what a task does.
- `smtp_server()` is a real SMTP server (aiosmtpd) on a free port that keeps
  every message it is sent; `mail_settings(server)` points Django at it.
- `worker_process()` is `manage.py db_worker` as a subprocess on the test
  database, as `make run` and production start it: for end-to-end tests, which
  must commit what they make (`transaction=True` tests or a live server).
"""

import contextlib
import email
import email.policy
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.servers import (
    ROOT,
    SERVER_SECRET_KEY,
    database_url,
    free_port,
    require_servers_marker,
    stop,
)
from tests.waiting import wait_until


def run_background_tasks(limit=10_000):
    """Run the background tasks that are due now, in order, then return.

    The worker's own claim and run steps, without its loop: the loop closes
    the database connection between tasks, which a test's transaction is on.
    Returns how many ran.
    """
    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="background",
        startup_delay=False, max_tasks=None, worker_id="test-worker",
        excluded_queue_names=[],
    )  # fmt: skip
    ran = 0
    while ran < limit:
        due = DBTaskResult.objects.ready().filter(backend_name="background")
        task_result = due.order_by("-priority", "run_after", "enqueued_at").first()
        if task_result is None:
            return ran
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1
    raise AssertionError(f"background tasks still due after {limit} ran")


@dataclass
class Received:
    """The messages an SMTP server was sent, parsed."""

    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        """aiosmtpd's hook for each message received."""
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def to(self, address):
        with self.lock:
            return [m for rcpt, m in self.messages if address in rcpt]

    def count(self):
        with self.lock:
            return len(self.messages)


@dataclass
class SmtpServer:
    host: str
    port: int
    received: Received

    def wait_for(self, address, count=1, timeout=60):
        """Wait until `address` has been sent `count` messages; return them."""
        wait_until(
            lambda: len(self.received.to(address)) >= count,
            timeout,
            f"{count} message(s) to {address}",
        )
        return self.received.to(address)

    def env(self):
        """The environment that points a settings module at this server."""
        return {
            "SMTP_HOST": self.host,
            "SMTP_PORT": str(self.port),
            "SMTP_USE_TLS": "false",
        }


@contextlib.contextmanager
def smtp_server(port=None):
    """A real SMTP server on loopback, stopped on exit."""
    received = Received()
    port = port or free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, received)
    finally:
        controller.stop()


def mail_settings(server):
    """settings.MAILERS for this process, sending to `server` over SMTP."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": server.host, "port": server.port, "use_tls": False},
        }
    }


@dataclass
class WorkerProcess:
    process: subprocess.Popen
    log: Path

    def output(self):
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def worker_process(directory, **env):
    """A real `db_worker` on this test's database; its log goes to `directory`."""
    require_servers_marker("the background worker")
    log = Path(directory) / f"worker-{free_port()}.log"
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": SERVER_SECRET_KEY,
        "SECURE_SSL_REDIRECT": "false",
        "DATA_DIR": str(directory),
        "DATABASE_URL": database_url(),
        "BACKGROUND_TASK_BACKOFF": "0.5",
        **env,
    }
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable, "manage.py", "db_worker", "--backend", "background",
                "--queue-name", "*", "--no-reload", "--no-startup-delay",
                "--interval", "0.2",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    worker = WorkerProcess(process, log)
    try:
        yield worker
    finally:
        stop(process, timeout=15)
