"""A reader reports an error from a story; an editor resolves it in the inbox."""

import pytest

from participation.models import CorrectionRequest
from tests.factories import make_story, make_update, make_user

# A live server needs committed data; serialized_rollback brings back what
# migrations made (root page, groups and their permissions) for the next test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_reader_reports_an_error_and_an_editor_marks_it_corrected(
    live_server, page, story_index, csp_violations
):
    base = live_server.url
    make_user("martin", group="Editors", email="martin@newsroom.example.org")
    story = make_story(
        story_index,
        "Office stops taking calls",
        paragraphs=["Our reporter called on Tuesday afternoon."],
    )
    correction = make_update(
        story, "We had the day of the call wrong: it was Monday.", kind="correction"
    )

    # The reader, from the story page.
    page.goto(base + story.url)
    page.get_by_role("link", name="Report an error in this story").click()
    page.wait_for_url(f"**/report/{story.pk}/")
    assert "Office stops taking calls" in page.locator("main").inner_text()
    page.get_by_label("What is wrong?").fill("The call was on Monday, not Tuesday.")
    page.get_by_label("Where? (optional)").fill("The first paragraph")
    page.get_by_label("Your email address (optional)").fill("reader@example.org")
    page.get_by_label("Tell me the outcome by email").check()
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url("**/report/sent/**")
    assert "your report is with our editors" in page.locator("h1").inner_text()
    assert "emailed you an acknowledgement" in page.locator("main").inner_text()
    assert csp_violations == []
    report = CorrectionRequest.objects.get()

    # The editor, in the admin.
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", "martin")
    page.fill("input[name=password]", "pass-martin")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    page.get_by_role("link", name="Reader reports (1)").click()
    page.wait_for_url("**/admin/snippets/participation/correctionrequest/")
    page.locator("table.listing a", has_text="The call was on Monday").click()
    page.wait_for_url(f"**/correctionrequest/edit/{report.pk}/")
    page.select_option("select[name=status]", "corrected")
    page.select_option("select[name=correction]", str(correction.pk))
    page.locator("button[type=submit]", has_text="Save").first.click()
    page.wait_for_url("**/admin/snippets/participation/correctionrequest/")

    row = page.locator("table.listing tbody tr", has_text="The call was on Monday")
    # The status tag is shown in capitals.
    assert "corrected" in row.inner_text().lower()
    report.refresh_from_db()
    assert report.status == CorrectionRequest.Status.CORRECTED
    assert report.correction == correction
