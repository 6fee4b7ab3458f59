"""Admin for the stories app: Author and Update snippets, and the record's guards.

Published updates and published stories are the public record: every admin
path that would delete them (single delete, bulk delete, unpublishing an
update) is refused here with a message, before the model's own refusal
(stories.models.update) would surface as an error page.
"""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from stories.models import Author, StoryPage, Update
from stories.models.update import credit_publisher

UPDATE_DELETE_REFUSED = (
    "Published updates are part of the public record and cannot be deleted. "
    "Publish a further update or correction instead."
)
UPDATE_UNPUBLISH_REFUSED = (
    "Published updates cannot be unpublished. Publish a new version of the "
    "update to change its wording; readers will see it as an amendment."
)
STORY_DELETE_REFUSED = (
    "A story that has been published keeps its public history and cannot be "
    "deleted. To take it down, publish a withdrawal update with the reason."
)


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "job_title", "user"]
    search_fields = ["name", "job_title"]


class UpdateViewSet(SnippetViewSet):
    model = Update
    icon = "warning"
    menu_label = "Updates"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["story", "kind", "first_published_at", "published_by"]
    list_filter = ["kind", "live"]
    ordering = ["-first_published_at", "-pk"]
    search_fields = ["text"]


register_snippet(AuthorViewSet)
register_snippet(UpdateViewSet)


def _refuse(request, message, url_name):
    messages.error(request, message)
    return redirect(url_name)


def _has_published_updates(objects):
    return any(isinstance(obj, Update) and obj.is_published for obj in objects)


def _has_published_stories(pages):
    return any(
        StoryPage.objects.descendant_of(page, inclusive=True)
        .filter(first_published_at__isnull=False)
        .exists()
        for page in pages
    )


@hooks.register("before_delete_snippet")
def refuse_deleting_published_updates(request, instances):
    if _has_published_updates(instances):
        return _refuse(
            request, UPDATE_DELETE_REFUSED, "wagtailsnippets_stories_update:list"
        )
    return None


@hooks.register("before_unpublish")
def refuse_unpublishing_updates(request, instance):
    if isinstance(instance, Update) and instance.is_published:
        return _refuse(
            request, UPDATE_UNPUBLISH_REFUSED, "wagtailsnippets_stories_update:list"
        )
    return None


@hooks.register("before_delete_page")
def refuse_deleting_published_stories(request, page):
    if _has_published_stories([page]):
        return _refuse(request, STORY_DELETE_REFUSED, "wagtailadmin_explore_root")
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_the_record(request, action_type, objects, action_class):
    if action_type not in {"delete", "unpublish"}:
        return None
    if _has_published_updates(objects):
        message = (
            UPDATE_DELETE_REFUSED
            if action_type == "delete"
            else UPDATE_UNPUBLISH_REFUSED
        )
        return _refuse(request, message, "wagtailsnippets_stories_update:list")
    pages = [obj for obj in objects if hasattr(obj, "get_descendants")]
    if action_type == "delete" and pages and _has_published_stories(pages):
        return _refuse(request, STORY_DELETE_REFUSED, "wagtailadmin_explore_root")
    return None


@hooks.register("after_publish_page")
def credit_the_editor_with_the_updates(request, page):
    if isinstance(page, StoryPage) and page.live_revision_id:
        credit_publisher(page.live_revision, request.user)
