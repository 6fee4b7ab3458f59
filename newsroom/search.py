"""Site search at /search/?q=: stories, statements, sources, events and trackers.

Each group searches the reader queryset its app already defines
(core.visibility), through Wagtail's search backend: SQLite FTS5 with the
porter tokenizer, or PostgreSQL full text with the `english` configuration, so
"detainers" finds "detainer" on both. Words in double quotes are a phrase
(`"commission meeting"`); every other word must appear. A story is found by its
published updates and the outcomes of its requests for comment too (see the
models' `search_fields`).

When nothing matches, a word that is a near miss for a name readers can find
(a source, an author, a tracker) is offered back as "Did you mean …?":
PostgreSQL's pg_trgm picks it there, difflib over a bounded list of names on
SQLite. Only whole searched words (and their stemmed forms) are highlighted.

Without `type` the page shows the first few hits of every group with a link to
the rest; with `type=stories` (or any other group) it pages through that group
alone.
"""

import difflib
import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

import snowballstemmer
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Phrase, PlainText

from core.page_cache import remember
from core.pagination import paginate
from core.text import WORD
from sources.models import Source, Statement
from stories.models import Author, StoryPage, Update
from trackers.models import TimelineEvent, TrackerPage
from trackers.timeline import PreciseDate

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
PREVIEW_COUNT = 5
PER_PAGE = 20
EXCERPT_RADIUS = 90

# A word with an apostrophe inside stays one word ("mayor's", "O'Brien").
QUERY_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
QUOTES = re.compile(r"[\"“”„]")

# "Did you mean …?": names of at most this many characters, words of at least
# this many letters, and a list of at most this many names on SQLite.
MIN_SUGGESTED_WORD = 4
MAX_VOCABULARY = 5000
DIFFLIB_CUTOFF = 0.75
TRIGRAM_THRESHOLD = 0.4

_stemmer = snowballstemmer.stemmer("english")


def stem(word):
    """The form a search term is compared in, as PostgreSQL's `english` stems it."""
    return _stemmer.stemWord(word.lower())


class BadQuery(ValueError):
    pass


@dataclass(frozen=True)
class Query:
    """A reader's query: plain words (all must match) and quoted phrases."""

    words: tuple
    phrases: tuple

    @classmethod
    def parse(cls, text):
        """Raises BadQuery with a reader's message."""
        if len(text) > MAX_QUERY_LENGTH:
            raise BadQuery(
                f"That search is too long: keep it under {MAX_QUERY_LENGTH} characters."
            )
        words, phrases, budget = [], [], MAX_WORDS
        # Between the quote marks (every odd piece) is a phrase; an unclosed
        # quote runs to the end.
        for position, piece in enumerate(QUOTES.split(text)):
            terms = _terms(piece)[:budget]
            budget -= len(terms)
            if position % 2 and len(terms) > 1:
                phrases.append(tuple(terms))
            else:
                words.extend(terms)
        if not words and not phrases:
            raise BadQuery("Search for at least one word of letters or digits.")
        return cls(tuple(dict.fromkeys(words)), tuple(phrases))

    def for_backend(self):
        """The query in Wagtail's search query objects."""
        parts = [Phrase(" ".join(phrase)) for phrase in self.phrases]
        if self.words:
            parts.insert(0, PlainText(" ".join(self.words), operator="and"))
        return parts[0] if len(parts) == 1 else And(parts)

    @cached_property
    def word_stems(self):
        return {stem(word) for word in self.words}

    @cached_property
    def phrase_stems(self):
        return [tuple(stem(word) for word in phrase) for phrase in self.phrases]

    def spans(self, text):
        """Where `text` holds a searched word, or a searched phrase whole."""
        tokens = list(WORD.finditer(text))
        stems = [stem(token.group()) for token in tokens]
        spans = [
            (token.start(), token.end())
            for token, token_stem in zip(tokens, stems, strict=True)
            if token_stem in self.word_stems
        ]
        for phrase in self.phrase_stems:
            size = len(phrase)
            for i in range(len(tokens) - size + 1):
                if tuple(stems[i : i + size]) == phrase:
                    spans.append((tokens[i].start(), tokens[i + size - 1].end()))
        return _without_overlaps(spans)

    def replaced(self, corrections):
        """This query as text, with words swapped as `corrections` says."""
        pieces = [corrections.get(word, word) for word in self.words]
        pieces += ['"' + " ".join(phrase) + '"' for phrase in self.phrases]
        return " ".join(pieces)


def _terms(text):
    """Words of letters and digits; "mayor's" is "mayor", never "mayor" and "s"."""
    terms = []
    for word in QUERY_WORD.findall(text):
        terms.extend(WORD.findall(POSSESSIVE.sub("", word)))
    return terms


def _without_overlaps(spans):
    kept, end = [], -1
    for start, stop in sorted(spans):
        if start >= end:
            kept.append((start, stop))
            end = stop
    return kept


@dataclass(frozen=True)
class Group:
    key: str
    heading: str
    queryset: object

    def search(self, query):
        return get_search_backend().search(query.for_backend(), self.queryset())


GROUPS = {
    group.key: group
    for group in (
        Group(
            "stories",
            "Stories",
            # A story found by its update shows the update: fetched in one query.
            lambda: StoryPage.objects.for_search().prefetch_related(
                Prefetch(
                    "updates",
                    queryset=Update.objects.visible_to_readers().order_by(
                        "first_published_at", "pk"
                    ),
                    to_attr="visible_updates",
                )
            ),
        ),
        Group(
            "statements",
            "Statements",
            lambda: Statement.objects.for_display().order_by(),
        ),
        Group("sources", "Sources", lambda: Source.objects.for_listing().order_by()),
        Group(
            "events",
            "Events",
            lambda: (
                TimelineEvent.objects.visible_to_readers()
                .select_related("tracker")
                .order_by()
            ),
        ),
        Group(
            "trackers",
            "Trackers",
            lambda: TrackerPage.objects.visible_to_readers().order_by(),
        ),
    )
}


def highlight(text, query):
    """`text`, escaped, with every searched word and phrase in <mark>."""
    if not text:
        return ""
    pieces, last = [], 0
    for start, end in query.spans(text):
        pieces.append(escape(text[last:start]))
        pieces.append(format_html("<mark>{}</mark>", text[start:end]))
        last = end
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


def excerpt(text, query):
    """About two lines of `text` around its first searched word, highlighted."""
    text = " ".join(text.split())
    spans = query.spans(text)
    if not spans:
        return ""
    first_start, first_end = spans[0]
    start = max(first_start - EXCERPT_RADIUS, 0)
    end = first_end + EXCERPT_RADIUS
    clipped = text[start:end]
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return format_html("{}{}{}", prefix, highlight(clipped, query), suffix)


def story_text(story):
    """The readable words of a story's body, for an excerpt."""
    return " ".join(
        strip_tags(str(block.value.source))
        for block in story.body
        if block.block_type == "paragraph"
    )


def describe(group_key, item, query):
    """What one hit shows: a highlighted title and excerpt, and where it lives."""
    if group_key == "stories":
        return _describe_story(item, query)
    if group_key == "statements":
        return {
            "url": item.get_absolute_url(),
            "title": highlight(item.source.name, query),
            "text": highlight(item.quote or item.summary, query),
            "extra": highlight(item.summary, query) if item.quote else "",
            "when": item.said_at,
        }
    if group_key == "events":
        when = PreciseDate.from_parts(item.precision, item.start_date, item.start_time)
        return {
            "url": f"{item.tracker.url}?{urlencode({'at': f'event-{item.pk}'})}",
            "title": highlight(item.title, query),
            "text": highlight(item.description, query),
            "extra": format_html("On the tracker {}", item.tracker.title),
            "when_label": when.label,
            "when_iso": when.iso,
        }
    if group_key == "trackers":
        return {
            "url": item.url,
            "title": highlight(item.title, query),
            "text": highlight(item.summary, query),
            "extra": "",
            "when": None,
        }
    return {
        "url": item.get_absolute_url(),
        "title": highlight(item.name, query),
        "text": highlight(item.role, query),
        "extra": excerpt(item.description, query),
        "when": None,
    }


def _describe_story(story, query):
    body = story_text(story)
    # A story found by its update shows the update's words, not a blank.
    updates = " ".join(update.text for update in story.visible_updates)
    extra = excerpt(body, query) or excerpt(updates, query)
    return {
        "url": story.url,
        "title": highlight(story.title, query),
        "text": highlight(story.dek, query) or extra,
        "extra": extra if story.dek else "",
        "when": story.first_published_at,
    }


# "Did you mean …?"


def suggestion(query):
    """The query with near-miss names corrected, or None when nothing is."""
    corrections = {}
    for word in query.words:
        if len(word) < MIN_SUGGESTED_WORD or word.isdigit():
            continue
        match = closest_name_word(word)
        if match and match.lower() != word.lower():
            corrections[word] = match
    return query.replaced(corrections) if corrections else None


def closest_name_word(word):
    """The word of a readable name nearest `word`, or None."""
    if connection.vendor == "postgresql":
        candidates = _trigram_candidates(word)
    else:
        candidates = name_vocabulary()
    by_lower = {candidate.lower(): candidate for candidate in candidates}
    if word.lower() in by_lower:
        return by_lower[word.lower()]
    close = difflib.get_close_matches(
        word.lower(), list(by_lower), n=1, cutoff=DIFFLIB_CUTOFF
    )
    return by_lower[close[0]] if close else None


def _name_querysets():
    """Where readable names come from: only what readers may see."""
    return [
        (Source.objects.visible_to_readers(), "name"),
        (Author.objects.visible_to_readers(), "name"),
        (TrackerPage.objects.visible_to_readers(), "title"),
    ]


def _trigram_candidates(word):
    """Words of the names most like `word`, by pg_trgm's word similarity."""
    words = set()
    for queryset, field in _name_querysets():
        names = (
            queryset.annotate(similarity=TrigramWordSimilarity(word, field))
            .filter(similarity__gte=TRIGRAM_THRESHOLD)
            .order_by("-similarity")
            .values_list(field, flat=True)[:5]
        )
        for name in names:
            words.update(WORD.findall(name))
    return words


def name_vocabulary():
    """The words of readable names, for difflib (SQLite): a bounded list, kept
    in the shared cache until content changes."""

    def compute():
        words = set()
        for queryset, field in _name_querysets():
            for name in queryset.order_by().values_list(field, flat=True)[
                :MAX_VOCABULARY
            ]:
                words.update(
                    w for w in WORD.findall(name) if len(w) >= MIN_SUGGESTED_WORD
                )
        return sorted(words)

    return remember("search-name-vocabulary", compute)


def search(request):
    text = request.GET.get("q", "").strip()
    group_key = request.GET.get("type", "")
    context = {"query": text, "groups": [], "type": group_key}
    if group_key and group_key not in GROUPS:
        context["message"] = "Choose stories, statements, sources, events or trackers."
        return render(request, "search.html", context, status=400)
    if not text:
        return render(request, "search.html", context)
    try:
        query = Query.parse(text)
    except BadQuery as error:
        context["message"] = str(error)
        return render(request, "search.html", context, status=400)
    selected = [GROUPS[group_key]] if group_key else GROUPS.values()
    for group in selected:
        results = group.search(query)
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
                "hits": [describe(group.key, item, query) for item in items],
            }
        )
    if not any(group["total"] for group in context["groups"]):
        corrected = suggestion(query)
        if corrected:
            params = {"q": corrected, **({"type": group_key} if group_key else {})}
            context["suggestion"] = corrected
            context["suggestion_url"] = f"{reverse('search')}?{urlencode(params)}"
    return render(request, "search.html", context)
