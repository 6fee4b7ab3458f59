"""Form data for the Wagtail page editor, built with Wagtail's own test helpers."""

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
