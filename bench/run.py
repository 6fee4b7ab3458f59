"""`make bench`: reader pages under load, cached and uncached, against a static file.

For each size in BENCH_SIZES (default "1000 20000") it builds a synthetic site
(generate_load) in data/bench-<size>/, starts gunicorn with 2 workers on SQLite
with production settings, and runs wrk on every reader page: cached, and with
the bypass header (uncached). Writes bench/results.md.
"""

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
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000 20000").split()]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BYPASS = "X-Bypass-Page-Cache"
RESULTS = ROOT / "bench" / "results.md"

URLS_SCRIPT = """
import json
from stories.history import published_versions
from stories.models import StoryPage
story = StoryPage.objects.live().filter(slug__startswith="load-1-").order_by("path")
story = story[story.count() // 2]
v = published_versions(story)
print(json.dumps({
    "home": "/", "story index": "/stories/", "story": story.url,
    "history": story.url + "history/",
    "diff": f"{story.url}history/{v[0].revision_id}/{v[-1].revision_id}/",
    "source": "/sources/load-1-source-3/", "corrections log": "/corrections/",
}))
"""


def env_for(size):
    data = ROOT / "data" / f"bench-{size}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 50),
        "SECURE_SSL_REDIRECT": "false",
        "DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "CACHE_URL": f"file://{data / 'cache'}",
        "PAGE_CACHE_BYPASS_HEADER": BYPASS,
        "PORT": str(PORT),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *args, capture=False):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    ).stdout


def build_site(size, env):
    if (Path(env["DATA_DIR"]) / "built").exists():
        return
    shutil.rmtree(env["DATA_DIR"], ignore_errors=True)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "generate_load", "--stories", str(size), "--seed", "1")
    (Path(env["DATA_DIR"]) / "built").touch()


def wrk(url, headers=()):
    command = ["wrk", "-t2", "-c16", f"-d{SECONDS}s", "--latency", url]
    for header in headers:
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
    output = manage(env, "shell", "-c", URLS_SCRIPT, capture=True)
    urls = json.loads(output.strip().splitlines()[-1])
    server = subprocess.Popen(
        [BIN / "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        _wait(base)
        rows = [("static file", "-", *wrk(base + "/static/css/site.css"))]
        for name, path in urls.items():
            urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310 - warm
            rows.append((name, "cached", *wrk(base + path)))
            rows.append((name, "uncached", *wrk(base + path, [f"{BYPASS}: 1"])))
        rss = worker_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows, rss


def _wait(base):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def machine():
    cpuinfo = Path("/proc/cpuinfo").read_text()
    cpu = re.search(r"model name\s*:\s*(.+)", cpuinfo).group(1).strip()
    mem = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)
    return f"{os.cpu_count()} CPUs ({cpu}), {int(mem) // 1024 // 1024} GB RAM"


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
        f"Machine: {machine()}. gunicorn, 2 sync workers, SQLite, file cache, "
        f"`wrk -t2 -c16 -d{SECONDS}s`; uncached = `{BYPASS}` header.",
        "",
    ]
    for size in SIZES:
        rows, rss = bench_size(size)
        lines += table(size, rows, rss)
        RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
