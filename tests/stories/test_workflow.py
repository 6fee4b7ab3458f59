"""Editorial review end to end, through the real admin views."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import WorkflowState

from stories.models import StoryPage
from tests.stories.admin_forms import story_form, workflow_action


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def submitted(story_index, reporter):
    """A story a reporter wrote and submitted from the add view."""
    url = reverse(
        "wagtailadmin_pages:add", args=["stories", "storypage", story_index.id]
    )
    logged_in(reporter).post(
        url,
        story_form(
            "Commission sets vote on jail policy",
            "commission-sets-vote",
            dek="A meeting on February 17.",
            action_submit=True,
        ),
    )
    return StoryPage.objects.get(slug="commission-sets-vote")


def test_submitting_starts_editorial_review(submitted):
    state = WorkflowState.objects.get(object_id=str(submitted.pk))

    assert state.workflow.name == "Editorial review"
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not submitted.live


def test_editor_approval_publishes_the_story(submitted, editor):
    logged_in(editor).post(workflow_action(submitted, "approve"), {"comment": ""})

    submitted.refresh_from_db()
    assert submitted.live
    assert Client().get("/stories/commission-sets-vote/").status_code == 200


def test_reporter_cannot_approve_their_own_story(submitted, reporter):
    response = logged_in(reporter).post(
        workflow_action(submitted, "approve"), {"comment": ""}
    )

    # Wagtail answers a denied admin action by sending the user to the dashboard.
    assert response.status_code in {302, 403}
    assert response.get("Location", "/admin/") == "/admin/"
    submitted.refresh_from_db()
    assert not submitted.live


def test_rejection_goes_back_to_the_reporter_with_the_comment(
    submitted, editor, reporter
):
    logged_in(editor).post(
        workflow_action(submitted, "reject"),
        {"comment": "Add the commission's agenda item number."},
    )

    submitted.refresh_from_db()
    assert not submitted.live
    state = WorkflowState.objects.get(object_id=str(submitted.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    edit_page = logged_in(reporter).get(
        reverse("wagtailadmin_pages:edit", args=[submitted.id])
    )
    assert "Add the commission&#x27;s agenda item number." in edit_page.content.decode()
