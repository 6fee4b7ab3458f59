"""Indexes for the join Wagtail's PostgreSQL search makes to the searched rows.

Its index entries name their object by a text id, and the join compares that
with `id::varchar(50)`, an expression the primary key's index cannot serve: at
100,000 statements every search read the whole table (56 ms; 12 ms with these).
The indexes are on that expression, for the searchable tables readers search.
Other databases keep their search index differently and need nothing.
"""

from django.db import migrations

TABLES = {
    "sources_statement_search_id": ("sources_statement", "id"),
    "sources_source_search_id": ("sources_source", "id"),
    "stories_storypage_search_id": ("stories_storypage", "page_ptr_id"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in TABLES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} "
            f"ON {table} ((({column})::varchar(50)::text))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0005_statement_said_at_index"),
        ("stories", "0012_page_published_path_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
