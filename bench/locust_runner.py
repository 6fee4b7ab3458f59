"""Run locust headless against a server and read back its statistics per page."""

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import BIN, ROOT

LOCUSTFILE = ROOT / "bench" / "locustfile.py"


@dataclass
class PageStats:
    """One row of locust's statistics: a page type, or "Aggregated"."""

    name: str
    requests: int
    failures: int
    rate: float
    p50: float
    p99: float

    @property
    def successes(self):
        return self.requests - self.failures


@dataclass
class LocustRun:
    pages: dict
    failures: list
    # Per page name, how many responses said X-Cache: HIT, MISS or "first MISS".
    cache: dict = field(default_factory=dict)

    @property
    def total(self):
        return self.pages["Aggregated"]


def run_locust(host, users, seconds, user_classes, workdir, env=None):
    """Run `user_classes` of bench/locustfile.py with `users` users for `seconds`.

    Users finish the task they are in when time is up (a write in flight is
    completed and counted), so the client's tally can be held against the
    database's.
    """
    report = Path(workdir) / "locust.json"
    log = Path(workdir) / "locust.log"
    report.unlink(missing_ok=True)
    command = [
        BIN / "locust", "-f", LOCUSTFILE, "--headless", "--host", host,
        "--users", str(users), "--spawn-rate", str(users),
        "--run-time", f"{seconds}s", "--stop-timeout", "60",
        "--only-summary", "--loglevel", "WARNING", *user_classes,
    ]  # fmt: skip
    with log.open("w") as out:
        # From the project's root, so the locustfile can import bench.*.
        done = subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {}), "LOCUST_REPORT": str(report)},
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    # 1 means "some requests failed", which the caller judges from the report.
    if done.returncode not in {0, 1} or not report.exists():
        raise SystemExit(f"locust failed ({done.returncode}); see {log}")
    result = json.loads(report.read_text())
    pages = {page["name"]: PageStats(**page) for page in result["pages"]}
    return LocustRun(pages, result["failures"], result["cache"])
