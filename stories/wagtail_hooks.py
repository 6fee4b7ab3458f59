"""Admin for the stories app: Author and Update snippets, and the record's guards.

The snippet viewsets set no `search_fields`: the admin then searches each
model's autocomplete fields (its `search_fields`), as its chooser does.
Naming fields on the viewset would break SQLite, whose search backend reads
them as columns of its full-text table ("no such column: name").

Published updates and published stories are the public record: every admin
path that would delete them (single delete, bulk delete, unpublishing an
update) is refused here with a message, before the model's own refusal
(stories.models.update) would surface as an error page.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from core.visibility import visible
from stories.admin_views import can_withdraw, withdraw
from stories.models import Author, StoryPage, Update
from stories.models.story import STORY_UNPUBLISH_REFUSED
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


class UpdateCreateView(CreateView):
    """Opens with the story given in the query string (`?story=<id>`) chosen."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or self.model()
        story = self.request.GET.get("story", "")
        if story.isascii() and story.isdigit():
            instance.story_id = int(story)
        return instance


class UpdateViewSet(SnippetViewSet):
    model = Update
    add_view_class = UpdateCreateView
    icon = "warning"
    menu_label = "Updates"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["story", "kind", "first_published_at", "published_by"]
    list_filter = ["kind", "live"]
    ordering = ["-first_published_at", "-pk"]


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


def _is_once_published_story(page):
    return isinstance(page.specific_deferred, StoryPage) and bool(
        page.first_published_at
    )


@hooks.register("before_unpublish_page")
def refuse_unpublishing_published_stories(request, page):
    if _is_once_published_story(page):
        messages.error(request, STORY_UNPUBLISH_REFUSED)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("construct_page_action_menu")
def offer_no_unpublish_for_published_stories(menu_items, request, context):
    page = context.get("page")
    if page is not None and page.pk and _is_once_published_story(page):
        menu_items[:] = [item for item in menu_items if item.name != "action-unpublish"]


@hooks.register("register_page_header_buttons")
def withdraw_button(page, user, next_url=None, view_name=None):
    if not _is_once_published_story(page):
        return []
    story = page.specific
    if story.withdrawal or not can_withdraw(user, story):
        return []
    return [
        Button(
            "Withdraw",
            url=reverse("stories_withdraw", args=[page.pk]),
            icon_name="warning",
            priority=70,
        )
    ]


@hooks.register("register_admin_urls")
def withdraw_urls():
    return [path("stories/withdraw/<int:page_id>/", withdraw, name="stories_withdraw")]


@hooks.register("before_edit_page")
def hold_back_colleagues_drafts(request, page):
    """Publishing goes ahead with someone else's draft update only when asked.

    Otherwise the edit is saved as a draft, nothing is lost, and the editor
    is told which drafts would have gone out.
    """
    if request.method != "POST" or not request.POST.get("action-publish"):
        return None
    if not isinstance(page.specific_deferred, StoryPage):
        return None
    if request.POST.get("publish_others_updates"):
        return None
    others = page.specific.colleagues_pending_updates(request.user)
    if others:
        post = request.POST.copy()
        del post["action-publish"]
        request.POST = post
        messages.warning(
            request,
            f"Saved as a draft, not published: {len(others)} draft update(s) "
            "written by someone else would have gone out with it. Tick the box "
            "in the panel at the top to publish them too, or publish your "
            "change after they are ready.",
        )
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_the_record(request, action_type, objects, action_class):
    if action_type not in {"delete", "unpublish"}:
        return None
    if action_type == "unpublish" and any(
        _is_once_published_story(obj) for obj in objects if hasattr(obj, "depth")
    ):
        return _refuse(request, STORY_UNPUBLISH_REFUSED, "wagtailadmin_explore_root")
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


class ReaderDocumentLinkHandler(DocumentLinkHandler):
    """A link to a document in a story's text, kept as plain text while the
    document is in a collection readers may not open (core.visibility): the
    address would name the file."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        return [
            format_html('<a href="{}">', document.url)
            if document is not None and visible(document)
            else "<a>"
            for document in cls.get_many(attrs_list)
        ]


# After wagtail.documents' own hook, so that this handler replaces its one.
@hooks.register("register_rich_text_features", order=1)
def register_reader_document_links(features):
    features.register_link_type(ReaderDocumentLinkHandler)
