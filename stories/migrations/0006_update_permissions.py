"""Editors append and publish updates; reporters may only read them."""

from django.db import migrations

from core.roles import grant_model_permissions

GRANTS = {
    "Editors": [
        "add_update",
        "change_update",
        "delete_update",
        "publish_update",
        "view_update",
    ],
    "Reporters": ["view_update"],
}


def forwards(apps, schema_editor):
    grant_model_permissions(apps, "stories", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0005_updates"),
        ("newsroom", "0001_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
