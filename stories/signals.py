"""What happens with every published version of a story, whoever published it.

The version is kept on the public record (stories.models.record), drafted
updates go live with the version they were written for, and the statements
and sources the version quotes are noted (stories.models.citation).
"""

from django.db import transaction
from django.db.models.signals import post_migrate, pre_save
from django.dispatch import receiver
from wagtail.signals import page_published

from stories.models import StoryPage, Update, record
from stories.models.citation import record_citations
from stories.models.record import record_story_version, record_update_wording
from stories.models.update import publish_pending_updates


@receiver(page_published, sender=StoryPage)
def publish_updates_with_the_story(sender, instance, revision, **kwargs):
    """Every publish path (admin, workflow approval, scheduled, code) sends this.

    Wagtail sends it also when a first version is only scheduled (approved for
    a go-live time, not yet live); that version is recorded, with its updates,
    when the scheduler publishes it.
    """
    if not (instance.live and instance.live_revision_id == revision.pk):
        return
    with transaction.atomic():
        record_story_version(instance, revision)
        publish_pending_updates(instance)
        record_citations(instance, revision)


@receiver(pre_save, sender=StoryPage)
def note_trackers(sender, instance, **kwargs):
    """The trackers a story was on before this save: their timelines listed
    it, so the page cache retires them too (StoryPage.tracker_tags)."""
    if instance.pk is not None and not kwargs.get("raw"):
        through = StoryPage.trackers.through
        instance._trackers_before = set(
            through.objects.filter(storypage=instance.pk).values_list(
                "trackerpage", flat=True
            )
        )


@receiver(post_migrate)
def record_earlier_publishes(sender, app_config, **kwargs):
    """Databases from before the record was kept get it (record.backfill)."""
    if app_config.label == "stories":
        record.backfill()


record.register(StoryPage, record_story_version)
record.register(Update, record_update_wording)
