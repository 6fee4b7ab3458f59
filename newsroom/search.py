"""Site search at /search/?q=: stories, statements, sources and trackers, by type.

Each group searches the reader queryset its app already defines, through
Wagtail's search backend (SQLite FTS5 or PostgreSQL full-text). Without `type`
the page shows the first few hits of every group with a link to the rest; with
`type=stories` (or statements, sources, trackers) it pages through that group alone.
"""

import re
from dataclasses import dataclass

from django.shortcuts import render
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from wagtail.search.backends import get_search_backend

from core.pagination import paginate
from core.text import WORD
from sources.models import Source, Statement
from stories.models import StoryPage
from trackers.models import TrackerPage

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
PREVIEW_COUNT = 5
PER_PAGE = 20
EXCERPT_RADIUS = 90


@dataclass(frozen=True)
class Group:
    key: str
    heading: str
    queryset: object

    def search(self, words):
        return get_search_backend().search(" ".join(words), self.queryset())


GROUPS = {
    group.key: group
    for group in (
        Group("stories", "Stories", lambda: StoryPage.objects.for_search()),
        Group(
            "statements",
            "Statements",
            lambda: Statement.objects.for_display().order_by(),
        ),
        Group("sources", "Sources", lambda: Source.objects.for_listing().order_by()),
        Group(
            "trackers",
            "Trackers",
            lambda: TrackerPage.objects.visible_to_readers().order_by(),
        ),
    )
}


class BadQuery(ValueError):
    pass


def query_words(query):
    """The words to search for; raises BadQuery with a reader's message."""
    if len(query) > MAX_QUERY_LENGTH:
        raise BadQuery(
            f"That search is too long: keep it under {MAX_QUERY_LENGTH} characters."
        )
    words = WORD.findall(query)
    if not words:
        raise BadQuery("Search for at least one word of letters or digits.")
    return words[:MAX_WORDS]


def highlight(text, words):
    """`text`, escaped, with every word that starts with a searched word in <mark>."""
    if not text:
        return ""
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\w*",
        re.IGNORECASE,
    )
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group()))
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


def excerpt(text, words):
    """About two lines of `text` around its first searched word, highlighted."""
    text = " ".join(text.split())
    match = re.search(
        r"\b(?:" + "|".join(re.escape(word) for word in words) + ")",
        text,
        re.IGNORECASE,
    )
    if match is None:
        return ""
    start = max(match.start() - EXCERPT_RADIUS, 0)
    end = match.end() + EXCERPT_RADIUS
    clipped = text[start:end]
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return format_html("{}{}{}", prefix, highlight(clipped, words), suffix)


def story_text(story):
    """The readable words of a story's body, for an excerpt."""
    return " ".join(
        strip_tags(str(block.value.source))
        for block in story.body
        if block.block_type == "paragraph"
    )


def describe(group_key, item, words):
    """What one hit shows: a highlighted title and excerpt, and where it lives."""
    if group_key == "stories":
        return {
            "url": item.url,
            "title": highlight(item.title, words),
            "text": highlight(item.dek, words) or excerpt(story_text(item), words),
            "extra": excerpt(story_text(item), words) if item.dek else "",
            "when": item.first_published_at,
        }
    if group_key == "statements":
        return {
            "url": item.get_absolute_url(),
            "title": highlight(item.source.name, words),
            "text": highlight(item.quote or item.summary, words),
            "extra": highlight(item.summary, words) if item.quote else "",
            "when": item.said_at,
        }
    if group_key == "trackers":
        return {
            "url": item.url,
            "title": highlight(item.title, words),
            "text": highlight(item.summary, words),
            "extra": "",
            "when": None,
        }
    return {
        "url": item.get_absolute_url(),
        "title": highlight(item.name, words),
        "text": highlight(item.role, words),
        "extra": excerpt(item.description, words),
        "when": None,
    }


def search(request):
    query = request.GET.get("q", "").strip()
    group_key = request.GET.get("type", "")
    context = {"query": query, "groups": [], "type": group_key}
    if group_key and group_key not in GROUPS:
        context["message"] = "Choose stories, statements, sources or trackers."
        return render(request, "search.html", context, status=400)
    if not query:
        return render(request, "search.html", context)
    try:
        words = query_words(query)
    except BadQuery as error:
        context["message"] = str(error)
        return render(request, "search.html", context, status=400)
    selected = [GROUPS[group_key]] if group_key else GROUPS.values()
    for group in selected:
        results = group.search(words)
        if group_key:
            page = paginate(request, results, PER_PAGE)
            items, total = page.object_list, page.paginator.count
        else:
            page, items, total = None, results[:PREVIEW_COUNT], results.count()
        context["groups"].append(
            {
                "key": group.key,
                "heading": group.heading,
                "total": total,
                "page": page,
                "hits": [describe(group.key, item, words) for item in items],
            }
        )
    return render(request, "search.html", context)
