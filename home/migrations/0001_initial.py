"""The home page moves here from the stories app. State only: the table keeps its
name (stories_homepage) and its row; stories.0013 moves the content type.
"""

import core.page_cache
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('stories', '0012_page_published_path_index'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (db_table); only Django's state moves.
            state_operations=[
                migrations.CreateModel(
                    name='HomePage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('intro', models.TextField(blank=True, help_text='One or two sentences under the masthead.')),
                    ],
                    options={
                        'db_table': 'stories_homepage',
                    },
                    bases=(core.page_cache.CachedViewRestrictionsMixin, 'wagtailcore.page'),
                ),
            ],
            database_operations=[],
        ),
    ]
