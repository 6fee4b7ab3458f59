"""Reader views that are not Wagtail pages: tag, author and corrections pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from core.pagination import paginate
from stories.models import Author, StoryPage, Update
from stories.models.story import STORIES_PER_PAGE

UPDATES_PER_PAGE = 25


def tag_page(request, tag):
    """Stories with one tag; a tag no published story carries is a 404."""
    tag = get_object_or_404(Tag, slug=tag)
    stories = StoryPage.objects.for_listing().filter(tags=tag)
    page = paginate(request, stories, STORIES_PER_PAGE)
    if not page.object_list:
        raise Http404(f"No published story is tagged {tag.name!r}.")
    return render(request, "stories/tag_page.html", {"tag": tag, "stories": page})


def author_page(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    stories = StoryPage.objects.for_listing().filter(story_authors__author=author)
    return render(
        request,
        "stories/author_page.html",
        {"author": author, "stories": paginate(request, stories, STORIES_PER_PAGE)},
    )


def corrections_log(request):
    """Every published update site-wide, newest first, optionally of one kind.

    Withdrawn stories stay here: their updates and the withdrawal itself.
    """
    updates = Update.objects.for_log()
    kind = request.GET.get("kind")
    if kind:
        if kind not in Update.Kind.values:
            raise Http404(f"There is no kind of update called {kind!r}.")
        updates = updates.filter(kind=kind)
    return render(
        request,
        "stories/corrections_log.html",
        {
            "updates": paginate(request, updates, UPDATES_PER_PAGE),
            "kinds": Update.Kind.choices,
            "kind": kind,
        },
    )
