"""No way around the tombstone: a published story is withdrawn, never unpublished,
and the admin says so; updates go out with a story only when their authors'
colleagues mean them to."""

import pytest
from django.urls import reverse

from stories.models import StoryPage, Update
from stories.models.story import StoryUnpublishError
from tests.factories import make_story, make_update, make_user
from tests.stories.admin_forms import story_form

pytestmark = pytest.mark.django_db

REASON = "The figures in this story came from a report the county withdrew."


def test_code_cannot_unpublish_a_published_story(story_index):
    story = make_story(story_index)
    with pytest.raises(StoryUnpublishError):
        story.unpublish()
    assert StoryPage.objects.get(pk=story.pk).live


def test_the_admin_refuses_to_unpublish_a_published_story(editor_client, story_index):
    story = make_story(story_index)

    response = editor_client.post(
        reverse("wagtailadmin_pages:unpublish", args=[story.pk]), follow=True
    )

    assert "withdraw it instead" in response.content.decode()
    assert StoryPage.objects.get(pk=story.pk).live


def test_the_edit_view_offers_withdraw_and_no_unpublish(editor_client, story_index):
    story = make_story(story_index)

    html = editor_client.get(
        reverse("wagtailadmin_pages:edit", args=[story.pk])
    ).content.decode()

    assert "action-unpublish" not in html
    assert reverse("stories_withdraw", args=[story.pk]) in html


def test_withdrawing_asks_for_a_public_reason_and_shows_what_readers_will_see(
    client, editor_client, story_index
):
    story = make_story(story_index, "Detainer figures")
    url = reverse("stories_withdraw", args=[story.pk])

    confirm = editor_client.get(url)
    assert confirm.status_code == 200
    assert "Withdrawn story: Detainer figures" in confirm.content.decode()
    too_short = editor_client.post(url, {"reason": "Wrong."})
    assert too_short.status_code == 400
    assert not Update.objects.filter(story=story).exists()

    done = editor_client.post(url, {"reason": REASON})

    assert done.status_code == 302
    withdrawal = Update.objects.get(story=story, kind=Update.Kind.WITHDRAWAL)
    assert withdrawal.live and withdrawal.text == REASON
    reader = client.get(f"/stories/{story.slug}/")
    assert reader.status_code == 410
    assert REASON in reader.content.decode()


def test_a_withdrawn_story_shows_as_withdrawn_in_the_admin(editor_client, story_index):
    story = make_story(story_index, "Detainer figures")
    editor_client.post(reverse("stories_withdraw", args=[story.pk]), {"reason": REASON})

    edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    listing = editor_client.get(
        reverse("wagtailadmin_explore", args=[story_index.pk])
    ).content.decode()

    html = edit.content.decode()
    assert "Withdrawn on" in html
    assert reverse("stories_withdraw", args=[story.pk]) not in html
    assert StoryPage.objects.get(pk=story.pk).status_string == "withdrawn"
    assert "withdrawn" in listing.lower()


def test_a_reporter_cannot_withdraw(reporter_client, story_index):
    story = make_story(story_index)
    url = reverse("stories_withdraw", args=[story.pk])
    # The admin turns the refusal into a redirect with a message.
    assert reporter_client.post(url, {"reason": REASON}).status_code in {302, 403}
    assert not Update.objects.filter(story=story).exists()


def publish_edit(client, story, **extra):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[story.pk]),
        {**story_form(story.title, story.slug, action_publish=True), **extra},
    )


def test_publishing_holds_back_a_colleague_s_draft_update_unless_ticked(
    client, editor, story_index
):
    story = make_story(story_index, "Calls stop")
    colleague = make_user("colleague", group="Editors")
    draft = make_update(story, "Half written.", editor=colleague, publish=False)
    client.force_login(editor)

    panel = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    assert "Half written." in panel.content.decode()
    assert 'name="publish_others_updates"' in panel.content.decode()

    publish_edit(client, story)
    draft.refresh_from_db()
    assert not draft.live

    publish_edit(client, story, publish_others_updates="1")
    draft.refresh_from_db()
    assert draft.live


def test_one_s_own_draft_update_goes_out_with_the_story(client, editor, story_index):
    story = make_story(story_index, "Calls stop")
    mine = make_update(story, "The office answered.", editor=editor, publish=False)
    client.force_login(editor)

    publish_edit(client, story)

    mine.refresh_from_db()
    assert mine.live


def test_add_update_opens_with_the_story_chosen(editor_client, story_index):
    story = make_story(story_index, "Calls stop")
    html = editor_client.get(
        reverse("wagtailsnippets_stories_update:add") + f"?story={story.pk}"
    ).content.decode()
    assert f'name="story" value="{story.pk}"' in html
