"""What happens with every published version of a story, whoever published it.

Drafted updates go live with the version they were written for, and the
statements and sources the version quotes are recorded (stories.models.citation).
"""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from stories.models import StoryPage
from stories.models.citation import record_citations
from stories.models.update import publish_pending_updates


@receiver(page_published, sender=StoryPage)
def publish_updates_with_the_story(sender, instance, revision, **kwargs):
    """Every publish path (admin, workflow approval, scheduled, code) sends this."""
    with transaction.atomic():
        publish_pending_updates(instance)
        record_citations(instance, revision)
