"""`make loadtest`: readers and editors at once, against gunicorn with 2 workers.

Builds a synthetic site (load_demo, then generate_load with LOADTEST_STORIES
stories, default 500), serves it with production settings (page cache on) and
runs locust headless for LOADTEST_SECONDS (60) with LOADTEST_USERS (32) users,
LOADTEST_EDITORS (3) of them editors writing through the admin
(bench/locustfile.py). Prints throughput and p50/p99 latency per page type,
writes them to bench/loadtest.md, and exits non-zero on any failed request
(a 5xx, a refused write, a page that does not show a write) or any lost
write: every write the server acknowledged must be a row in the database, and
every new row an acknowledged write.

SQLite by default, in data/loadtest-<stories>/ (built once, copied fresh for
each run). With DATABASE_URL set to a PostgreSQL server, the site is built in
a throwaway database, newsroom_loadtest, on that server, dropped afterwards.
"""

import contextlib
import json
import os
import secrets
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from bench.locust_runner import run_locust
from bench.server import ROOT, gunicorn, machine, manage, manage_json, site_env

STORIES = int(os.environ.get("LOADTEST_STORIES", "500"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
USERS = int(os.environ.get("LOADTEST_USERS", "32"))
EDITORS = int(os.environ.get("LOADTEST_EDITORS", "3"))
PORT = int(os.environ.get("LOADTEST_PORT", "8766"))
RESULTS = ROOT / "bench" / "loadtest.md"
THROWAWAY_DATABASE = "newsroom_loadtest"

# Each count from loadtest_db.write_counts, and the editor request that adds one.
WRITES = {
    "updates": "admin: append update",
    "story revisions": "admin: publish version",
    "story publications": "admin: publish version",
}
READER_PAGES = [
    "home", "story index", "story", "history", "diff", "tracker", "source",
    "corrections log", "search", "feed", "API list",
]  # fmt: skip
EDITOR_PAGES = [
    "admin: login form", "admin: log in", "admin: update form",
    "admin: append update", "admin: story edit form", "admin: publish version",
    "story after a write",
]  # fmt: skip


@dataclass
class Result:
    pages: dict
    writes: list
    problems: list


def run(host, targets, count_writes, workdir, *, users, editors, seconds, password):
    """Load `host` with readers and `editors` editors; check no write was lost.

    `targets` is loadtest_db.prepare's answer, made with `password` in
    LOADTEST_EDITOR_PASSWORD; `count_writes` returns loadtest_db.write_counts
    from the database the server writes to.
    """
    targets_file = Path(workdir) / "targets.json"
    targets_file.write_text(json.dumps(targets))
    before = count_writes()
    locust = run_locust(
        host,
        users,
        seconds,
        ["ReaderUser", "EditorUser"],
        workdir,
        env={
            "LOADTEST_TARGETS": str(targets_file),
            "LOADTEST_EDITOR_PASSWORD": password,
            "LOADTEST_EDITORS": str(editors),
        },
    )
    after = count_writes()
    writes, problems = [], list(locust.failures)
    for count, request in WRITES.items():
        page = locust.pages.get(request)
        acknowledged = page.successes if page else 0
        stored = after[count] - before[count]
        writes.append((count, request, acknowledged, stored))
        if stored != acknowledged:
            problems.append(
                f"{count}: {acknowledged} writes acknowledged, {stored} stored"
            )
    return Result(locust.pages, writes, problems)


def tables(result):
    lines = [
        "| page | requests | failures | req/s | p50 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in [*READER_PAGES, *EDITOR_PAGES, "Aggregated"]:
        if page := result.pages.get(name):
            lines.append(
                f"| {name} | {page.requests} | {page.failures} | {page.rate:.1f} "
                f"| {page.p50:.0f} | {page.p99:.0f} |"
            )
    lines += [
        "",
        "| write | by request | acknowledged | rows added |",
        "| --- | --- | ---: | ---: |",
    ]
    lines += [
        f"| {w} | {r} | {ack} | {stored} |" for w, r, ack, stored in result.writes
    ]
    return lines


@contextlib.contextmanager
def sqlite_site():
    data = ROOT / "data" / f"loadtest-{STORIES}"
    pristine = data / "pristine.sqlite3"
    if not (data / "built").exists():
        shutil.rmtree(data, ignore_errors=True)
        build(site_env(data, f"sqlite:///{pristine}", PORT))
        (data / "built").touch()
    live = data / "db.sqlite3"
    for stale in data.glob("db.sqlite3*"):
        stale.unlink()
    # The backup API copies a consistent database whatever WAL state it is in.
    with sqlite3.connect(pristine) as source, sqlite3.connect(live) as copy:
        source.backup(copy)
    yield "SQLite", site_env(data, f"sqlite:///{live}", PORT)


@contextlib.contextmanager
def postgresql_site(url):
    server = urlsplit(url)
    name = sql.Identifier(THROWAWAY_DATABASE)
    maintenance = server._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        data = ROOT / "data" / f"loadtest-{STORIES}-postgresql"
        shutil.rmtree(data, ignore_errors=True)
        env = site_env(
            data, server._replace(path=f"/{THROWAWAY_DATABASE}").geturl(), PORT
        )
        build(env)
        yield "PostgreSQL", env
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
            )


def build(env):
    demo_passwords = {
        "DEMO_REPORTER_PASSWORD": secrets.token_urlsafe(12),
        "DEMO_EDITOR_PASSWORD": secrets.token_urlsafe(12),
    }
    manage(env, "migrate", "--no-input", "-v0")
    # The demo brings a tracker and a story with quotes and statements.
    manage({**env, **demo_passwords}, "load_demo", capture=True)
    manage(env, "generate_load", "--stories", str(STORIES), "--seed", "1")


def save(heading, lines):
    """Replace this backend's section of bench/loadtest.md, keep the others."""
    sections = {}
    if RESULTS.exists():
        for section in RESULTS.read_text().split("\n### ")[1:]:
            title, _, body = section.partition("\n")
            sections[title] = body
    sections[heading] = "\n" + "\n".join(lines) + "\n"
    text = "## Load test results\n"
    for title in sorted(sections):
        text += f"\n### {title}\n\n{sections[title].strip()}\n"
    RESULTS.write_text(text)


def main():
    url = os.environ.get("DATABASE_URL", "")
    site = postgresql_site(url) if url.startswith("postgres") else sqlite_site()
    with site as (backend, env):
        password = secrets.token_urlsafe(16)
        env["LOADTEST_EDITOR_PASSWORD"] = password
        shutil.rmtree(Path(env["DATA_DIR"]) / "cache", ignore_errors=True)
        manage(env, "collectstatic", "--no-input", "-v0")
        targets = manage_json(
            env,
            "import json; from bench.loadtest_db import prepare; "
            f"print(json.dumps(prepare({EDITORS})))",
        )

        def count_writes():
            return manage_json(
                env,
                "import json; from bench.loadtest_db import write_counts; "
                "print(json.dumps(write_counts()))",
            )

        log = Path(env["DATA_DIR"]) / "gunicorn.log"
        with gunicorn(env, log) as (base, _server):
            result = run(
                base, targets, count_writes, env["DATA_DIR"],
                users=USERS, editors=EDITORS, seconds=SECONDS, password=password,
            )  # fmt: skip
    lines = [
        f"Machine: {machine()}. gunicorn, 2 sync workers, {backend}, file cache "
        f"(page cache on); {STORIES} stories; locust, {USERS} users of whom "
        f"{EDITORS} editors, {SECONDS} s.",
        "",
        *tables(result),
    ]
    save(backend, lines)
    print(f"### {backend}\n\n" + "\n".join(lines))
    if result.problems:
        print("\nFAILED:\n" + "\n".join(f"- {p}" for p in result.problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
