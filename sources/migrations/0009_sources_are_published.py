"""Sources are published by editors, like statements and requests for comment.

Every source that exists is what readers saw, so each is marked published as
of its latest revision (a source saved without one, as `generate_load` makes
them, gets one now), with a publish entry in the audit log that later changes
are compared against. Editors get the publish permission.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from modelcluster.models import get_serializable_data_for_fields


def publish_existing(apps, schema_editor):
    """Also run by import_archive on an archive made before this migration."""
    db = schema_editor.connection.alias
    Source = apps.get_model("sources", "Source")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.using(db).get_or_create(
        app_label="sources", model="source"
    )
    publish, _created = Permission.objects.using(db).get_or_create(
        content_type=content_type,
        codename="publish_source",
        defaults={"name": "Can publish source"},
    )
    for editors in Group.objects.using(db).filter(name="Editors"):
        editors.permissions.add(publish)

    sources = Source.objects.using(db)
    revisions = Revision.objects.using(db).filter(
        base_content_type=content_type,
        object_id=Cast(OuterRef("pk"), output_field=models.CharField()),
    )
    now = timezone.now()
    Revision.objects.using(db).bulk_create(
        [
            Revision(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(source.pk),
                created_at=now,
                object_str=source.name,
                content=get_serializable_data_for_fields(source),
            )
            for source in sources.filter(latest_revision__isnull=True)
        ],
        batch_size=500,
    )
    sources.filter(latest_revision__isnull=True).update(
        latest_revision=Subquery(revisions.order_by("-pk").values("pk")[:1])
    )
    sources.update(
        live=True,
        has_unpublished_changes=False,
        live_revision=F("latest_revision"),
        first_published_at=Subquery(
            revisions.order_by("created_at", "pk").values("created_at")[:1]
        ),
        last_published_at=Subquery(
            Revision.objects.using(db)
            .filter(pk=OuterRef("latest_revision"))
            .values("created_at")
        ),
    )
    entries = [
        ModelLogEntry(
            content_type=content_type,
            object_id=str(source.pk),
            label=source.name,
            action="wagtail.publish",
            timestamp=source.latest_revision.created_at,
            revision_id=source.latest_revision_id,
            content_changed=True,
        )
        for source in sources.select_related("latest_revision")
    ]
    ModelLogEntry.objects.using(db).bulk_create(entries, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0001_roles'),
        ('sources', '0008_requests_for_comment_are_published'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.AddField(
            model_name='source',
            name='expire_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='expiry date/time'),
        ),
        migrations.AddField(
            model_name='source',
            name='expired',
            field=models.BooleanField(default=False, editable=False, verbose_name='expired'),
        ),
        migrations.AddField(
            model_name='source',
            name='first_published_at',
            field=models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='first published at'),
        ),
        migrations.AddField(
            model_name='source',
            name='go_live_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='go live date/time'),
        ),
        migrations.AddField(
            model_name='source',
            name='has_unpublished_changes',
            field=models.BooleanField(default=False, editable=False, verbose_name='has unpublished changes'),
        ),
        migrations.AddField(
            model_name='source',
            name='last_published_at',
            field=models.DateTimeField(editable=False, null=True, verbose_name='last published at'),
        ),
        migrations.AddField(
            model_name='source',
            name='live',
            field=models.BooleanField(default=True, editable=False, verbose_name='live'),
        ),
        migrations.AddField(
            model_name='source',
            name='live_revision',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='live revision'),
        ),
        migrations.RunPython(publish_existing, migrations.RunPython.noop),
    ]
