"""`make run` serves the site and runs the worker as one command (honcho and
the Procfile), and stopping it stops both."""

import os
import re
import signal
import subprocess

import pytest

from core.background import enqueue
from tests.background import smtp_server
from tests.core.flaky_tasks import say_hello
from tests.servers import (
    ROOT,
    SERVER_SECRET_KEY,
    child_pids,
    database_url,
    free_port,
    get,
    port_open,
    stop,
)
from tests.waiting import wait_until

pytestmark = [
    pytest.mark.servers,
    # Committed rows, for the processes; the rows migrations made are restored
    # after, as every transaction test here does, so later tests find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def descendants(pid):
    found, queue = set(), [pid]
    while queue:
        children = child_pids(queue.pop())
        found |= children
        queue.extend(children)
    return found


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that exited but was not yet reaped by its parent counts as gone.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ")[1][0] != "Z"


def test_make_run_starts_the_procfile():
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n")[0]
    assert re.search(r"exec \$\(BIN\)/honcho start --procfile Procfile", recipe)
    procfile = (ROOT / "Procfile").read_text()
    assert re.search(r"^web: .*gunicorn --config gunicorn.conf.py$", procfile, re.M)
    assert re.search(
        r"^worker: .*manage.py db_worker --backend background", procfile, re.M
    )


def test_the_site_and_the_worker_start_and_stop_together(tmp_path):
    port = free_port()
    with smtp_server() as smtp:
        env = {
            **os.environ,
            **smtp.env(),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
            "SECRET_KEY": SERVER_SECRET_KEY,
            "SECURE_SSL_REDIRECT": "false",
            "DATA_DIR": str(tmp_path),
            "DATABASE_URL": database_url(),
            "PORT": str(port),
        }
        log = (tmp_path / "honcho.log").open("wb")
        honcho = subprocess.Popen(
            [str(ROOT / ".venv/bin/honcho"), "start", "--procfile", "Procfile"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_until(lambda: port_open(port), 60, "the site to listen")
            assert get(f"http://127.0.0.1:{port}/healthz").status == 200
            enqueue(say_hello, "reader@example.org")
            smtp.wait_for("reader@example.org")
            processes = descendants(honcho.pid)
            assert len(processes) >= 3  # gunicorn's master and workers, the worker

            honcho.send_signal(signal.SIGINT)  # Ctrl-C in the terminal
            honcho.wait(timeout=60)
            wait_until(
                lambda: not any(alive(pid) for pid in processes),
                60,
                "every process honcho started to stop",
            )
            assert not port_open(port)
        finally:
            stop(honcho)
            log.close()
    output = (tmp_path / "honcho.log").read_text()
    assert "web.1" in output and "worker.1" in output
