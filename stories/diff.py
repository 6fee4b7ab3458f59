"""Word-level differences between two versions of a story, for readers.

Text is read from the documents the record keeps of each version
(stories.models.documents.reader_text): quotes and statements with who said
them, data points as a sentence, rich text without its markup, and any other
block's values as text, so block types added later show in diffs without
changes here. The result is plain data: templates escape it and mark it up
with <ins> and <del>.
"""

import difflib
import re
from dataclasses import dataclass

from stories.models.documents import (
    body_document,
    lead_image_document,
    lead_image_text,
    reader_text,
)

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
# Stands between paragraphs in the word stream so a diff can cross them; it
# cannot occur in text because words never contain whitespace.
PARAGRAPH_BREAK = "\n"


@dataclass(frozen=True)
class Chunk:
    op: str
    text: str


@dataclass(frozen=True)
class StoryText:
    headline: str
    dek: str
    body: tuple[str, ...]

    def flat(self):
        return " ".join([self.headline, self.dek, *self.body])


@dataclass(frozen=True)
class StoryDiff:
    headline: list[Chunk]
    dek: list[Chunk]
    body: list[list[Chunk]]

    @property
    def changed(self):
        return any(
            chunk.op != EQUAL
            for chunks in [self.headline, self.dek, *self.body]
            for chunk in chunks
        )


def normalize_space(text):
    return " ".join(text.split())


def story_text(page):
    """Headline, dek and one paragraph of text per body block of a story page,
    read as its published version would be (`document_text`): a quoted
    statement with its speaker and date, never the admin's short label."""
    return document_text(
        {
            "headline": page.title,
            "dek": page.dek,
            "lead_image": lead_image_document(page),
            "body": body_document(page),
        }
    )


def document_text(document):
    """Headline, dek and one paragraph per block of a story version's snapshot,
    after one for its lead image if it had one."""
    paragraphs = (
        normalize_space(text)
        for text in [
            lead_image_text(document.get("lead_image")),
            *(reader_text(block) for block in document["body"]),
        ]
    )
    return StoryText(
        headline=normalize_space(document["headline"]),
        dek=normalize_space(document["dek"]),
        body=tuple(paragraph for paragraph in paragraphs if paragraph),
    )


def _chunks(opcodes, old, new):
    for op, i1, i2, j1, j2 in opcodes:
        if op == EQUAL:
            yield Chunk(EQUAL, old[i1:i2])
            continue
        if i2 > i1:
            yield Chunk(DELETE, old[i1:i2])
        if j2 > j1:
            yield Chunk(INSERT, new[j1:j2])


def _diff_tokens(old, new):
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return list(_chunks(matcher.get_opcodes(), old, new))


def diff_words(old, new):
    """Chunks of words equal, deleted from `old` or inserted in `new`."""
    return [
        Chunk(chunk.op, " ".join(chunk.text))
        for chunk in _diff_tokens(old.split(), new.split())
    ]


def _tokens(paragraphs):
    tokens = []
    for paragraph in paragraphs:
        if tokens:
            tokens.append(PARAGRAPH_BREAK)
        tokens.extend(paragraph.split())
    return tokens


def diff_paragraphs(old, new):
    """Word chunks per paragraph; a paragraph break inserted or removed splits one."""
    paragraphs = [[]]
    for chunk in _diff_tokens(_tokens(old), _tokens(new)):
        words = []
        for token in chunk.text:
            if token != PARAGRAPH_BREAK:
                words.append(token)
                continue
            if words:
                paragraphs[-1].append(Chunk(chunk.op, " ".join(words)))
                words = []
            paragraphs.append([])
        if words:
            paragraphs[-1].append(Chunk(chunk.op, " ".join(words)))
    return [paragraph for paragraph in paragraphs if paragraph]


def diff_story(old, new):
    """Compare two StoryText values field by field."""
    return StoryDiff(
        headline=diff_words(old.headline, new.headline),
        dek=diff_words(old.dek, new.dek),
        body=diff_paragraphs(old.body, new.body),
    )


# The words a reader reads: runs of letters (an apostrophe inside one, as in
# "mayor's", is part of it), and numbers with the punctuation inside them
# ("1.5", "10,000", "9:30"), so that "1.5" and "15" are different words.
# Punctuation between words is not a word.
_WORD = re.compile(r"\d+(?:[^\w\s]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})


def words(text):
    """The sequence of words in `text`, case folded (see `_WORD`)."""
    return _WORD.findall(text.translate(_APOSTROPHES).casefold())


def is_minor_edit(old, new):
    """True when two texts read as the same words in the same order.

    Only case, whitespace and punctuation between words may differ: a changed
    digit, a number's punctuation, a word added or removed ("not") or a
    changed spelling makes an edit substantive.
    """
    return words(old) == words(new)
