"""`{% story_metadata page %}` and `{% source_metadata source %}` for <head>."""

from django import template

from newsroom import structured_data

register = template.Library()


@register.inclusion_tag("components/metadata.html", takes_context=True)
def story_metadata(context, story):
    request = context["request"]
    return {
        "json_ld": structured_data.json_ld_script(
            structured_data.news_article(story, request),
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
