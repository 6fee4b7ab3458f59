"""The search backend: Wagtail's database backend, searching for words only.

Wagtail's admin hands whatever an editor types in a search box to the
backend: the snippet listings and choosers, the page explorer and the page
chooser all do. SQLite's FTS5 backend wraps each term in double quotes
without escaping the quotes inside it, so `"mayor` ends the string early and
FTS5 raises a syntax error, which reaches the view as a database error. Every
search therefore goes through `core.text.search_terms` first, on every
database, as the reader search pages already do: the database tokenizers
split on punctuation anyway, so only words ever counted.

Settings name this module as the backend (`WAGTAILSEARCH_BACKENDS`); it uses
only the backend's public `search` and `autocomplete` methods.
"""

from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import MATCH_NONE

from core.text import search_terms


class WordsOnly:
    """Reduce a query string to its words before the backend parses it.

    A query already built by Wagtail (a `SearchQuery` object such as a
    phrase) was parsed by Wagtail itself and is passed on untouched. A query
    with no words matches nothing; it is still a search of the model, not the
    backend's model-less empty result, which the admin's listings cannot show.
    """

    def search(self, query, model_or_queryset, *args, **kwargs):
        return super().search(_words(query), model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        return super().autocomplete(_words(query), model_or_queryset, *args, **kwargs)


def _words(query):
    if not isinstance(query, str):
        return query
    return search_terms(query) or MATCH_NONE


_classes = {}


def SearchBackend(params):
    """The database backend for this database (SQLite FTS5, PostgreSQL, …),
    searching for words only."""
    base = type(database_backend(params))
    if base not in _classes:
        _classes[base] = type(f"WordsOnly{base.__name__}", (WordsOnly, base), {})
    return _classes[base](params)
