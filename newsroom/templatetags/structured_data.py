"""What goes in <head> for search engines and link previews.

`{% capture %}` keeps a page's title for its Open Graph tags, `{% canonical_link %}`
and `{% page_metadata %}` are on every reader page (base.html), and
`{% story_metadata %}` and `{% source_metadata %}` replace the latter on story
and source pages.
"""

import html

from django import template
from django.db.models import prefetch_related_objects
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from newsroom import structured_data

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # The rendered nodelist is escaped already: kept as safe text.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """`{% capture name %}…{% endcapture %}`: render the contents once, into `name`.

    base.html captures the title block this way, so a page's `<title>` and its
    `og:title` say the same thing; blocks inside stay overridable.
    """
    try:
        _tag, name = token.split_contents()
    except ValueError as error:
        raise template.TemplateSyntaxError(
            "capture takes one argument: the variable to set"
        ) from error
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)


@register.simple_tag(takes_context=True)
def canonical_link(context):
    """`<link rel="canonical">` on BASE_URL (none where there is no request)."""
    request = context.get("request")
    if request is None:
        return ""
    return format_html(
        '<link rel="canonical" href="{}">', structured_data.canonical_url(request)
    )


@register.inclusion_tag("components/metadata.html", takes_context=True)
def page_metadata(context, title):
    """Open Graph and Twitter card tags of any reader page, titled `title`."""
    request = context.get("request")
    url = structured_data.canonical_url(request) if request else ""
    # The captured title is HTML; the tags want its text, escaped once.
    text = html.unescape(strip_tags(title))
    return {"json_ld": "", "properties": structured_data.page_open_graph(text, url)}


@register.inclusion_tag("components/metadata.html", takes_context=True)
def story_metadata(context, story, updates):
    """`updates` are the published updates the story page already loaded."""
    request = context["request"]
    # One query for the tags, shared by the JSON-LD, Open Graph and the page's
    # own tag list.
    prefetch_related_objects([story], "tags")
    return {
        "json_ld": structured_data.json_ld_script(
            structured_data.news_article(story, request, updates),
            context.get("csp_nonce"),
        ),
        "properties": structured_data.story_open_graph(story, request),
    }


@register.inclusion_tag("components/metadata.html", takes_context=True)
def source_metadata(context, source):
    request = context["request"]
    return {
        "json_ld": structured_data.json_ld_script(
            structured_data.source_entity(source, request),
            context.get("csp_nonce"),
        ),
        "properties": structured_data.source_open_graph(source, request),
    }
