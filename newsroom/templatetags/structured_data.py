"""`{% story_metadata page %}` and `{% source_metadata source %}` for <head>."""

from django import template
from django.db.models import prefetch_related_objects

from newsroom import structured_data

register = template.Library()


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
