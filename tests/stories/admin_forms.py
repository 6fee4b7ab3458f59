"""Form data and addresses for the Wagtail admin, built with Wagtail's test helpers."""

from django.urls import reverse
from wagtail.models import TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield


def story_form(title, slug, *, dek="", **actions):
    """POST data for the StoryPage add/edit view; pass e.g. action_submit=True."""
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "dek": dek,
            "story_authors": inline_formset([]),
            "tags": "",
            "body": streamfield([]),
        }
    )
    for action, on in actions.items():
        if on:
            data[action.replace("_", "-")] = "1"
    return data


def workflow_action(page, action):
    """The admin address that takes `action` on the review task `page` waits in."""
    task_state = TaskState.objects.get(
        workflow_state__base_content_type__model="page",
        workflow_state__object_id=str(page.pk),
        status=TaskState.STATUS_IN_PROGRESS,
    )
    return reverse(
        "wagtailadmin_pages:workflow_action", args=[page.id, action, task_state.id]
    )
