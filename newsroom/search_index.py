"""Keeps the site search index in step with what a story or source shows.

A story is indexed with its published updates and the outcomes of its requests
for comment, and a source with the outcomes of the requests made to it
(`search_updates`, `search_requests` on the models). Those live in rows of
their own, so Wagtail re-indexes the story or source only when that row is
saved; here, publishing or unpublishing an update or a request re-indexes the
story and source it belongs to.
"""

from django.dispatch import receiver
from wagtail.search import index
from wagtail.signals import published, unpublished

from sources.models import RequestForComment
from stories.models import Update


@receiver(published, sender=Update)
@receiver(unpublished, sender=Update)
def reindex_story_of_update(sender, instance, **kwargs):
    index.insert_or_update_object(instance.story)


@receiver(published, sender=RequestForComment)
@receiver(unpublished, sender=RequestForComment)
def reindex_story_and_source_of_request(sender, instance, **kwargs):
    index.insert_or_update_object(instance.source)
    if instance.story_id:
        index.insert_or_update_object(instance.story)
