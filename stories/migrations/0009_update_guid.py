import uuid

from django.db import migrations, models


def give_each_update_a_guid(apps, schema_editor):
    Update = apps.get_model("stories", "Update")
    for update in Update.objects.filter(guid__isnull=True).only("pk"):
        Update.objects.filter(pk=update.pk).update(guid=uuid.uuid4())


class Migration(migrations.Migration):
    # A unique field with a callable default is added in three steps, so that
    # existing updates get distinct values (Django's documented pattern).
    dependencies = [("stories", "0008_reader_indexes")]

    operations = [
        migrations.AddField(
            model_name="update",
            name="guid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_update_a_guid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="update",
            name="guid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
