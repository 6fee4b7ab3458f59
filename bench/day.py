"""`make bench-day`: a simulated newsroom day, and the page cache's hit ratio.

At BENCH_DAY_SIZE stories (default 20000; the site `make bench` builds in
data/bench-<size>/, copied afresh for each run), readers open a newsroom's mix
of pages (bench.locustfile.NewsroomDayReader) while an editor publishes an
update or correction every 30 s and a new story every 5 minutes
(bench.day_editor), that pace sped up BENCH_DAY_SPEEDUP times (10) so the day
fits in BENCH_DAY_SECONDS (120). It runs once per way of invalidating the page
cache (PAGE_CACHE_INVALIDATION) and counts the X-Cache answers.

The hit ratio leaves out each URL's first request of the run: in two minutes,
readers reach far into the archive's long tail for the first time, a miss that
no way of invalidating could avoid, and which a real day's steady state spreads
over hours. The ratio with first requests is reported beside it.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.locust_runner import run_locust
from bench.server import (
    ROOT,
    bench_site,
    build_site,
    gunicorn,
    machine,
    manage,
    provenance,
    site_env,
)
from bench.targets import day_check, exit_status

SIZE = int(os.environ.get("BENCH_DAY_SIZE", "20000"))
SECONDS = int(os.environ.get("BENCH_DAY_SECONDS", "120"))
SPEEDUP = float(os.environ.get("BENCH_DAY_SPEEDUP", "10"))
USERS = int(os.environ.get("BENCH_DAY_USERS", "16"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
# A newsroom's pace, in seconds of its day: an update or correction every 30 s,
# a new story every 5 minutes. The run compresses it SPEEDUP times.
UPDATE_EVERY = 30
STORY_EVERY = 300
# Today's cache empties on every change; the new one only what showed it.
MODES = ("generation", "dependencies")
RESULTS = ROOT / "bench" / "results.md"
HEADING = "## Newsroom day"


def hit_ratio(answers):
    """Hits among the requests a cache could have answered: `answers` maps an
    X-Cache answer to its count; first requests of a URL are left out."""
    hits, misses = answers.get("HIT", 0), answers.get("MISS", 0)
    return hits / (hits + misses) if hits + misses else 0.0


@dataclass
class DayRun:
    mode: str
    pages: dict  # page name -> {X-Cache answer -> count}
    rate: float
    p50: float
    p99: float
    published: dict

    @property
    def cache(self):
        """X-Cache answers over every page."""
        total = {}
        for answers in self.pages.values():
            for answer, count in answers.items():
                total[answer] = total.get(answer, 0) + count
        return total

    @property
    def hit_ratio(self):
        return hit_ratio(self.cache)

    @property
    def hit_ratio_with_first(self):
        cache = self.cache
        hits = cache.get("HIT", 0)
        answered = hits + cache.get("MISS", 0) + cache.get("first MISS", 0)
        return hits / answered if answered else 0.0


def run_day(mode, size=SIZE):
    """One newsroom day on a fresh copy of the site, its cache empty."""
    source = bench_site(size, PORT)
    build_site(size, source)
    data = ROOT / "data" / f"bench-{size}-day"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    copy_database(source["DATA_DIR"] + "/db.sqlite3", data / "db.sqlite3")
    env = site_env(
        data,
        f"sqlite:///{data / 'db.sqlite3'}",
        PORT,
        PAGE_CACHE_INVALIDATION=mode,
    )
    # Alone (`make bench-day`), nothing else has collected the static files.
    manage(env, "collectstatic", "--no-input", "-v0")
    targets, new_stories = data / "targets.json", data / "new-stories.txt"
    desk(env, "write_targets", str(targets))
    with gunicorn(env, data / "gunicorn.log") as (base, _server):
        editor = desk(
            env,
            "edit",
            *(str(targets), str(new_stories), SECONDS),
            *(UPDATE_EVERY / SPEEDUP, STORY_EVERY / SPEEDUP),
            wait=False,
        )
        readers = run_locust(
            base,
            USERS,
            SECONDS,
            ["NewsroomDayReader"],
            data,
            env={
                "BENCH_DAY_TARGETS": str(targets),
                "BENCH_DAY_NEW_STORIES": str(new_stories),
            },
        )
        out, _ = editor.communicate(timeout=SECONDS + 300)
    if editor.returncode:
        raise SystemExit(f"the newsroom day's editor failed; see {data}/editor.log")
    if readers.failures:
        raise SystemExit(f"newsroom day, {mode}: " + "; ".join(readers.failures))
    total = readers.total
    published = json.loads(out.splitlines()[-1])
    return DayRun(mode, readers.cache, total.rate, total.p50, total.p99, published)


def desk(env, function, *args, wait=True):
    """Call bench.day_editor's `function` in manage.py shell, with the site's
    settings, its log in the site's editor.log; unless `wait`, return the
    running process, its output piped."""
    code = f"from bench.day_editor import {function}; {function}(*{args!r})"
    command = [sys.executable, "manage.py", "shell", "-c", code]
    with open(Path(env["DATA_DIR"]) / "editor.log", "a") as log:
        if wait:
            return subprocess.run(command, cwd=ROOT, env=env, stderr=log, check=True)
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True
        )


def copy_database(source, target):
    """A consistent copy of a SQLite database, its WAL included."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def section(size, runs):
    """The newsroom day's section of bench/results.md."""
    lines = [
        HEADING,
        "",
        f"{size} stories; {USERS} readers without pauses for {SECONDS} s: home 12 %, "
        "story index 3 %, stories 65 %, trackers 8 %, sources 4 %, feeds 5 %, "
        "corrections log 3 %, stories, trackers and sources by Zipf popularity "
        f"(s = 1.1, newest first). Meanwhile an editor publishes an update or "
        f"correction every {UPDATE_EVERY / SPEEDUP:g} s and a new story every "
        f"{STORY_EVERY / SPEEDUP:g} s: a newsroom's pace sped up {SPEEDUP:g} "
        "times. The hit ratio leaves out each URL's first request (bench/day.py "
        "says why).",
        "",
        "| invalidation | requests | hit ratio | with first requests | req/s "
        "| p50 ms | p99 ms | published |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for run in runs:
        p = run.published
        lines.append(
            f"| {run.mode} | {sum(run.cache.values())} | {run.hit_ratio:.1%} "
            f"| {run.hit_ratio_with_first:.1%} | {run.rate:.0f} | {run.p50:.0f} "
            f"| {run.p99:.0f} | {p['update']} updates, {p['correction']} "
            f"corrections, {p['story']} stories (p50 {p['publish_p50_ms']:.0f} ms) |"
        )
    lines += [
        "",
        "Hit ratio by page:",
        "",
        "| page | " + " | ".join(run.mode for run in runs) + " |",
        "| --- |" + " ---: |" * len(runs),
    ]
    for page in runs[0].pages:
        ratios = [hit_ratio(run.pages.get(page, {})) for run in runs]
        lines.append(f"| {page} | " + " | ".join(f"{r:.1%}" for r in ratios) + " |")
    return [*lines, ""]


def newsroom_day():
    """Both runs, and the check of the new cache's hit ratio."""
    runs = [run_day(mode) for mode in MODES]
    dependencies = next(run for run in runs if run.mode == "dependencies")
    return runs, day_check(dependencies.hit_ratio)


def replace_section(text, heading, lines):
    """`text` with the section under `heading` (up to the next heading of its
    level) replaced by `lines`, or with `lines` appended if it has none."""
    level = heading.split(" ")[0] + " "
    kept, skipping, replaced = [], False, False
    for line in text.splitlines():
        if line == heading:
            kept += lines
            skipping = replaced = True
        elif skipping and line.startswith(level):
            skipping = False
        if not skipping:
            kept.append(line)
    if not replaced:
        kept += ["", *lines]
    return "\n".join(kept) + "\n"


def main():
    runs, check = newsroom_day()
    lines = [
        *section(SIZE, runs),
        f"Run alone (`make bench-day`): {provenance()}; {machine()}.",
        "",
    ]
    text = RESULTS.read_text() if RESULTS.exists() else ""
    RESULTS.write_text(replace_section(text, HEADING, lines))
    print("\n".join(lines))
    print(check.line())
    sys.exit(exit_status([check]))


if __name__ == "__main__":
    main()
