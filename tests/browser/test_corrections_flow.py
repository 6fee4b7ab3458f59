"""An editor appends a correction with a body change; a reader follows it."""

import pytest

from stories.models import Update
from tests.factories import make_story, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_editor_corrects_a_story_and_a_reader_sees_the_box_history_and_diff(
    live_server, page, story_index
):
    editor = make_user("editor", group="Editors")
    story = make_story(
        story_index,
        "Office stops taking calls",
        paragraphs=["Our reporter called on Tuesday afternoon."],
        editor=editor,
    )

    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "pass-editor")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    # Draft the correction: it waits for the story's next published version.
    page.goto(live_server.url + "/admin/snippets/stories/update/add/")
    page.locator("#id_story").evaluate(
        "(input, id) => { input.value = id; }", str(story.pk)
    )
    page.select_option("#id_kind", "correction")
    page.fill("#id_text", "We had the day of the call wrong.")
    page.click("button[type=submit]:has-text('Save draft')")
    page.wait_for_url("**/edit/**")
    assert Update.objects.get().first_published_at is None

    # Fix the body and publish: the correction goes out with this version.
    page.goto(f"{live_server.url}/admin/pages/{story.pk}/edit/")
    paragraph = page.locator(".public-DraftEditor-content").first
    paragraph.click()
    page.keyboard.press("ControlOrMeta+a")
    fixed = "Our reporter called on Monday afternoon."
    page.keyboard.type(fixed)
    # Draftail writes its hidden input on a debounce after the last keystroke:
    # publish once the new wording is in it, not after a guessed delay.
    page.wait_for_function(
        """text => [...document.querySelectorAll("input[type=hidden]")]
            .some((input) => input.value.includes(text))""",
        arg=fixed,
    )
    page.locator(
        "footer .dropdown-toggle, [data-w-dropdown-target=toggle]"
    ).last.click()
    page.click("button[name=action-publish]")
    page.wait_for_url(f"**/admin/pages/{story_index.pk}/")
    assert Update.objects.get().first_published_at is not None

    page.goto(live_server.url + story.url)
    box = page.locator(".updates")
    assert "We had the day of the call wrong." in box.inner_text()
    assert "Corrected" in page.locator(".story__dateline").inner_text()

    page.click("text=Version history")
    assert "Version 2" in page.locator("main").inner_text()
    page.click("text=What changed from version 1")
    assert page.locator("del").inner_text() == "Tuesday"
    assert page.locator("ins").inner_text() == "Monday"
