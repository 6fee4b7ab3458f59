"""Reader views that are not Wagtail pages: tag, author and corrections pages."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from taggit.models import Tag

from core import visibility
from core.page_cache import STORIES, UPDATES, depends_on
from core.pagination import paginate
from stories.history import with_versions
from stories.models import Author, RecordEntry, Snapshot, StoryPage, Update
from stories.models.record import public_url
from stories.models.story import STORIES_PER_PAGE

UPDATES_PER_PAGE = 25
ENTRIES_PER_PAGE = 50
# The most entries one page of /record/log.json holds.
LOG_PAGE_SIZE = 1000


def tag_page(request, tag):
    """Stories with one tag; a tag no published story carries is a 404."""
    tag = get_object_or_404(Tag.objects.filter(visibility.tag()), slug=tag)
    depends_on(STORIES)
    stories = StoryPage.objects.for_listing().filter(tags=tag)
    page = paginate(request, stories, STORIES_PER_PAGE)
    if not page.object_list:
        raise Http404(f"No published story is tagged {tag.name!r}.")
    return render(request, "stories/tag_page.html", {"tag": tag, "stories": page})


def author_page(request, slug):
    author = get_object_or_404(
        Author.objects.visible_to_readers().select_related("photo"), slug=slug
    )
    depends_on(STORIES)
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
    depends_on(STORIES, UPDATES)
    updates = Update.objects.for_log()
    kind = request.GET.get("kind")
    if kind:
        if kind not in Update.Kind.values:
            raise Http404(f"There is no kind of update called {kind!r}.")
        updates = updates.filter(kind=kind)
    page = paginate(request, updates, UPDATES_PER_PAGE)
    page.object_list = with_versions(page.object_list)
    return render(
        request,
        "stories/corrections_log.html",
        {
            "updates": page,
            "kinds": Update.Kind.choices,
            "kind": kind,
        },
    )


def record_log(request):
    """The public log, newest first: every change to the public record."""
    entries = RecordEntry.objects.for_readers().order_by("-seq")
    return render(
        request,
        "stories/record_log.html",
        {"entries": paginate(request, entries, ENTRIES_PER_PAGE)},
    )


def record_log_json(request):
    """Entries after `?after=<seq>`, oldest first, for a verifier (docs/record.md)."""
    after = request.GET.get("after", "0")
    # Past 18 digits the number no longer fits a database integer.
    if not after.isascii() or not after.isdigit() or len(after) > 18:
        return HttpResponseBadRequest(
            "after must be a log sequence number (0 or more)."
        )
    entries = list(
        RecordEntry.objects.for_readers()
        .filter(seq__gt=int(after))
        .order_by("seq")[: LOG_PAGE_SIZE + 1]
    )
    more = len(entries) > LOG_PAGE_SIZE
    entries = entries[:LOG_PAGE_SIZE]
    next_url = None
    if more:
        next_url = public_url(f"{reverse('record_log_json')}?after={entries[-1].seq}")
    return JsonResponse(
        {"entries": [entry.as_json() for entry in entries], "next": next_url},
        json_dumps_params={"ensure_ascii": False},
    )


def record_snapshot(request):
    """An update's wording, a statement or a request as published: exact bytes."""
    # A story version is served under its story (StoryPage.version_json).
    snapshot = get_object_or_404(
        Snapshot.objects.filter(visibility.snapshot()).exclude(
            kind=Snapshot.Kind.STORY_VERSION
        ),
        path=request.path,
    )
    return HttpResponse(snapshot.content, content_type="application/json")
