"""Who may do what in the admin: every action, for a reader, a reporter, an editor.

Each action is a real admin request (the forms Wagtail renders, posted back),
and each outcome is read from the database: a refused action must leave
nothing published, unpublished, deleted or exported, whatever the status code.
The matrix follows DESIGN.md's roles and the groups the migrations make:
reporters draft, edit and submit stories to Editorial review and log sources,
statements and requests for comment as drafts; only editors approve or reject a story
in review, publish, unpublish, delete published records or append updates.
docs/architecture.md, "Roles and permissions", shows the same matrix as a table.
"""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data

from sources.models import RequestForComment, Source, Statement
from stories.models import StoryPage, Update
from tests.factories import make_source, make_statement, make_story, make_user
from tests.stories.admin_forms import story_form, workflow_action

pytestmark = pytest.mark.django_db

SOURCES = "/admin/snippets/sources/source/"
STATEMENTS = "/admin/snippets/sources/statement/"
REQUESTS = "/admin/snippets/sources/requestforcomment/"


@pytest.fixture
def world(story_index):
    writer = make_user("writer", group="Reporters")
    office = make_source("Office of the Mayor", slug="mayors-office")
    in_review = make_story(story_index, "Matrix review", publish=False, writer=writer)
    in_review.get_workflow().start(in_review, writer)
    return {
        "index": story_index,
        "draft": make_story(story_index, "Matrix draft", publish=False, writer=writer),
        "in_review": in_review,
        "published": make_story(story_index, "Matrix published"),
        "source": office,
        "statement": make_statement(office, quote="Calls go to 311 now."),
    }


def page_url(name, page):
    return reverse(f"wagtailadmin_pages:{name}", args=[page.pk])


def create_story(client, world):
    url = reverse(
        "wagtailadmin_pages:add", args=["stories", "storypage", world["index"].pk]
    )
    client.post(url, story_form("Matrix new", "matrix-new"))
    return StoryPage.objects.filter(slug="matrix-new").exists()


def edit_story(client, world):
    draft = world["draft"]
    client.post(page_url("edit", draft), story_form("Matrix edited", draft.slug))
    return StoryPage.objects.get(pk=draft.pk).get_latest_revision_as_object().title == (
        "Matrix edited"
    )


def review_state(story):
    """The story's latest run through a workflow, or None if it never entered one."""
    return (
        WorkflowState.objects.filter(
            base_content_type__model="page", object_id=str(story.pk)
        )
        .order_by("-created_at")
        .first()
    )


def submit_story(client, world):
    draft = world["draft"]
    client.post(
        page_url("edit", draft),
        story_form(draft.title, draft.slug, action_submit=True),
    )
    state = review_state(draft)
    return (
        state is not None
        and state.workflow.name == "Editorial review"
        and state.status == WorkflowState.STATUS_IN_PROGRESS
    )


def approve_story(client, world):
    story = world["in_review"]
    client.post(workflow_action(story, "approve"), {"comment": ""})
    approved = review_state(story).status == WorkflowState.STATUS_APPROVED
    assert StoryPage.objects.get(pk=story.pk).live is approved
    return approved


def reject_story(client, world):
    story = world["in_review"]
    client.post(
        workflow_action(story, "reject"), {"comment": "Name the second source."}
    )
    assert not StoryPage.objects.get(pk=story.pk).live
    return review_state(story).status == WorkflowState.STATUS_NEEDS_CHANGES


def publish_story(client, world):
    draft = world["draft"]
    client.post(
        page_url("edit", draft),
        story_form(draft.title, draft.slug, action_publish=True),
    )
    return StoryPage.objects.get(pk=draft.pk).live


def unpublish_story(client, world):
    client.post(page_url("unpublish", world["published"]))
    return not StoryPage.objects.get(pk=world["published"].pk).live


def withdraw_story(client, world):
    client.post(
        reverse("stories_withdraw", args=[world["published"].pk]),
        {"reason": "The report this story rested on was withdrawn by the county."},
    )
    return world["published"].updates.filter(kind="withdrawal", live=True).exists()


def delete_draft_story(client, world):
    client.post(page_url("delete", world["draft"]))
    return not StoryPage.objects.filter(pk=world["draft"].pk).exists()


def delete_published_story(client, world):
    client.post(page_url("delete", world["published"]))
    return not StoryPage.objects.filter(pk=world["published"].pk).exists()


def append_update(client, world):
    client.post(
        reverse("wagtailsnippets_stories_update:add"),
        nested_form_data(
            {
                "story": world["published"].pk,
                "kind": "correction",
                "text": "We had the day wrong.",
                "action-publish": "action-publish",
            }
        ),
    )
    return Update.objects.filter(story=world["published"], live=True).exists()


def source_form(**actions):
    return {
        "name": "Miami-Dade 311 call centre",
        "slug": "miami-dade-311",
        "kind": "office",
        **actions,
    }


def log_source(client, world):
    client.post(f"{SOURCES}add/", source_form())
    return Source.objects.filter(slug="miami-dade-311").exists()


def publish_source(client, world):
    client.post(f"{SOURCES}add/", source_form(**{"action-publish": "publish"}))
    return Source.objects.filter(slug="miami-dade-311", live=True).exists()


def statement_form(world, **actions):
    return {
        "source": world["source"].pk,
        "said_at": "2017-01-26 10:00",
        "precision": "day",
        "channel": "press_release",
        "quote": "",
        "summary": "The county was never a sanctuary.",
        "on_the_record": "on",
        **actions,
    }


def log_statement(client, world):
    client.post(f"{STATEMENTS}add/", statement_form(world))
    return Statement.objects.filter(summary__startswith="The county was").exists()


def publish_statement(client, world):
    client.post(
        f"{STATEMENTS}add/", statement_form(world, **{"action-publish": "publish"})
    )
    return Statement.objects.filter(
        summary__startswith="The county was", live=True
    ).exists()


def request_form(world, **actions):
    return {
        "source": world["source"].pk,
        "asked_at": "2017-02-07 10:00",
        "channel": "phone",
        "outcome": "no_response",
        "public_summary": "The office did not call back.",
        "is_public": "on",
        **actions,
    }


def log_request(client, world):
    client.post(f"{REQUESTS}add/", request_form(world))
    return RequestForComment.objects.filter(
        public_summary__startswith="The office did not"
    ).exists()


def publish_request(client, world):
    client.post(f"{REQUESTS}add/", request_form(world, **{"action-publish": "1"}))
    return RequestForComment.objects.filter(
        public_summary__startswith="The office did not", live=True
    ).exists()


def delete_statement(client, world):
    client.post(f"{STATEMENTS}delete/{world['statement'].pk}/")
    return not Statement.objects.filter(pk=world["statement"].pk).exists()


def delete_source(client, world):
    source = make_source("Spare office", slug="spare-office")
    client.post(f"/admin/snippets/sources/source/delete/{source.pk}/")
    return not Source.objects.filter(pk=source.pk).exists()


def export_statements_csv(client, world):
    response = client.get(STATEMENTS, {"export": "csv"})
    return response.status_code == 200 and b"Calls go to 311 now." in b"".join(
        response.streaming_content
    )


def export_requests_xlsx(client, world):
    response = client.get(REQUESTS, {"export": "xlsx"})
    return response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


# action: (a reporter may, an editor may); a reader may do none of them.
MATRIX = {
    create_story: (True, True),
    edit_story: (True, True),
    submit_story: (True, True),
    # Editorial review's one task is approved by the Editors group alone.
    approve_story: (False, True),
    reject_story: (False, True),
    publish_story: (False, True),
    # Once published, a story is withdrawn with a public reason, never unpublished.
    unpublish_story: (False, False),
    withdraw_story: (False, True),
    # Wagtail lets anyone who may edit a page delete it while it has never
    # been published; once published, a story is withdrawn, never deleted.
    delete_draft_story: (True, True),
    delete_published_story: (False, False),
    append_update: (False, True),
    log_source: (True, True),
    publish_source: (False, True),
    log_statement: (True, True),
    publish_statement: (False, True),
    log_request: (True, True),
    publish_request: (False, True),
    delete_statement: (False, True),
    delete_source: (False, True),
    export_statements_csv: (True, True),
    export_requests_xlsx: (True, True),
}
ROLES = {"reader": None, "reporter": "Reporters", "editor": "Editors"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", MATRIX, ids=lambda action: action.__name__)
def test_each_role_may_do_exactly_what_the_matrix_says(client, world, role, action):
    if ROLES[role]:
        client.force_login(make_user(f"matrix-{role}", group=ROLES[role]))
    reporter_may, editor_may = MATRIX[action]
    allowed = {"reader": False, "reporter": reporter_may, "editor": editor_may}[role]

    assert action(client, world) is allowed


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", STATEMENTS, REQUESTS])
def test_readers_are_sent_to_the_login_page(client, world, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
