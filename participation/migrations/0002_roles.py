from django.db import migrations

from core.roles import grant_model_permissions

# Reporters read reports and add notes to them (change); only editors decide
# them (status, correction, reason: decide_correctionrequest) or delete one.
GRANTS = {
    "Reporters": ["view_correctionrequest", "change_correctionrequest"],
    "Editors": [
        "view_correctionrequest",
        "change_correctionrequest",
        "decide_correctionrequest",
        "delete_correctionrequest",
        "change_correctionspolicy",
    ],
}


def forwards(apps, schema_editor):
    grant_model_permissions(apps, "participation", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0001_initial"),
        ("newsroom", "0001_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
