"""An editor withdraws a story from its edit view; readers meet the tombstone."""

import pytest

from stories.models import StoryPage, Update
from tests.factories import make_story, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "The detainer figures came from a county report that was later withdrawn."


def test_editor_withdraws_a_story_and_a_reader_meets_its_tombstone(
    live_server, page, story_index
):
    make_user("editor", group="Editors")
    story = make_story(story_index, "Detainer requests doubled")

    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "pass-editor")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    # The story's header offers Withdraw (in its "more" menu); no Unpublish.
    page.goto(f"{live_server.url}/admin/pages/{story.pk}/edit/")
    assert page.locator("button[name=action-unpublish]").count() == 0
    page.locator(
        "header [aria-label='Actions'], header .w-dropdown__toggle"
    ).first.click()
    page.get_by_role("link", name="Withdraw").click()

    # The confirmation says what readers will see and asks why.
    page.wait_for_url(f"**/admin/stories/withdraw/{story.pk}/")
    assert "Withdrawn story: Detainer requests doubled" in page.content()
    page.fill("textarea[name=reason]", REASON)
    page.click("button:has-text('Withdraw this story')")
    page.wait_for_url(f"**/admin/pages/{story.pk}/edit/")
    assert "Withdrawn on" in page.content()
    assert StoryPage.objects.get(pk=story.pk).status_string == "withdrawn"
    assert Update.objects.get(story=story).kind == Update.Kind.WITHDRAWAL

    response = page.goto(live_server.url + story.url)
    assert response.status == 410
    assert REASON in page.locator(".tombstone").inner_text()
