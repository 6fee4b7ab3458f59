"""A story goes from a reporter's draft, through an editor, to a reader."""

import pytest

from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADLINE = "Commission schedules vote on jail detainer policy"


def log_in(page, base_url, user):
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f"pass-{user.username}")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def log_out(page):
    page.context.clear_cookies()


def test_reporter_submits_editor_approves_reader_reads(live_server, page, story_index):
    base = live_server.url
    reporter = make_user("rosa", group="Reporters")
    editor = make_user("martin", group="Editors")

    log_in(page, base, reporter)
    page.goto(f"{base}/admin/pages/{story_index.id}/")
    page.get_by_role("link", name="Add child page").first.click()
    page.fill("#id_title", HEADLINE)
    page.press("#id_title", "Tab")  # the slug is filled in from the headline on blur
    page.fill("#id_dek", "Commissioners will meet on February 17.")
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name="Submit to Editorial review").click()
    page.wait_for_url(f"{base}/admin/pages/{story_index.id}/")
    log_out(page)

    log_in(page, base, editor)
    page.get_by_role("link", name=HEADLINE).first.click()
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    log_out(page)

    page.goto(f"{base}/stories/")
    page.get_by_role("link", name=HEADLINE).click()
    assert page.locator("h1").inner_text() == HEADLINE
    assert "February 17" in page.locator(".story__dek").inner_text()
