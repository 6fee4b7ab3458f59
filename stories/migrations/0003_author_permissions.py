from django.db import migrations

from core.roles import grant_model_permissions

GRANTS = {
    "Editors": ["add_author", "change_author", "delete_author", "view_author"],
    "Reporters": ["view_author"],
}


def forwards(apps, schema_editor):
    grant_model_permissions(apps, "stories", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0002_stories_and_authors"),
        ("newsroom", "0001_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
