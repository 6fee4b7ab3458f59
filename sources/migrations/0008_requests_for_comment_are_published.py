"""Requests for comment are published by editors, like statements.

Every request that exists is what readers saw, so each is marked published as
of its latest revision, with a publish entry in the audit log that later
changes are compared against. Editors get the publish permission.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def publish_existing(apps, schema_editor):
    """Also run by import_archive on an archive made before this migration."""
    db = schema_editor.connection.alias
    Request = apps.get_model("sources", "RequestForComment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.using(db).get_or_create(
        app_label="sources", model="requestforcomment"
    )
    publish, _created = Permission.objects.using(db).get_or_create(
        content_type=content_type,
        codename="publish_requestforcomment",
        defaults={"name": "Can publish request for comment"},
    )
    for editors in Group.objects.using(db).filter(name="Editors"):
        editors.permissions.add(publish)
    requests = Request.objects.using(db)
    requests.update(
        live=True,
        live_revision=F("latest_revision"),
        first_published_at=F("asked_at"),
        last_published_at=F("asked_at"),
    )
    entries = [
        ModelLogEntry(
            content_type=content_type,
            object_id=str(request.pk),
            label=f"Request for comment {request.pk}",
            action="wagtail.publish",
            timestamp=request.latest_revision.created_at,
            revision_id=request.latest_revision_id,
            content_changed=True,
        )
        for request in requests.exclude(latest_revision__isnull=True).select_related(
            "latest_revision"
        )
    ]
    ModelLogEntry.objects.using(db).bulk_create(entries, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0001_roles'),
        ('sources', '0007_trackers_app'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.AddField(
            model_name='requestforcomment',
            name='expire_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='expiry date/time'),
        ),
        migrations.AddField(
            model_name='requestforcomment',
            name='expired',
            field=models.BooleanField(default=False, editable=False, verbose_name='expired'),
        ),
        migrations.AddField(
            model_name='requestforcomment',
            name='first_published_at',
            field=models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='first published at'),
        ),
        migrations.AddField(
            model_name='requestforcomment',
            name='go_live_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='go live date/time'),
        ),
        migrations.AddField(
            model_name='requestforcomment',
            name='has_unpublished_changes',
            field=models.BooleanField(default=False, editable=False, verbose_name='has unpublished changes'),
        ),
        migrations.AddField(
            model_name='requestforcomment',
            name='last_published_at',
            field=models.DateTimeField(editable=False, null=True, verbose_name='last published at'),
        ),
        migrations.AddField(
            model_name='requestforcomment',
            name='live',
            field=models.BooleanField(default=True, editable=False, verbose_name='live'),
        ),
        migrations.AddField(
            model_name='requestforcomment',
            name='live_revision',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='live revision'),
        ),
        migrations.RunPython(publish_existing, migrations.RunPython.noop),
    ]
