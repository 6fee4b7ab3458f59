"""Reporters and Editors come from the roles migration, adapting Wagtail's."""

from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page, Workflow


def page_permissions(group_name):
    return set(
        GroupPagePermission.objects.filter(
            group__name=group_name, page=Page.get_first_root_node()
        ).values_list("permission__codename", flat=True)
    )


def test_newsroom_groups_replace_wagtails_defaults(db):
    names = set(Group.objects.values_list("name", flat=True))

    assert {"Reporters", "Editors"} <= names
    assert "Moderators" not in names


def test_reporters_can_add_and_edit_pages_but_not_publish(db):
    permissions = page_permissions("Reporters")

    assert {"add_page", "change_page"} <= permissions
    assert "publish_page" not in permissions


def test_editors_can_publish_and_lock_pages(db):
    assert {"add_page", "change_page", "publish_page", "lock_page"} <= page_permissions(
        "Editors"
    )


def test_both_roles_can_reach_the_admin(db):
    for name in ("Reporters", "Editors"):
        codenames = Group.objects.get(name=name).permissions.values_list(
            "codename", flat=True
        )
        assert "access_admin" in codenames


def test_editorial_review_workflow_is_approved_by_editors(db):
    workflow = Workflow.objects.get(name="Editorial review")
    task = workflow.tasks.get().specific

    assert list(task.groups.values_list("name", flat=True)) == ["Editors"]
