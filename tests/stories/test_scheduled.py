"""Scheduled publishing: every publish by the scheduler is on the record, and
one object that refuses its change does not stop the others."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone
from wagtail.models import Revision

from stories.history import published_versions
from stories.models import StoryPage, Update
from tests.factories import make_story, make_update

pytestmark = pytest.mark.django_db


def schedule(story, editor, title):
    """Approve a version of `story` for a go-live time, then let that time pass.

    The time is moved into the past in the revision itself, which is what the
    scheduler reads, so no test waits on the clock.
    """
    story.title = title
    story.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = story.save_revision(user=editor)
    revision.publish(user=editor)
    past = timezone.now() - datetime.timedelta(minutes=1)
    Revision.objects.filter(pk=revision.pk).update(
        content={**revision.content, "go_live_at": past.isoformat()},
        approved_go_live_at=past,
    )
    return revision


def run_scheduler():
    out, err = StringIO(), StringIO()
    try:
        call_command("publish_scheduled", stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, err.getvalue()


def test_a_story_published_only_by_the_scheduler_has_its_history(
    client, story_index, editor
):
    story = make_story(story_index, "Draft", publish=False)
    revision = schedule(story, editor, "Commission votes on the order")
    assert client.get(f"/stories/{story.slug}/").status_code == 404

    before = timezone.now()
    assert run_scheduler() == (True, "")

    story.refresh_from_db()
    assert story.live
    versions = published_versions(story)
    assert [v.revision_id for v in versions] == [revision.pk]
    assert versions[0].published_at >= before
    history = client.get(f"/stories/{story.slug}/history/")
    assert history.status_code == 200
    assert "Commission votes on the order" in history.content.decode()


def test_a_scheduled_second_version_joins_the_history(client, story_index, editor):
    story = make_story(story_index, "First headline")
    scheduled = schedule(story, editor, "Second headline")

    run_scheduler()

    versions = published_versions(StoryPage.objects.get(pk=story.pk))
    assert len(versions) == 2
    assert versions[-1].revision_id == scheduled.pk
    diff = client.get(
        f"/stories/{story.slug}/history/{versions[0].revision_id}/{scheduled.pk}/"
    )
    assert diff.status_code == 200


def test_one_refusing_object_does_not_stop_the_scheduled_story(story_index, editor):
    published = make_update(make_story(story_index, "Old story"), "On the record.")
    # An expiry left from before updates lost the field: the update refuses
    # to be unpublished, since published updates stay on the record.
    models.QuerySet(Update).filter(pk=published.pk).update(
        expire_at=timezone.now() - datetime.timedelta(days=1)
    )
    story = make_story(story_index, "Draft", publish=False)
    schedule(story, editor, "Due now")

    succeeded, report = run_scheduler()

    assert not succeeded
    assert f"unpublish update {published.pk}" in report
    assert "1 scheduled change(s) failed" in report
    story.refresh_from_db()
    assert story.live
    published.refresh_from_db()
    assert published.live


def test_the_update_form_offers_no_go_live_or_expiry_date(editor_client, story_index):
    story = make_story(story_index)
    response = editor_client.get(
        f"/admin/snippets/stories/update/add/?story={story.pk}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="go_live_at"' not in html
    assert 'name="expire_at"' not in html
