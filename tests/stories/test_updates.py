"""Updates are appended by editors, published with the story, and never taken back."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from wagtail import hooks
from wagtail.test.utils.form_data import nested_form_data

from stories.models import PublishedUpdateError, StoryPage, Update
from tests.factories import make_story, make_update, make_user, publish_new_version
from tests.stories.admin_forms import story_form


@pytest.fixture
def story(story_index, editor):
    return make_story(story_index, paragraphs=["The office took calls."], editor=editor)


def test_published_update_cannot_be_deleted_through_the_model(story, editor):
    update = make_update(story, editor=editor)

    with pytest.raises(PublishedUpdateError):
        update.delete()
    with pytest.raises(PublishedUpdateError):
        Update.objects.filter(pk=update.pk).delete()

    assert Update.objects.filter(pk=update.pk).exists()


def test_published_update_cannot_be_rewritten_in_place(story, editor):
    update = make_update(story, "Original wording.", editor=editor)

    update.text = "Silently changed."
    with pytest.raises(PublishedUpdateError):
        update.save()
    with pytest.raises(PublishedUpdateError):
        Update.objects.filter(pk=update.pk).update(text="Silently changed.")
    with pytest.raises(PublishedUpdateError):
        Update.objects.filter(pk=update.pk).update(kind="clarification")

    assert Update.objects.get(pk=update.pk).text == "Original wording."


def test_published_update_cannot_be_unpublished(story, editor):
    update = make_update(story, editor=editor)

    update.live = False
    with pytest.raises(PublishedUpdateError):
        update.save()


def test_draft_update_can_still_be_deleted(story, editor):
    draft = make_update(story, editor=editor, publish=False)

    draft.delete()

    assert not Update.objects.filter(pk=draft.pk).exists()


def test_admin_delete_view_refuses_a_published_update(editor_client, story, editor):
    update = make_update(story, editor=editor)
    url = reverse("wagtailsnippets_stories_update:delete", args=[update.pk])

    response = editor_client.post(url, follow=True)

    assert "cannot be deleted" in response.content.decode()
    assert Update.objects.filter(pk=update.pk).exists()


def test_admin_bulk_delete_refuses_published_updates(editor_client, story, editor):
    update = make_update(story, editor=editor)
    url = (
        reverse("wagtail_bulk_action", args=["stories", "update", "delete"])
        + f"?id={update.pk}"
    )

    response = editor_client.post(url, follow=True)

    assert "cannot be deleted" in response.content.decode()
    assert Update.objects.filter(pk=update.pk).exists()


def test_admin_unpublish_refuses_a_published_update(editor_client, story, editor):
    update = make_update(story, editor=editor)
    url = reverse("wagtailsnippets_stories_update:unpublish", args=[update.pk])

    response = editor_client.post(url, follow=True)

    assert "cannot be unpublished" in response.content.decode()
    update.refresh_from_db()
    assert update.live


def test_admin_refuses_deleting_a_published_story(editor_client, story, editor):
    make_update(story, editor=editor)

    response = editor_client.post(
        reverse("wagtailadmin_pages:delete", args=[story.pk]), follow=True
    )

    assert "cannot be deleted" in response.content.decode()
    assert StoryPage.objects.filter(pk=story.pk).exists()


def test_admin_bulk_delete_refuses_a_published_story(editor_client, story):
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        + f"?id={story.pk}&childOf={story.get_parent().pk}"
    )

    response = editor_client.post(url, follow=True)

    assert "cannot be deleted" in response.content.decode()
    assert StoryPage.objects.filter(pk=story.pk).exists()


def test_editing_a_published_update_in_the_admin_publishes_an_amendment(
    editor_client, client, story, editor
):
    update = make_update(story, "Calls went to 311.", editor=editor)
    url = reverse("wagtailsnippets_stories_update:edit", args=[update.pk])

    response = editor_client.post(
        url,
        nested_form_data(
            {
                "story": story.pk,
                "kind": "update",
                "text": "Some calls went to the 311 centre.",
                "action-publish": "action-publish",
            }
        ),
    )

    assert response.status_code == 302
    update.refresh_from_db()
    assert update.text == "Some calls went to the 311 centre."
    assert update.was_amended
    story_html = client.get(story.url).content.decode()
    assert "amended on" in story_html
    history = client.get(story.url + "history/").content.decode()
    assert "Calls went to 311." in history
    assert "Some calls went to the 311 centre." in history


def test_reporters_cannot_append_updates(reporter_client, story):
    url = reverse("wagtailsnippets_stories_update:add")

    response = reporter_client.post(
        url,
        nested_form_data(
            {"story": story.pk, "kind": "update", "text": "By a reporter."}
        ),
    )

    assert response.status_code in {302, 403}
    assert not Update.objects.exists()


def test_reporters_cannot_change_published_updates(reporter_client, story, editor):
    update = make_update(story, "Fixed wording.", editor=editor)
    url = reverse("wagtailsnippets_stories_update:edit", args=[update.pk])

    reporter_client.post(
        url,
        nested_form_data(
            {
                "story": story.pk,
                "kind": "update",
                "text": "Rewritten.",
                "action-publish": "1",
            }
        ),
    )

    update.refresh_from_db()
    assert update.text == "Fixed wording."
    assert not update.has_unpublished_changes


def test_draft_update_goes_out_with_the_storys_next_version(story, editor):
    correction = make_update(
        story, "We had the day wrong.", kind="correction", editor=editor, publish=False
    )
    assert not correction.is_published

    revision = publish_new_version(
        story, editor=editor, paragraphs=["The office refused calls."]
    )

    correction.refresh_from_db()
    assert correction.is_published
    assert correction.story_revision_id == revision.pk
    assert correction.published_by == editor


def test_update_published_alone_is_bound_to_the_live_version(story, editor):
    update = make_update(story, editor=editor)

    assert update.story_revision_id == story.live_revision_id


def test_story_page_shows_updates_newest_first_and_a_corrected_marker(
    client, story, editor
):
    make_update(story, "First we added this.", editor=editor)
    make_update(story, "Then we corrected that.", kind="correction", editor=editor)

    html = client.get(story.url).content.decode()

    assert html.index("Then we corrected that.") < html.index("First we added this.")
    assert "Corrected <time" in html


@pytest.mark.parametrize("count", [1, 50])
def test_story_page_runs_a_bounded_number_of_queries(
    client, story, editor, count, django_assert_max_num_queries
):
    for n in range(count):
        make_update(story, f"Update number {n}.", editor=editor)

    with django_assert_max_num_queries(16):
        response = client.get(story.url)

    assert response.status_code == 200
    assert response.content.decode().count('class="update update--') == count


# Migrations make the root page and the groups; a flushed database needs them back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_appending_at_the_same_moment_both_keep_their_update(
    story_index,
):
    editors = [make_user(f"editor{n}", group="Editors") for n in range(2)]
    story = make_story(story_index, editor=editors[0])
    start = threading.Barrier(len(editors))
    errors = []

    def append(user):
        try:
            start.wait()
            make_update(story, f"Appended by {user.username}.", editor=user)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=[user]) for user in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    texts = set(
        Update.objects.published().filter(story=story).values_list("text", flat=True)
    )
    assert texts == {"Appended by editor0.", "Appended by editor1."}


def test_admin_publish_that_fails_midway_publishes_neither_version_nor_update(
    editor_client, story, editor
):
    correction = make_update(
        story, "We had the day wrong.", kind="correction", editor=editor, publish=False
    )
    live_revision = story.live_revision_id

    def fail_after_publishing(request, page):
        raise RuntimeError("the request died after the publish step")

    editor_client.raise_request_exception = False
    with hooks.register_temporarily("after_publish_page", fail_after_publishing):
        response = editor_client.post(
            reverse("wagtailadmin_pages:edit", args=[story.id]),
            story_form(story.title, story.slug, action_publish=True),
        )

    assert response.status_code == 500
    story.refresh_from_db()
    correction.refresh_from_db()
    assert story.live_revision_id == live_revision
    assert not correction.is_published
