"""Published means frozen: saving over a published revision makes a new one.

Wagtail lets the author of the latest revision overwrite it in place; for a
revision readers were shown that would rewrite the record. Every path is
tried: code, and the edit form's `overwrite_revision_id` posted by hand.
"""

import pytest
from wagtail.models import Revision

from stories.history import published_versions
from stories.models import StoryPage
from tests.factories import (
    make_source,
    make_statement,
    make_story,
    make_update,
)
from tests.stories.admin_forms import story_form

pytestmark = pytest.mark.django_db


def frozen(revision):
    """What a revision holds, to compare before and after."""
    fresh = Revision.objects.get(pk=revision.pk)
    return fresh.content, fresh.created_at


def test_code_cannot_overwrite_a_published_story_version(story_index, reporter):
    story = make_story(story_index, "Calls stop", writer=reporter)
    published = story.live_revision
    before, history = frozen(published), published_versions(story)

    story.title = "Calls stop (rewritten)"
    revision = story.save_revision(user=reporter, overwrite_revision=published)

    assert revision.pk != published.pk
    assert frozen(published) == before
    after = published_versions(StoryPage.objects.get(pk=story.pk))
    assert [v.text for v in after] == [v.text for v in history]


def test_the_edit_form_cannot_overwrite_the_approved_version(
    reporter_client, reporter, story_index
):
    story = make_story(story_index, "Approved headline", writer=reporter)
    published = story.live_revision
    assert published.user == reporter
    before = frozen(published)

    response = reporter_client.post(
        f"/admin/pages/{story.pk}/edit/",
        {
            **story_form("Unreviewed headline", story.slug),
            "overwrite_revision_id": str(published.pk),
        },
    )

    assert response.status_code in {200, 302}
    assert frozen(published) == before
    story.refresh_from_db()
    assert story.latest_revision_id != published.pk
    assert story.get_latest_revision().content["title"] == "Unreviewed headline"
    history = reporter_client.get(f"/stories/{story.slug}/history/").content.decode()
    assert "Unreviewed headline" not in history
    assert "Approved headline" in history


def test_a_draft_after_a_draft_may_still_overwrite_it(story_index, reporter):
    """Autosave keeps working for what nobody has published."""
    story = make_story(story_index, "Published", writer=reporter)
    story.title = "First draft"
    draft = story.save_revision(user=reporter)
    story.title = "Second draft"

    again = story.save_revision(user=reporter, overwrite_revision=draft)

    assert again.pk == draft.pk
    assert Revision.objects.get(pk=draft.pk).content["title"] == "Second draft"


def test_code_cannot_overwrite_a_published_update_wording(story_index, editor):
    update = make_update(make_story(story_index), "The office answered.", editor=editor)
    published = update.live_revision
    before = frozen(published)

    update.text = "The office never answered."
    revision = update.save_revision(user=editor, overwrite_revision=published)

    assert revision.pk != published.pk
    assert frozen(published) == before


def test_code_cannot_overwrite_a_published_statement(db):
    statement = make_statement(make_source(), quote="Calls go to 311.")
    published = statement.live_revision
    before = frozen(published)

    statement.quote = "Calls were never taken."
    revision = statement.save_revision(overwrite_revision=published)

    assert revision.pk != published.pk
    assert frozen(published) == before
