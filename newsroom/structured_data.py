"""What search engines and link previews read: schema.org JSON-LD and Open Graph.

Plain functions from a story or a source to data, easy to test without HTTP;
`newsroom/templatetags/structured_data.py` puts them in the page. Sources give
their public fields only.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.public_urls import absolute_url
from core.visibility import visible
from sources.models import SourceKind
from stories.models import Update
from stories.models.story import PREVIEW_IMAGE_SPEC

SCHEMA_ORG = "https://schema.org"

# The escapes of Django's json_script: no "</script>" or "<!--" can end the block.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data, nonce=None):
    """`data` as a `<script type="application/ld+json">`, safe for any text in it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    escaped = mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308
    # Django's LazyNonce is falsy until it is first read, so test for None.
    if nonce is not None:
        return format_html(
            '<script type="application/ld+json" nonce="{}">{}</script>', nonce, escaped
        )
    return format_html('<script type="application/ld+json">{}</script>', escaped)


def publisher(request):
    return {
        "@type": "Organization",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": absolute_url("/"),
    }


def lead_image_url(story, request):
    """The story's lead image if readers may see it, else the first visible
    image of its body, cropped for previews, as an absolute URL; or None."""
    if image := story.reader_lead_image:
        return _preview_url(image)
    for block in story.body:
        if block.block_type == "image" and visible(block.value["image"]):
            return _preview_url(block.value["image"])
    return None


def _preview_url(image):
    # get_renditions(), unlike get_rendition(), uses renditions the story page
    # prefetched without writing them back to the shared cache.
    return absolute_url(
        image.get_renditions(PREVIEW_IMAGE_SPEC)[PREVIEW_IMAGE_SPEC].url
    )


# A CorrectionComment "corrects" the article. A clarification does too: it
# fixes what the story led readers to believe. Updates add news and editor's
# notes give context; neither says the story was wrong, so they are left out.
CORRECTION_KINDS = {Update.Kind.CORRECTION, Update.Kind.CLARIFICATION}


def news_article(story, request, updates=()):
    """A story as a schema.org NewsArticle.

    `updates` are the story's published updates (as the story page loads
    them): each correction and clarification becomes a `CorrectionComment`,
    and the latest publication of any of them counts as a modification.
    """
    url = absolute_url(story.get_url(request))
    # A preview of a never-published draft has no dates at all.
    modified = max(
        filter(
            None, [story.last_published_at, *(u.last_published_at for u in updates)]
        ),
        default=None,
    )
    data = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": story.title,
        "datePublished": story.first_published_at,
        "dateModified": modified,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute_url(author.get_absolute_url()),
            }
            for author in story.authors
        ],
        "publisher": publisher(request),
        "keywords": [tag.name for tag in story.tags.all()],
    }
    if story.dek:
        data["description"] = story.dek
    if image := lead_image_url(story, request):
        data["image"] = [image]
    corrections = [update for update in updates if update.kind in CORRECTION_KINDS]
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.first_published_at,
            }
            for correction in corrections
        ]
    return data


SOURCE_TYPES = {
    SourceKind.PERSON: "Person",
    SourceKind.OFFICE: "GovernmentOrganization",
    SourceKind.ORGANISATION: "Organization",
    SourceKind.DOCUMENT: "CreativeWork",
}


def source_entity(source, request):
    """A public source as a schema.org Person, Organization or CreativeWork."""
    kind = SOURCE_TYPES[source.kind]
    url = absolute_url(source.get_absolute_url())
    data = {"@context": SCHEMA_ORG, "@type": kind, "@id": url, "url": url}
    data["name"] = source.name
    if source.description:
        data["description"] = source.description
    if source.public_url:
        data["sameAs"] = source.public_url
    if kind == "CreativeWork":
        return data
    if source.public_phone:
        data["telephone"] = source.public_phone
    if source.public_email:
        data["email"] = source.public_email
    organisation = source.organisation
    if organisation and organisation.visible_to_readers:
        parent = {
            "@type": SOURCE_TYPES[organisation.kind],
            "name": organisation.name,
            "url": absolute_url(organisation.get_absolute_url()),
        }
        data["worksFor" if kind == "Person" else "parentOrganization"] = parent
    if kind == "Person" and source.role:
        data["jobTitle"] = source.role
    return data


def story_open_graph(story, request):
    """Open Graph and Twitter card properties of a story, as (name, value) pairs."""
    image = lead_image_url(story, request)
    pairs = [
        ("og:type", "article"),
        ("og:site_name", settings.WAGTAIL_SITE_NAME),
        ("og:title", story.title),
        ("og:url", absolute_url(story.get_url(request))),
        ("og:description", story.dek),
        ("article:published_time", _iso(story.first_published_at)),
        ("article:modified_time", _iso(story.last_published_at)),
        *(("article:tag", tag.name) for tag in story.tags.all()),
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", story.title),
        ("twitter:description", story.dek),
    ]
    if image:
        pairs += [("og:image", image), ("twitter:image", image)]
    return [(name, value) for name, value in pairs if value]


def source_open_graph(source, request):
    pairs = [
        ("og:type", "profile" if source.kind == SourceKind.PERSON else "website"),
        ("og:site_name", settings.WAGTAIL_SITE_NAME),
        ("og:title", source.name),
        ("og:url", absolute_url(source.get_absolute_url())),
        ("og:description", source.description[:200]),
        ("twitter:card", "summary"),
        ("twitter:title", source.name),
        ("twitter:description", source.description[:200]),
    ]
    return [(name, value) for name, value in pairs if value]


# The query parameters that choose what a reader page shows (a tag, a kind, a
# page of a list, a search), kept in its canonical address; any other, such as
# a campaign tag or a cache buster, names the same page and is left out.
CANONICAL_PARAMETERS = ("kind", "organisation", "page", "period", "q", "tag", "type")


def canonical_url(request):
    """The one address, on BASE_URL, of the page `request` asked for."""
    pairs = []
    for name in CANONICAL_PARAMETERS:
        values = sorted({value for value in request.GET.getlist(name) if value})
        if name == "page":
            values = [value for value in values if value != "1"]
        pairs += [(name, value) for value in values]
    query = urlencode(pairs)
    return absolute_url(escape_uri_path(request.path)) + (f"?{query}" if query else "")


def page_open_graph(title, url):
    """The Open Graph and Twitter card properties every reader page carries.

    Story and source pages give richer ones (`story_open_graph`,
    `source_open_graph`) in their place.
    """
    title = title or settings.WAGTAIL_SITE_NAME
    pairs = [
        ("og:type", "website"),
        ("og:site_name", settings.WAGTAIL_SITE_NAME),
        ("og:title", title),
        ("og:url", url),
        ("twitter:card", "summary"),
        ("twitter:title", title),
    ]
    return [(name, value) for name, value in pairs if value]


def _iso(moment):
    return moment.isoformat() if moment else ""
