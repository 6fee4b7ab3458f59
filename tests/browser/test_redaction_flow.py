"""An editor redacts a quoted statement from its edit view; readers see the
marker in the old version and the editor's note on the story."""

import pytest
from wagtail.rich_text import RichText

from stories.history import published_versions
from tests.factories import (
    make_source,
    make_statement,
    make_story,
    make_user,
    publish_new_version,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORDS = "Operators will write down every resident's comment."
REASON = "the spokesperson spoke on condition that these words not be quoted"


def test_editor_redacts_a_quoted_statement_and_readers_see_why(
    live_server, page, story_index
):
    make_user("editor", group="Editors")
    statement = make_statement(make_source("Michael A. Hernandez"), quote=WORDS)
    story = make_story(story_index, "311 takes the mayor's calls")
    body = [("paragraph", RichText("<p>He said:</p>")), ("statement", statement)]
    publish_new_version(story, body=body)

    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "pass-editor")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(
        f"{live_server.url}/admin/snippets/sources/statement/edit/{statement.pk}/"
    )
    page.get_by_role("link", name="Redact…").click()
    page.wait_for_url(f"**/admin/sources/redact/statement/{statement.pk}/")
    assert "311 takes the mayor's calls" in page.content()
    page.check("input[value=off_the_record]")
    page.fill("textarea[name=reason]", REASON)
    page.click("button:has-text('Redact')")
    page.wait_for_url(f"**/admin/snippets/sources/statement/edit/{statement.pk}/")
    assert "Redacted" in page.content()

    assert len(published_versions(story)) == 3
    page.goto(f"{live_server.url}{story.url}")
    assert WORDS not in page.content()
    assert f"because {REASON}." in page.locator(".updates").inner_text()
    page.goto(f"{live_server.url}{story.url}history/")
    page.get_by_role("link", name="What changed from version 1").click()
    diff = page.locator(".diff").inner_text()
    assert "[removed on" in diff and REASON in diff
    assert WORDS not in diff
