"""Plain-text helpers shared by the search page and the admin's snippet searches."""

import re

WORD = re.compile(r"\w+")


def search_terms(text):
    """The words of `text`, space-separated; punctuation and markup dropped.

    SQLite's FTS5 parses a search term's punctuation (a dot, a quote, a colon)
    as query syntax and raises on it, so only words may reach the backend.
    """
    return " ".join(WORD.findall(text))
