"""Real servers for fault tests: gunicorn, PostgreSQL and Redis as subprocesses.

Every helper waits for a condition (a port that answers, a command that
returns) with a generous deadline, never for a fixed time, and every server is
stopped by the context manager that started it, even when the test fails.

A test that starts one must be marked `servers` (so `make test-fast` leaves it
out); starting a server from an unmarked test fails it with a message saying so.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
# How long a server may take to start on a loaded machine before the test fails.
START_TIMEOUT = 60

# The test being set up, run or torn down; tests/conftest.py keeps it current.
current_test = None


def require_servers_marker(what):
    """Fail the current test unless it is marked `servers`."""
    if current_test is not None and not current_test.get_closest_marker("servers"):
        pytest.fail(
            f"{current_test.nodeid} starts {what}: mark it `servers` "
            "(@pytest.mark.servers, or pytestmark in its module), "
            "so that `make test-fast` leaves it out.",
            pytrace=False,
        )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict


def get(url, headers=None, timeout=30):
    """GET `url`; an HTTP error status is a reply, not an exception."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Reply(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read(), dict(error.headers))


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


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def stop(process, timeout=10):
    """Stop a subprocess politely, then firmly; never wait unbounded."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def child_pids(pid):
    """Direct children of `pid`, read from /proc (gunicorn's workers)."""
    children = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(FileNotFoundError):
            children.update(int(child) for child in task.read_text().split())
    return children


@dataclass
class Gunicorn:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def workers(self):
        return child_pids(self.process.pid)

    def output(self):
        return self.log.read_text(errors="replace")


# The key of every test server: a test that hands one a session it made itself
# signs it with this key (settings.SECRET_KEY), as one deployment's hosts share.
SERVER_SECRET_KEY = "x" * 60


@contextlib.contextmanager
def gunicorn(directory, **env):
    """A real gunicorn on a free port, with the project's gunicorn.conf.py.

    `env` adds to and overrides the environment (DJANGO_SETTINGS_MODULE,
    DATABASE_URL, WEB_CONCURRENCY…); its log goes to a file in `directory`.
    """
    require_servers_marker("gunicorn")
    port = free_port()
    log = Path(directory) / f"gunicorn-{port}.log"
    full_env = {
        **os.environ,
        "SECRET_KEY": SERVER_SECRET_KEY,
        "SECURE_SSL_REDIRECT": "false",
        "DATA_DIR": str(directory),
        "PORT": str(port),
        **env,
    }
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=full_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = Gunicorn(process, port, log)
    try:
        wait_until(
            lambda: port_open(port) or process.poll() is not None,
            START_TIMEOUT,
            "gunicorn to listen",
        )
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited at start:\n{server.output()}")
        yield server
    finally:
        stop(process, timeout=15)


def skip_or_fail(reason):
    """Skip when a server binary is missing here; in CI that is a failure."""
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def pg_binary(name):
    for directory in PG_BIN_DIRS:
        if (directory / name).exists():
            return str(directory / name)
    return shutil.which(name)


@dataclass
class PrivatePostgres:
    """A PostgreSQL server of its own, in a temporary directory, on a free port."""

    directory: Path
    port: int

    @property
    def data(self):
        return self.directory / "data"

    def pg_ctl(self, *args):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", pg_binary("pg_ctl"), *args],
            check=True,
            capture_output=True,
            timeout=START_TIMEOUT + 30,
        )

    def start(self):
        options = (
            f"-p {self.port} -k {self.directory} "
            "-c listen_addresses=127.0.0.1 -c fsync=off"
        )
        self.pg_ctl(
            "start", "-w", "-t", str(START_TIMEOUT), "-D", str(self.data),
            "-l", str(self.directory / "server.log"), "-o", options,
        )  # fmt: skip

    def stop(self, mode="fast"):
        self.pg_ctl(
            "stop", "-w", "-t", str(START_TIMEOUT), "-m", mode, "-D", str(self.data)
        )

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


@contextlib.contextmanager
def private_postgres():
    """initdb, start, yield, and always stop and remove a private PostgreSQL.

    Runs as the postgres OS user, since initdb refuses root. Never touches the
    machine's own server on 5432, which the rest of the suite may be using.
    """
    require_servers_marker("PostgreSQL")
    if not (pg_binary("initdb") and pg_binary("pg_ctl") and shutil.which("runuser")):
        skip_or_fail("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    # Not under pytest's tmp_path: the postgres user cannot enter root's 0700 dirs.
    directory = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
    shutil.chown(directory, user="postgres")
    server = PrivatePostgres(directory, free_port())
    try:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", pg_binary("initdb"), "-D",
             str(server.data), "-A", "trust", "-U", "postgres", "--no-sync"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            server.stop(mode="immediate")
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def redis_server(port=None):
    """A private redis-server with no persistence, stopped on exit."""
    require_servers_marker("redis-server")
    binary = shutil.which("redis-server")
    if not binary:
        skip_or_fail("redis-server is not installed")
    port = port or free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until(lambda: port_open(port), START_TIMEOUT, "redis-server to listen")
        yield port
    finally:
        stop(process)


def send_signal(pid, signum=signal.SIGKILL):
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)
