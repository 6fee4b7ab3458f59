"""Admin for the stories app: the Author snippet."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from stories.models import Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "job_title", "user"]
    search_fields = ["name", "job_title"]


register_snippet(AuthorViewSet)
