from django.db import migrations

from core.roles import grant_model_permissions

MODELS = ["source", "statement", "requestforcomment"]
REPORTER_ACTIONS = ["add", "change", "view", "lock", "unlock"]

GRANTS = {
    "Reporters": [f"{action}_{model}" for model in MODELS for action in REPORTER_ACTIONS],
    "Editors": [
        f"{action}_{model}"
        for model in MODELS
        for action in [*REPORTER_ACTIONS, "delete"]
    ]
    + ["publish_statement"],
}


# Wagtail adds these after migrations (post_migrate); they are made here so
# that the groups can be granted them in the same `migrate`.
WAGTAIL_PERMISSIONS = {
    "source": ["lock", "unlock"],
    "statement": ["publish", "lock", "unlock"],
    "requestforcomment": ["lock", "unlock"],
}


def create_wagtail_permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model_name, actions in WAGTAIL_PERMISSIONS.items():
        model = apps.get_model("sources", model_name)
        content_type, _created = ContentType.objects.get_or_create(
            app_label="sources", model=model_name
        )
        for action in actions:
            Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model_name}",
                defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"},
            )


def forwards(apps, schema_editor):
    create_wagtail_permissions(apps)
    grant_model_permissions(apps, "sources", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0001_initial"),
        ("newsroom", "0001_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
