"""A reader follows a story by email and confirms from the mail."""

import pytest
from django.core import mail

from tests.background import run_background_tasks
from tests.factories import make_story

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_reader_follows_a_story_and_confirms_from_the_mail(
    live_server, page, csp_violations, story_index
):
    story = make_story(story_index, "Office stops taking calls")

    page.goto(live_server.url + story.url)
    page.get_by_role("link", name="Follow this story by email").click()
    page.get_by_label("Your email address").fill("reader@example.org")
    page.get_by_role("button", name="Follow by email").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()

    run_background_tasks()
    (message,) = mail.outbox
    (link,) = [word for word in message.body.split() if "/follow/confirm/" in word]
    page.goto(link.replace("http://testserver", live_server.url))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Confirmed").wait_for()
    assert "You follow" in page.locator("main").inner_text()
    assert csp_violations == []
