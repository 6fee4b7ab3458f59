"""Newsroom roles from Wagtail's default groups.

Wagtail creates "Editors" (may add and edit pages) and "Moderators" (may also
publish), plus a "Moderators approval" workflow. In a newsroom those are the
reporters and the editors, so the groups are renamed rather than duplicated, and
the workflow becomes the editorial review that reporters submit to.
"""

from django.db import migrations

RENAMES = [("Editors", "Reporters"), ("Moderators", "Editors")]
WORKFLOW_RENAMES = [("Moderators approval", "Editorial review")]
TASK_RENAMES = [("Moderators approval", "Editors' approval")]


def rename(model, pairs, field="name"):
    for old, new in pairs:
        model.objects.filter(**{field: old}).update(**{field: new})


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    rename(Group, RENAMES)
    for name in ("Reporters", "Editors"):
        Group.objects.get_or_create(name=name)
    rename(apps.get_model("wagtailcore", "Workflow"), WORKFLOW_RENAMES)
    rename(apps.get_model("wagtailcore", "Task"), TASK_RENAMES)


def backwards(apps, schema_editor):
    def swapped(pairs):
        return [(new, old) for old, new in reversed(pairs)]

    rename(apps.get_model("wagtailcore", "Task"), swapped(TASK_RENAMES))
    rename(apps.get_model("wagtailcore", "Workflow"), swapped(WORKFLOW_RENAMES))
    rename(apps.get_model("auth", "Group"), swapped(RENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
