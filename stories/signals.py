"""Drafted updates go live with the story version they were written for."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from stories.models import StoryPage
from stories.models.update import publish_pending_updates


@receiver(page_published, sender=StoryPage)
def publish_updates_with_the_story(sender, instance, revision, **kwargs):
    """Every publish path (admin, workflow approval, scheduled, code) sends this."""
    with transaction.atomic():
        publish_pending_updates(instance)
