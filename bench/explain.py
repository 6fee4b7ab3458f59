"""`make explain`: the query plans behind every reader page, on PostgreSQL.

Opens each reader page of a site built by generate_load through Django's test
client, records the SQL it ran, and asks PostgreSQL for the plan of each
statement (EXPLAIN ANALYZE: the statements are reads). Writes bench/explain.md:
per page, its queries, the slowest one's time and every sequential scan of a
table with more than SEQ_SCAN_ROWS rows, which would mean a reader query
without an index.

    DATABASE_URL=postgres://... manage.py generate_load --stories 20000
    DATABASE_URL=postgres://... make explain
"""

import os
import re

import django

from bench.server import ROOT

RESULTS = ROOT / "bench" / "explain.md"
SEQ_SCAN_ROWS = 1000


def reader_urls():
    # Models load only after main() has called django.setup().
    from sources.models import Source  # noqa: PLC0415
    from stories.history import published_versions  # noqa: PLC0415
    from stories.models import StoryPage  # noqa: PLC0415
    from trackers.models import TrackerPage  # noqa: PLC0415

    stories = StoryPage.objects.live().order_by("path")
    story = stories[stories.count() // 2]
    versions = published_versions(story)
    tracker = TrackerPage.objects.live().order_by("path").first()
    source = Source.objects.order_by("pk").first()
    tag = story.tags.first()
    return {
        "home": "/",
        "story index": "/stories/",
        "story index, page 50": "/stories/?page=50",
        "tag": f"/tags/{tag.slug}/" if tag else None,
        "story": story.url,
        "history": f"{story.url}history/",
        "diff": f"{story.url}history/{versions[0].revision_id}/"
        f"{versions[-1].revision_id}/",
        "tracker": tracker.url if tracker else None,
        "source index": "/sources/",
        "source": f"/sources/{source.slug}/",
        "corrections log": "/corrections/",
        "search": "/search/?q=marton",
        "feed": "/feeds/stories/",
        "API list": "/api/stories/",
        "API statements": "/api/statements/",
    }


def plans(client, connection, url):
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 - after setup()

    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT TEXT) {sql}")
            yield status, sql, "\n".join(row[0] for row in cursor.fetchall())


def seq_scans(plan, sizes):
    for table in re.findall(r"Seq Scan on (\w+)", plan):
        if sizes.get(table, 0) > SEQ_SCAN_ROWS:
            yield f"{table} ({sizes[table]} rows)"


def table_sizes(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_live_tup FROM pg_stat_user_tables")
        return dict(cursor.fetchall())


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    django.setup()
    # Settings and connections are read only once django.setup() has run.
    from django.conf import settings  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    if connection.vendor != "postgresql":
        raise SystemExit("make explain needs DATABASE_URL pointing at PostgreSQL.")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PAGE_CACHE_ENABLED = False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sizes = table_sizes(connection)
    client = Client()
    lines = [
        "## Query plans of reader pages (PostgreSQL)",
        "",
        f"Tables with more than {SEQ_SCAN_ROWS} rows that a page scans "
        "sequentially would need an index.",
        "",
        "| page | status | queries | slowest ms | sequential scans of large tables |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, url in reader_urls().items():
        if url is None:
            continue
        results = list(plans(client, connection, url))
        status = results[0][0] if results else client.get(url).status_code
        times = [
            float(m.group(1))
            for _status, _sql, plan in results
            if (m := re.search(r"Execution Time: ([\d.]+) ms", plan))
        ]
        scans = sorted(
            {s for _st, _sql, plan in results for s in seq_scans(plan, sizes)}
        )
        lines.append(
            f"| {name} | {status} | {len(results)} | {max(times, default=0):.1f} "
            f"| {', '.join(scans) or 'none'} |"
        )
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
