"""What reader participation hears from the rest of the site.

Following: every way something a follower hears about gets published ends in
one of these signals, inside the publishing transaction, so the change is
recorded (participation.changes) and its mail scheduled
(participation.follow_tasks.schedule) exactly when it is published:

- an update, correction, clarification, editor's note or withdrawal, whether
  it goes out with a story version (stories.signals, publish_pending_updates),
  on its own (the update snippet's publish), as a withdrawal or with a
  redaction: Wagtail's `published` signal of Update;
- a story's first published version: `page_published` of StoryPage, for the
  trackers it is on; a tracker added to a published story: the trackers
  relation's `m2m_changed` (written when a version of the story is published);
- a timeline event or key figure reading: the row's `post_save` on creation,
  which for a published tracker happens when a version of it is published.
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, published

from participation import changes, follow_tasks
from stories.models import StoryPage, Update
from trackers.models import TimelineEvent, TrackerFigure

Kind = changes.Kind


@receiver(published, sender=Update)
def follow_update(sender, instance, **kwargs):
    follow_tasks.schedule(changes.record_update(instance))


@receiver(page_published, sender=StoryPage)
def follow_new_story(sender, instance, revision, **kwargs):
    went_live = instance.live and instance.live_revision_id == revision.pk
    first_time = instance.first_published_at == instance.last_published_at
    if not (went_live and first_time):
        return
    tracker_ids = list(instance.trackers.values_list("pk", flat=True))
    follow_tasks.schedule(changes.record_story_on_trackers(instance.pk, tracker_ids))


@receiver(m2m_changed, sender=StoryPage.trackers.through)
def follow_story_added_to_tracker(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "post_add" or not pk_set:
        return
    if reverse:  # tracker.stories.add(story, …)
        for story_id in pk_set:
            follow_tasks.schedule(
                changes.record_story_on_trackers(story_id, [instance.pk])
            )
        return
    if instance.live and instance.first_published_at:
        follow_tasks.schedule(changes.record_story_on_trackers(instance.pk, pk_set))


@receiver(post_save, sender=TimelineEvent)
def follow_new_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        follow_tasks.schedule(changes.record_tracker_item(instance, Kind.EVENT))


@receiver(post_save, sender=TrackerFigure)
def follow_new_figure(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        follow_tasks.schedule(changes.record_tracker_item(instance, Kind.FIGURE))
