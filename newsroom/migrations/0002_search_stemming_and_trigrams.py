"""Site search: stemming on SQLite, trigrams on PostgreSQL.

Wagtail's database backend (modelsearch) creates its SQLite FTS5 table with
FTS5's default tokenizer, which does not stem: "detainers" never matches
"detainer". The table is rebuilt here with the porter tokenizer (and
diacritics folded), then refilled from the index entries it mirrors; the
backend's triggers name the table, not its definition, so they keep working.

On PostgreSQL, stemming comes from SEARCH_CONFIG = "english" (settings), and
"Did you mean …?" for names uses pg_trgm, enabled here. Each step runs on its
own database only. Decision record 0008 explains the choice.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# Wagtail names the backend's tables for its own app, wagtailsearch.
FTS_TABLE = "wagtailsearch_indexentry_fts"
INDEX_TABLE = "wagtailsearch_indexentry"
TOKENIZER = "porter unicode61 remove_diacritics 2"


def create_fts_table(schema_editor, tokenizer):
    execute = schema_editor.execute
    execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    tokenize = f", tokenize = '{tokenizer}'" if tokenizer else ""
    execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(autocomplete, body, title"
        f"{tokenize})"
    )
    execute(
        f"INSERT INTO {FTS_TABLE}(rowid, title, body, autocomplete) "  # noqa: S608
        f"SELECT id, title, body, autocomplete FROM {INDEX_TABLE}"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite" and _has_fts_table(schema_editor):
        create_fts_table(schema_editor, TOKENIZER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite" and _has_fts_table(schema_editor):
        create_fts_table(schema_editor, None)


def _has_fts_table(schema_editor):
    tables = schema_editor.connection.introspection.table_names()
    return FTS_TABLE in tables


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_roles"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        # Does nothing on any database but PostgreSQL (Django checks the vendor).
        TrigramExtension(),
    ]
