"""What the benchmark and the load test share: manage.py, gunicorn, the machine.

Both serve a synthetic site with production settings from gunicorn with 2 sync
workers, as a deployment would, on a port of their own.
"""

import contextlib
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def site_env(data_dir, database_url, port, **extra):
    """Environment for manage.py and gunicorn serving the site in `data_dir`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 50),
        "SECURE_SSL_REDIRECT": "false",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "CACHE_URL": f"file://{data_dir / 'cache'}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def bench_site(size, port, **extra):
    """Environment for the synthetic site of `size` stories, data/bench-<size>/."""
    data = ROOT / "data" / f"bench-{size}"
    return site_env(data, f"sqlite:///{data / 'db.sqlite3'}", port, **extra)


def build_site(size, env):
    """Build the site once; a site kept from an earlier run is only migrated."""
    built = Path(env["DATA_DIR"]) / "built"
    if not built.exists():
        shutil.rmtree(env["DATA_DIR"], ignore_errors=True)
    manage(env, "migrate", "--no-input", "-v0")
    if not built.exists():
        manage(env, "generate_load", "--stories", str(size), "--seed", "1")
        built.touch()


def manage(env, *args, capture=False):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    ).stdout


def manage_json(env, script):
    """Run `script` in manage.py shell; it prints one JSON line last."""
    return json.loads(manage(env, "shell", "-c", script, capture=True).splitlines()[-1])


@contextlib.contextmanager
def gunicorn(env, log):
    """gunicorn with the project's gunicorn.conf.py; yields (base URL, process)."""
    with open(log, "wb") as log_file:
        server = subprocess.Popen(
            [BIN / "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        _wait(base, server)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait(base, server):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not start on {base}")


def machine():
    """The CPUs this process may use (as nproc counts them), their model, RAM."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    cpu = re.search(r"model name\s*:\s*(.+)", cpuinfo).group(1).strip()
    mem = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)
    nproc = len(os.sched_getaffinity(0))
    return f"{nproc} CPUs ({cpu}), {int(mem) // 1024 // 1024} GB RAM"


def provenance():
    """When, and on which commit, a run was made; "+ changes" if the checkout
    differs from it (the results file the run writes aside)."""

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    if git("status", "--porcelain", "--", ".", ":!bench/results.md"):
        commit += " + uncommitted changes"
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{now}, commit {commit}"
