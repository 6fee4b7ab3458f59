"""Trackers move here from the stories app (docs/decisions/0003-trackers-in-their-own-app.md).

State only: the tables keep their names (stories_trackerpage, ...) and their
rows; stories.0013 moves the content types.
"""

import core.page_cache
import django.db.models.deletion
import modelcluster.fields
import wagtail.contrib.routable_page.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('sources', '0006_search_join_indexes'),
        ('stories', '0012_page_published_path_index'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (db_table); only Django's state moves.
            state_operations=[
                migrations.CreateModel(
                    name='TrackerIndexPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('intro', models.TextField(blank=True)),
                    ],
                    options={
                        'db_table': 'stories_trackerindexpage',
                    },
                    bases=(core.page_cache.CachedViewRestrictionsMixin, 'wagtailcore.page'),
                ),
                migrations.CreateModel(
                    name='TrackerPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('summary', models.TextField(help_text='What the issue is, in two or three lines.')),
                        ('status', models.CharField(choices=[('active', 'Active'), ('closed', 'Closed')], default='active', max_length=10)),
                    ],
                    options={
                        'db_table': 'stories_trackerpage',
                    },
                    bases=(core.page_cache.CachedViewRestrictionsMixin, wagtail.contrib.routable_page.models.RoutablePageMixin, 'wagtailcore.page'),
                ),
                migrations.CreateModel(
                    name='TrackerFigure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('label', models.CharField(help_text='What the figure counts.', max_length=200)),
                        ('value', models.DecimalField(decimal_places=2, max_digits=14)),
                        ('value_to', models.DecimalField(blank=True, decimal_places=2, help_text='The top of a range, e.g. a projection of 1,000 to 1,500.', max_digits=14, null=True)),
                        ('unit', models.CharField(blank=True, max_length=40)),
                        ('period', models.CharField(blank=True, help_text='What the reading covers, e.g. “in 2012” or “projected for 2017”.', max_length=100)),
                        ('as_of', models.DateField(help_text='The date the figure was true or published.')),
                        ('source', models.CharField(help_text='Where the figure comes from.', max_length=200)),
                        ('source_url', models.URLField(blank=True)),
                        ('tracker', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='figures', to='trackers.trackerpage')),
                    ],
                    options={
                        'db_table': 'stories_trackerfigure',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='TimelineEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('precision', models.CharField(choices=[('year', 'Year'), ('month', 'Month'), ('day', 'Day'), ('time', 'Date and time')], default='day', max_length=10)),
                        ('start_date', models.DateField(help_text='For a year or a month, any day in it: only the known parts show.')),
                        ('start_time', models.TimeField(blank=True, help_text='Local time; only with “Date and time”.', null=True)),
                        ('end_date', models.DateField(blank=True, help_text='Optional; shown to the same precision.', null=True)),
                        ('end_time', models.TimeField(blank=True, null=True)),
                        ('kind', models.CharField(choices=[('decision', 'Decision'), ('protest', 'Protest'), ('letter', 'Letter'), ('meeting', 'Meeting'), ('vote', 'Vote'), ('data_release', 'Data release'), ('announcement', 'Announcement'), ('court', 'Court action'), ('other', 'Other')], max_length=20)),
                        ('title', models.CharField(max_length=200)),
                        ('description', models.TextField(blank=True)),
                        ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sources.source')),
                        ('statement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sources.statement')),
                        ('story', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='stories.storypage')),
                        ('tracker', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='trackers.trackerpage')),
                    ],
                    options={
                        'db_table': 'stories_timelineevent',
                        'ordering': ['sort_order'],
                        'abstract': False,
                        'indexes': [models.Index(fields=['tracker', 'start_date'], name='stories_tim_tracker_6e5af6_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
