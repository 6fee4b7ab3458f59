"""Compressed copies of a cached page, made once and served many times.

A page in the shared cache is compressed when it is stored, with Brotli and
with gzip, so a hit costs no compression at all: the reader's
`Accept-Encoding` picks which stored body is sent. Only pages the page cache
stores are compressed, and those are the same for every reader, carry no CSRF
token and no session: compressing them cannot leak a secret through its size
(BREACH), which is why nothing else is compressed here
(docs/decisions/0010-compressed-cached-pages.md).
"""

import gzip
import re
from dataclasses import dataclass, field

import brotli
from django.utils.cache import patch_vary_headers

# Below this, compression saves too little to be worth a header.
MIN_BYTES = 512
# Quality 5 compresses a 60 KB page in about a millisecond, at most a few per
# cent larger than 11, which takes a hundred times longer.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
# In order of preference when a reader accepts several.
ENCODINGS = ("br", "gzip")
TEXTUAL = re.compile(r"^(text/|application/(json|xml|rss\+xml|atom\+xml|ld\+json))")
TOKEN = re.compile(r"([a-z0-9*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?")


@dataclass
class StoredPage:
    """What the page cache keeps: the response, and its body compressed."""

    response: object
    bodies: dict = field(default_factory=dict)


COMPRESSORS = {
    "br": lambda content: brotli.compress(content, quality=BROTLI_QUALITY),
    "gzip": lambda content: gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0),
}


def compress(response, codings=ENCODINGS):
    """A StoredPage for `response`, its body compressed in each of `codings`
    where that helps: every coding for the cache, or the one a reader will get
    for a page that is not stored."""
    content = response.content
    bodies = {}
    kind = response.get("Content-Type", "")
    if len(content) >= MIN_BYTES and TEXTUAL.match(kind):
        bodies = {coding: COMPRESSORS[coding](content) for coding in codings}
    return StoredPage(response, bodies)


def preferred(request):
    """The codings, of ours, that `request` would be sent: the first accepted."""
    codings = accepted(request.headers.get("Accept-Encoding", ""))
    return [c for c in ENCODINGS if c in codings or "*" in codings][:1]


def accepted(accept_encoding):
    """The codings the header accepts (q > 0), lower-cased."""
    codings = set()
    for name, quality in TOKEN.findall(accept_encoding.lower()):
        try:
            if float(quality or 1) > 0:
                codings.add(name)
        except ValueError:
            continue
    return codings


def respond(stored, request):
    """The response to send `request`: compressed if the reader accepts it.

    Every answer varies by Accept-Encoding, compressed or not, so that a
    shared cache in front never gives one reader's encoding to another.
    """
    response = stored.response
    content = response.content
    if len(content) >= MIN_BYTES and TEXTUAL.match(response.get("Content-Type", "")):
        patch_vary_headers(response, ("Accept-Encoding",))
        for coding in preferred(request):
            if coding in stored.bodies:
                response.content = stored.bodies[coding]
                response["Content-Encoding"] = coding
                response["Content-Length"] = str(len(response.content))
                # The same page in another coding: a weak validator, as
                # Django's GZipMiddleware makes it, still matches If-None-Match.
                etag = response.get("ETag")
                if etag and not etag.startswith("W/"):
                    response["ETag"] = f"W/{etag}"
                break
    return response
