"""The JSON documents the record keeps of a story version and of an update.

Each is what readers were shown at the moment of publishing, resolved then:
a quoted statement carries its speaker, role, date and words as published, a
cited source its name, so nothing that changes later in another table can
change a past version. A block readers were not shown (a statement off the
record, a confidential source) is left out, as the page left it out.
"""

import datetime
from decimal import Decimal

from django.utils import dateformat, timezone
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from wagtail import blocks
from wagtail.rich_text import RichText

from core import dates
from core.visibility import visible

# The snapshot format, stated in each document so a reader of an old one
# knows which fields to expect (docs/record.md).
FORMAT = 1


def _iso(value):
    return value.isoformat() if value else None


def _plain(value):
    """JSON-ready text or data for one simple block value."""
    if isinstance(value, RichText):
        return " ".join(strip_tags(value.source).split())
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def statement_fields(statement):
    """Who said it, when and how: the same in a story's quote and on its own."""
    source = statement.source
    return {
        "source": source.pk,
        "speaker": source.name,
        "role": source.role,
        "channel": statement.get_channel_display(),
        "said_at": _iso(statement.said_at),
        "date_only": statement.precision == "day",
    }


def statement_block(statement):
    return {
        "type": "statement",
        "statement": statement.pk,
        **statement_fields(statement),
        "words": normalize_newlines(statement.quote or statement.summary),
        "words_are": "quote" if statement.quote else "summary",
    }


def _block(child):
    """One body block as readers were shown it, or None when they were not."""
    block, value, kind = child.block, child.value, child.block_type
    if kind == "statement":
        return statement_block(value) if visible(value) else None
    if kind == "source_citation":
        source = value.get("source")
        if not visible(source):
            return None
        return {
            "type": kind,
            "source": source.pk,
            "name": source.name,
            "role": source.role,
            "note": value.get("note") or "",
        }
    if kind == "image":
        # The picture is a file; its caption and credit are the words.
        return {
            "type": kind,
            "caption": value.get("caption") or "",
            "credit": value.get("credit") or "",
        }
    if isinstance(block, blocks.StructBlock):
        return {"type": kind} | {
            name: _plain(value.get(name)) for name in block.child_blocks
        }
    if kind == "embed":
        return {"type": kind, "url": getattr(value, "url", None) or str(value)}
    return {"type": kind, "text": _plain(value)}


def body_document(page):
    """A story's body blocks as readers are shown them, resolved now."""
    body = [_block(child) for child in page.body]
    return [block for block in body if block is not None]


def lead_image_document(page):
    """The lead image as readers were shown it, or None when they saw none.

    Its words, and which picture: the file's SHA-1 (Wagtail's `file_hash`), so
    a file replaced after publishing is told apart from the one readers saw.
    `get_file_hash()` computes it for images saved outside the admin's form.
    """
    image = page.reader_lead_image
    if image is None:
        return None
    return {
        "image": image.pk,
        "file_hash": image.get_file_hash(),
        "alt": page.lead_image_alt,
        "caption": page.lead_image_caption,
        "credit": page.lead_image_credit,
    }


def story_version_document(page, number, published_at):
    """Version `number` of a story, as published at `published_at`."""
    return {
        "format": FORMAT,
        "type": "story_version",
        "story": page.pk,
        "version": number,
        "published_at": _iso(published_at),
        "headline": page.title,
        "dek": page.dek,
        "byline": [author.name for author in page.authors],
        "lead_image": lead_image_document(page),
        "body": body_document(page),
    }


def update_document(update, number, published_at):
    """Wording `number` of an update (1 is the update as first published)."""
    return {
        "format": FORMAT,
        "type": "update",
        "update": str(update.guid),
        "story": update.story_id,
        "kind": update.kind,
        "label": update.get_kind_display(),
        "wording": number,
        "published_at": _iso(published_at),
        "text": normalize_newlines(update.text),
    }


def lead_image_text(lead_image):
    """A version's lead image as one paragraph of reader text, or "" for none
    (versions recorded before stories had lead images have no such key)."""
    if not lead_image:
        return ""
    picture = (lead_image.get("file_hash") or "")[:8]
    return (
        f"Lead image{f' (picture {picture})' if picture else ''}: "
        f"{lead_image['caption']} Credit: {lead_image['credit']}. "
        f"Described as: {lead_image['alt']}"
    )


def reader_text(block):
    """A block of a story version document as one paragraph of reader text.

    This is how a diff reads a frozen document; the document itself is never
    changed. Only a statement's `quote` reads as quoted words: its summary is
    our paraphrase and says so.
    """
    kind = block["type"]
    if kind == "statement":
        return _statement_text(block)
    if kind == "source_citation":
        source = ", ".join(part for part in [block["name"], block["role"]] if part)
        return f"Source: {source}" + (f" — {block['note']}" if block["note"] else "")
    if kind == "quote":
        return _quote_text(block)
    if kind == "data_point":
        return _data_point_text(block)
    return " ".join(
        str(value)
        for key, value in block.items()
        if key != "type" and value not in (None, "")
    )


def _statement_text(block):
    who = ", ".join(part for part in [block["speaker"], block["role"]] if part)
    how = ", ".join(part for part in [block["channel"].lower(), _date(block)] if part)
    if block.get("words_are") == "summary":
        return f"Our summary of a statement by {who} ({how}): {block['words']}"
    return f"“{block['words']}” — {who}, {how}"


def _quote_text(block):
    words = f"“{block.get('text') or ''}”"
    attribution = block.get("attribution")
    return f"{words} — {attribution}" if attribution else words


def _data_point_text(block):
    """ "27 requests: what it counts, as of Feb. 6, 2017. Source: who says so"."""
    value = block.get("value")
    if value:
        value = f"{Decimal(value):,}"  # "2,000", as the page shows it
    figure = " ".join(str(part) for part in [value, block.get("unit")] if part)
    text = f"{figure}: {block.get('label') or ''}"
    if block.get("as_of"):
        as_of = datetime.date.fromisoformat(block["as_of"])
        text += f", as of {dates.label(as_of, block.get('precision'))}"
    text += "."
    if block.get("source"):
        text += f" Source: {block['source']}."
    return text


def _date(block):
    said_at = block["said_at"]
    if not said_at:
        return ""
    when = timezone.localtime(datetime.datetime.fromisoformat(said_at))
    return dateformat.format(when, "N j, Y")
