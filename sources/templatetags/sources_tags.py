"""Template tags that bring the sources app's public records into other pages."""

from django import template

from sources.models import RequestForComment

register = template.Library()


@register.simple_tag
def requests_for_comment_for(story):
    """The public requests for comment made for `story`, newest first."""
    return list(RequestForComment.objects.for_story(story))
