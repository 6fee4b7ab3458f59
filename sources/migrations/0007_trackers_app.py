"""Statements and requests for comment point at the tracker in its new app.

State only: the foreign keys already name the same table.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sources', '0006_search_join_indexes'),
        ('trackers', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (db_table); only Django's state moves.
            state_operations=[
                migrations.AlterField(
                    model_name='requestforcomment',
                    name='tracker',
                    field=models.ForeignKey(blank=True, help_text='The tracker this request is for, if any; public requests show on its timeline.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='requests_for_comment', to='trackers.trackerpage'),
                ),
                migrations.AlterField(
                    model_name='statement',
                    name='tracker',
                    field=models.ForeignKey(blank=True, help_text='The tracker whose timeline shows this statement, if any.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='statements', to='trackers.trackerpage'),
                ),
            ],
            database_operations=[],
        ),
    ]
