"""Who may publish: reporters never, editors yes; readers see live pages only."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stories.models import StoryPage
from tests.factories import make_story
from tests.stories.admin_forms import story_form


@pytest.fixture
def draft(story_index, reporter):
    return make_story(
        story_index, "Draft about county jails", publish=False, writer=reporter
    )


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.id])


def test_reporter_cannot_publish_by_posting_the_publish_action(reporter_client, draft):
    response = reporter_client.post(
        edit_url(draft), story_form(draft.title, draft.slug, action_publish=True)
    )

    assert response.status_code in {200, 302}
    draft.refresh_from_db()
    assert not draft.live


def test_reporter_cannot_publish_a_new_story_from_the_add_view(
    reporter_client, story_index
):
    url = reverse(
        "wagtailadmin_pages:add", args=["stories", "storypage", story_index.id]
    )
    reporter_client.post(url, story_form("Sneaky", "sneaky", action_publish=True))

    assert not StoryPage.objects.filter(slug="sneaky", live=True).exists()


def test_reporter_cannot_publish_through_the_bulk_action(reporter_client, draft):
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={draft.id}"
    )
    reporter_client.post(url, {"include_descendants": ""})

    draft.refresh_from_db()
    assert not draft.live


def test_reporter_sees_no_publish_button(reporter_client, draft):
    content = reporter_client.get(edit_url(draft)).content.decode()

    assert 'name="action-publish"' not in content
    assert 'name="action-submit"' in content


def test_editor_can_publish(editor_client, draft):
    editor_client.post(
        edit_url(draft), story_form(draft.title, draft.slug, action_publish=True)
    )

    draft.refresh_from_db()
    assert draft.live


def test_readers_get_404_for_a_draft(client, draft):
    assert client.get(draft.url).status_code == 404


def test_scheduled_story_is_hidden_until_its_go_live_time(client, story_index, editor):
    story = make_story(story_index, "Scheduled", publish=False)
    story.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    story.save_revision(user=editor).publish(user=editor)
    story.refresh_from_db()

    assert not story.live
    assert client.get(f"/stories/{story.slug}/").status_code == 404
    assert story.title not in client.get("/stories/").content.decode()

    # The go-live time passes: moved into the past rather than waited for.
    past = timezone.now() - datetime.timedelta(minutes=1)
    StoryPage.objects.filter(pk=story.pk).update(go_live_at=past)
    scheduled = story.revisions.get(approved_go_live_at__isnull=False)
    scheduled.approved_go_live_at = past
    scheduled.content["go_live_at"] = past
    scheduled.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled", stdout=StringIO())

    story.refresh_from_db()
    assert story.live
    assert client.get(f"/stories/{story.slug}/").status_code == 200
