"""Trackers and the home page leave the stories app for their own apps.

docs/decisions/0003-trackers-in-their-own-app.md says why. The tables keep
their names and rows; Django's state forgets the models here (trackers.0001
and home.0001 declare them), and the content types are relabelled in place, so
every page, revision, log entry, permission and reference index row that
points at them by id keeps pointing at the same model.
"""

import modelcluster.fields
from django.db import migrations

MOVED = {
    "home": ["homepage"],
    "trackers": ["trackerindexpage", "trackerpage", "timelineevent", "trackerfigure"],
}


def relabel(apps, schema_editor, old, new_of):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for app_label, names in MOVED.items():
        new = new_of(app_label)
        for name in names:
            if not types.filter(app_label=old(app_label), model=name).exists():
                continue
            # A row under the new label can only have been made empty (by a
            # permissions step); the old row is the one everything points at.
            types.filter(app_label=new, model=name).delete()
            types.filter(app_label=old(app_label), model=name).update(app_label=new)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    relabel(apps, schema_editor, old=lambda app: "stories", new_of=lambda app: app)


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, old=lambda app: app, new_of=lambda app: "stories")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('home', '0001_initial'),
        ('sources', '0007_trackers_app'),
        ('stories', '0012_page_published_path_index'),
        ('trackers', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='storypage',
                    name='trackers',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, help_text='The accountability issues this story follows.', related_name='stories', to='trackers.trackerpage'),
                ),
                migrations.DeleteModel(name='TimelineEvent'),
                migrations.DeleteModel(name='TrackerFigure'),
                migrations.DeleteModel(name='TrackerPage'),
                migrations.DeleteModel(name='TrackerIndexPage'),
                migrations.DeleteModel(name='HomePage'),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
