"""Reporter logs a request and quotes a statement; editor publishes; reader sees."""

import re

import pytest

from sources.admin_urls import add_request_url
from sources.models import RequestForComment
from tests.factories import (
    make_source,
    make_statement,
    make_story,
    make_story_index,
    make_user,
)

# A live server needs committed data, so each browser test empties the tables
# afterwards; serialized_rollback brings back what migrations made (root page,
# groups and their permissions) for the next one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-" + username)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_reporter_logs_a_request_and_quotes_a_statement_editor_publishes(
    live_server, page, home_page
):
    base = live_server.url
    make_user("rosa", group="Reporters")
    make_user("martin", group="Editors")
    spokesperson = make_source("Michael A. Hernandez", role="Spokesperson")
    make_statement(spokesperson, quote="Operators now take down every comment.")
    story = make_story(make_story_index(home_page), "Calls rerouted", publish=False)

    log_in(page, base, "rosa")
    page.goto(base + add_request_url(source=spokesperson, story=story))
    page.fill("input[name=asked_at]", "2017-02-07 10:00")
    page.select_option("select[name=channel]", "phone")
    page.select_option("select[name=outcome]", "responded")
    page.fill("input[name=answered_at]", "2017-02-07 15:00")
    page.fill("textarea[name=public_summary]", "He explained the 311 rerouting.")
    page.locator("button[type=submit]", has_text="Save").first.click()
    page.wait_for_url(re.compile(r"/admin/snippets/sources/requestforcomment/"))
    assert RequestForComment.objects.filter(story=story).exists()

    page.goto(f"{base}/admin/pages/{story.pk}/edit/")
    page.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Statement").click()
    page.get_by_role("button", name="Choose statement").click()
    page.locator(".modal").get_by_role("link", name=re.compile("Hernandez")).click()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    page.context.clear_cookies()

    log_in(page, base, "martin")
    page.goto(f"{base}/admin/pages/{story.pk}/edit/")
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))

    # The reporter's request waits for an editor too, as a draft.
    logged = RequestForComment.objects.get(story=story)
    assert not logged.live
    page.goto(f"{base}/admin/snippets/sources/requestforcomment/edit/{logged.pk}/")
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/admin/snippets/sources/requestforcomment/"))
    page.context.clear_cookies()

    story.refresh_from_db()
    page.goto(base + story.url)
    assert "Operators now take down every comment." in page.content()
    page.goto(base + spokesperson.get_absolute_url())
    assert "He explained the 311 rerouting." in page.content()
    assert "Calls rerouted" in page.content()
