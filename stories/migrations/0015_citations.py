"""Citations: what each published version quotes, so that it cannot be deleted.

The rows for versions published before this migration are written from
their revisions here (see stories.models.citation).
"""

import json

import django.db.models.deletion
from django.db import migrations, models


PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


def body_blocks(content):
    body = content.get("body") or []
    return json.loads(body) if isinstance(body, str) else body


def backfill(apps, schema_editor):
    db = schema_editor.connection.alias
    ContentType = apps.get_model("contenttypes", "ContentType")
    PageLogEntry = apps.get_model("wagtailcore", "PageLogEntry")
    Citation = apps.get_model("stories", "Citation")
    Statement = apps.get_model("sources", "Statement")
    Source = apps.get_model("sources", "Source")
    story_type = ContentType.objects.using(db).filter(
        app_label="stories", model="storypage"
    ).first()
    if story_type is None:
        return
    statements = set(Statement.objects.using(db).values_list("pk", flat=True))
    sources = set(Source.objects.using(db).values_list("pk", flat=True))
    entries = (
        PageLogEntry.objects.using(db)
        .filter(
            content_type=story_type,
            action__in=PUBLISH_ACTIONS,
            revision__isnull=False,
        )
        .select_related("revision")
        .order_by("pk")
    )
    rows, seen = [], set()
    for entry in entries.iterator():
        if entry.revision_id in seen:
            continue
        seen.add(entry.revision_id)
        named = {}
        for block in body_blocks(entry.revision.content):
            value = block.get("value")
            if block.get("type") == "statement" and value in statements:
                named[("statement", value)] = True
            elif block.get("type") == "source_citation" and isinstance(value, dict):
                if value.get("source") in sources:
                    named[("source", value["source"])] = True
        for field, pk in named:
            rows.append(
                Citation(
                    story_id=entry.page_id,
                    revision_id=entry.revision_id,
                    **{f"{field}_id": pk},
                )
            )
    Citation.objects.using(db).bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('sources', '0007_trackers_app'),
        ('stories', '0014_updates_have_no_schedule'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='Citation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.revision')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='citations', to='sources.source')),
                ('statement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='citations', to='sources.statement')),
                ('story', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='citations', to='stories.storypage')),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('statement__isnull', True), ('source__isnull', True), _connector='XOR'), name='citation_names_a_statement_or_a_source')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
