"""Which published stories cite a source, read from Wagtail's reference index,
and which asked it for comment."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import Page, ReferenceIndex

from sources.models import RequestForComment, Source, Statement
from stories.models import StoryPage


def citing_stories(source):
    """Live stories whose body cites `source` or quotes one of its statements.

    Wagtail's reference index already records every chooser in a story's body,
    so this is one query rather than a scan of every story.
    """
    return (
        StoryPage.objects.for_listing()
        .alias(text_pk=Cast("pk", CharField()))
        .filter(text_pk__in=_references_to(source))
    )


def stories_involving(source):
    """Listed stories that quote or cite `source`, or for which we asked it
    for comment (a request readers may see), newest first, in one query (and
    one for their bylines)."""
    asked = RequestForComment.objects.visible_to_readers().filter(
        source=source, story__isnull=False
    )
    return (
        StoryPage.objects.for_listing()
        .alias(text_pk=Cast("pk", CharField()))
        .filter(
            Q(text_pk__in=_references_to(source)) | Q(pk__in=asked.values("story_id"))
        )
    )


def _references_to(source):
    """Ids (as text) of the pages whose body chooses `source` or one of its
    statements."""
    statement_ids = Statement.objects.filter(source=source).values(
        text_pk=Cast("pk", CharField())
    )
    return ReferenceIndex.objects.filter(
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
