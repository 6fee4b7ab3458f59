"""`make bench`: reader pages under load, cached and uncached, against a static file.

For each size in BENCH_SIZES (default "1000 20000 100000") it builds a
synthetic site (generate_load) in data/bench-<size>/, starts gunicorn with 2
workers on SQLite with production settings, and loads every reader page with
wrk, or with locust (16 users, no pause) where wrk is not installed: cached,
and with the bypass header (uncached), accepting Brotli and gzip as a browser
does. Then the newsroom day (bench.day). Writes bench/results.md, prints each
figure against its target (bench.targets) and exits 1 when one is missed by
more than the tolerance.
"""

import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from bench import day, targets
from bench.locust_runner import run_locust
from bench.server import (
    bench_site,
    build_site,
    gunicorn,
    machine,
    manage,
    manage_json,
    provenance,
)

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000 20000 100000").split()]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BYPASS = "X-Bypass-Page-Cache"
CONNECTIONS = 16
ACCEPT_ENCODING = "Accept-Encoding: br, gzip"

URLS_SCRIPT = """
import json
from stories.history import published_versions
from stories.models import StoryPage
from trackers.models import TrackerPage
story = StoryPage.objects.live().filter(slug__startswith="load-1-").order_by("path")
story = story[story.count() // 2]
v = published_versions(story)
tracker = TrackerPage.objects.visible_to_readers().order_by("path").first()
print(json.dumps({
    "home": "/", "story index": "/stories/", "story": story.url,
    "history": story.url + "history/",
    "diff": f"{story.url}history/{v[0].revision_id}/{v[-1].revision_id}/",
    "tracker": tracker.url if tracker else None,
    "source": "/sources/load-1-source-3/", "corrections log": "/corrections/",
    "search": "/search/?q=marton", "feed": "/feeds/updates/",
    "API list": "/api/stories/",
}))
"""


def env_for(size):
    return bench_site(size, PORT, PAGE_CACHE_BYPASS_HEADER=BYPASS)


def measure(base, path, header=None, workdir=None):
    """(requests/s, p50 ms, p99 ms) for `path` under CONNECTIONS at once."""
    if shutil.which("wrk"):
        return wrk(base + path, header)
    run = run_locust(
        base,
        CONNECTIONS,
        SECONDS,
        ["OnePageUser"],
        workdir,
        env={"BENCH_PATH": path, "BENCH_HEADER": header or ""},
    )
    if run.failures:
        raise SystemExit(f"{path}: " + "; ".join(run.failures))
    return run.total.rate, run.total.p50, run.total.p99


def wrk(url, header=None):
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    command += ["-H", ACCEPT_ENCODING]
    if header:
        command += ["-H", header]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rate, _latency(out, "50%"), _latency(out, "99%")


def _latency(out, percentile):
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def worker_rss_mb(master):
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    rss = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        rss.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return rss


def bench_size(size):
    env = env_for(size)
    build_site(size, env)
    urls = manage_json(env, URLS_SCRIPT)
    data = Path(env["DATA_DIR"])
    with gunicorn(env, data / "gunicorn.log") as (base, server):
        rows = [
            ("static file", "-", *measure(base, "/static/css/site.css", None, data))
        ]
        for name, path in urls.items():
            if path is None:
                continue
            urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310 - warm
            rows.append((name, "cached", *measure(base, path, None, data)))
            bypass = f"{BYPASS}: 1"
            rows.append((name, "uncached", *measure(base, path, bypass, data)))
        rss = worker_rss_mb(server.pid)
    return rows, rss


def load_generator():
    if shutil.which("wrk"):
        return f"`wrk -t2 -c{CONNECTIONS} -d{SECONDS}s`"
    return f"locust, {CONNECTIONS} users without pauses, {SECONDS} s"


def table(size, rows, rss):
    ceiling = rows[0][2]
    lines = [
        f"### {size} stories",
        "",
        "| page | cache | req/s | p50 ms | p99 ms | ÷ static |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, mode, rate, p50, p99 in rows:
        lines.append(
            f"| {name} | {mode} | {rate:.0f} | {p50:.1f} | {p99:.1f} "
            f"| {rate / ceiling:.2f} |"
        )
    lines += ["", "Worker RSS: " + ", ".join(f"{mb:.0f} MB" for mb in rss), ""]
    return lines


def main():
    manage(env_for(SIZES[0]), "collectstatic", "--no-input", "-v0")
    lines = [
        "## Benchmark results",
        "",
        f"{provenance()}. Machine: {machine()}. gunicorn, 2 sync workers, SQLite, "
        f"file cache, {load_generator()}, `{ACCEPT_ENCODING}`; uncached = "
        f"`{BYPASS}` header.",
        "",
    ]
    tables = {}
    for size in SIZES:
        rows, rss = bench_size(size)
        tables[size] = rows
        lines += table(size, rows, rss)
        day.RESULTS.write_text("\n".join(lines))
    runs, hit_ratio = day.newsroom_day()
    checks = [*targets.page_checks(tables), hit_ratio]
    lines += day.section(day.SIZE, runs)
    lines += ["## Targets", "", *targets.table(checks), ""]
    day.RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))
    print("\n".join(check.line() for check in checks))
    sys.exit(targets.exit_status(checks))


if __name__ == "__main__":
    main()
