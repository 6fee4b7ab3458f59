"""A reader searches from the masthead and opens a result, under the strict CSP."""

import pytest

from tests.factories import make_source, make_statement, make_story, make_story_index

# A live server needs committed data; serialized_rollback restores what
# migrations made (root page, groups) for the next test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_searches_from_the_nav_and_opens_a_story(live_server, page, home_page):
    story = make_story(
        make_story_index(home_page),
        "Calls rerouted to 311",
        paragraphs=["Residents who called the mayor were rerouted."],
    )
    make_statement(make_source("Office of the Mayor"), quote="Calls go to 311.")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))

    response = page.goto(live_server.url + story.url)
    assert "'nonce-" in response.headers["content-security-policy"]
    page.get_by_role("searchbox", name="Search").first.fill("rerouted")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url("**/search/?q=rerouted")
    assert page.locator("#results-stories").inner_text() == "Stories (1)"

    results = page.locator("#results-stories + .search__results")
    assert results.locator("mark").first.inner_text() == "rerouted"
    results.get_by_role("link", name="Calls rerouted to 311").click()
    page.wait_for_url(f"**{story.url}")

    assert page.locator("h1").inner_text() == "Calls rerouted to 311"
    assert violations == []
