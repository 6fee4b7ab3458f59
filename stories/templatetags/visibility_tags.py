"""`{{ obj|visible }}` in templates: core.visibility's rule for one object,
for things that are not our models (images, documents)."""

from django import template

from core.visibility import visible as visible_to_readers

register = template.Library()


@register.filter
def visible(obj):
    return visible_to_readers(obj)
