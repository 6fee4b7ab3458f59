"""Updates lose their go-live and expiry dates (the form no longer offers them).

A published update is never unpublished, so an expiry date on one could only
make the scheduler fail on it each time it ran.
"""

from django.db import migrations
from django.db.models import Q


def clear_schedules(apps, schema_editor):
    Update = apps.get_model("stories", "Update")
    scheduled = Update.objects.using(schema_editor.connection.alias).filter(
        Q(go_live_at__isnull=False) | Q(expire_at__isnull=False)
    )
    scheduled.update(go_live_at=None, expire_at=None)


class Migration(migrations.Migration):

    dependencies = [
        ('stories', '0013_trackers_and_home_move_out'),
    ]

    operations = [
        migrations.RunPython(clear_schedules, migrations.RunPython.noop),
    ]
