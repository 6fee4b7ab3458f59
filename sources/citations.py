"""Which published stories cite a source, read from Wagtail's reference index."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import Page, ReferenceIndex

from sources.models import Source, Statement
from stories.models import StoryPage


def citing_stories(source):
    """Live stories whose body cites `source` or quotes one of its statements.

    Wagtail's reference index already records every chooser in a story's body,
    so this is one query rather than a scan of every story.
    """
    statement_ids = Statement.objects.filter(source=source).values(
        text_pk=Cast("pk", CharField())
    )
    references = ReferenceIndex.objects.filter(
        Q(
            to_content_type=ContentType.objects.get_for_model(Source),
            to_object_id=str(source.pk),
        )
        | Q(
            to_content_type=ContentType.objects.get_for_model(Statement),
            to_object_id__in=statement_ids,
        ),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values("object_id")
    return (
        StoryPage.objects.for_listing()
        .alias(text_pk=Cast("pk", CharField()))
        .filter(text_pk__in=references)
    )
