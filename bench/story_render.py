"""The uncached story page in-process: queries, median render time, a profile.

Run by hand (it is not a test: timings depend on the machine). It renders one
story page with Django's test client in a loop, with the page cache bypassed as
`make bench` bypasses it, and prints the queries of one render and the median
and 90th percentile of the rest. `--profile FILE` writes cProfile's top
functions to FILE.

    .venv/bin/python -m bench.story_render                 # the demo's story, in data/
    DATA_DIR=data/bench-1000 .venv/bin/python -m bench.story_render --renders 500
    .venv/bin/python -m bench.story_render /stories/<slug>/ --profile /tmp/story.txt
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time

import django

BYPASS = "X-Bypass-Page-Cache"
DEMO_STORY = "/stories/mayors-office-stops-taking-calls-on-sanctuary-reversal/"


def settings_env():
    """Production settings on plain HTTP, the page cache on but bypassable."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.production")
    os.environ.setdefault("SECRET_KEY", "story-render-" + "x" * 50)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["PAGE_CACHE_BYPASS_HEADER"] = BYPASS


def default_path():
    """The demo's story, or the middle story of a generate_load site."""
    from stories.models import StoryPage  # noqa: PLC0415 - after django.setup()

    stories = StoryPage.objects.live().order_by("path")
    loaded = stories.filter(slug__startswith="load-")
    if loaded.exists():
        return loaded[loaded.count() // 2].url
    return DEMO_STORY


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="a story's path (default: see above)")
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--profile", help="write cProfile's top functions here")
    args = parser.parse_args()

    settings_env()
    django.setup()
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    path = args.path or default_path()
    client = Client(headers={BYPASS: "1"}, HTTP_HOST="localhost")
    # The first render warms what any running worker has warm: templates,
    # the site, the renditions.
    first = client.get(path)
    if first.status_code != 200:
        raise SystemExit(f"{path} answered {first.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    # Read now: the next request empties the connection's log.
    queries = len(captured.captured_queries)

    profiler = cProfile.Profile() if args.profile else None
    times, cpu_times = [], []
    for _ in range(args.renders):
        start, cpu_start = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        client.get(path)
        if profiler:
            profiler.disable()
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu_start) * 1000)

    print(f"{path}: {queries} queries, {args.renders} renders")
    # CPU time as well as wall time: on a shared machine, other processes
    # lengthen the wall time of a render but not the CPU time it takes.
    for name, values in (("wall", times), ("cpu", cpu_times)):
        values.sort()
        print(
            f"{name}: median {statistics.median(values):.2f} ms, "
            f"p90 {values[int(len(values) * 0.9)]:.2f} ms, min {values[0]:.2f} ms"
        )
    if profiler:
        write_profile(profiler, args.profile)


def write_profile(profiler, filename):
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    with open(filename, "w") as file:
        file.write(out.getvalue())
    print(f"profile: {filename}")


if __name__ == "__main__":
    main()
