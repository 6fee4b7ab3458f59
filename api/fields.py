"""Serializer fields for the public API that decide, per object, what readers see."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.api.v2.utils import get_object_detail_url

SUMMARY_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "A short summary of a related object, or null when readers "
    "may not see it.",
    "additionalProperties": True,
    "properties": {
        "id": {"type": "integer"},
        "detail_url": {"type": "string", "format": "uri"},
        "html_url": {"type": "string", "format": "uri"},
    },
}


def html_url(obj, request):
    """The reader-facing address of a page or a snippet, absolute."""
    if hasattr(obj, "get_full_url"):
        return obj.get_full_url(request)
    return request.build_absolute_uri(obj.get_absolute_url())


@extend_schema_field(SUMMARY_SCHEMA)
class PublicObjectField(serializers.Field):
    """A related object as a short summary, or null when readers may not see it.

    A public statement's source is public, but a public source's organisation,
    or the office a request was referred to, may be confidential, and a request
    may be for a story that is not published yet: `is_public` decides.
    """

    def __init__(self, *, is_public, label, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)
        self.is_public = is_public
        self.label_attribute = label

    def to_representation(self, value):
        if not self.is_public(value):
            return None
        request = self.context["request"]
        return {
            "id": value.pk,
            self.label_attribute: getattr(value, self.label_attribute),
            "detail_url": get_object_detail_url(
                self.context["router"], request, type(value), value.pk
            ),
            "html_url": html_url(value, request),
        }


@extend_schema_field({"type": "string", "format": "uri"})
class HtmlUrlField(serializers.Field):
    """The object's own page on the reader site."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value):
        return html_url(value, self.context["request"])


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "job_title": {"type": "string"},
                "html_url": {"type": "string", "format": "uri"},
            },
        },
    }
)
class AuthorsField(serializers.Field):
    """A story's byline in order, each author with the address of their page."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context["request"]
        return [
            {
                "name": author.name,
                "job_title": author.job_title,
                "html_url": html_url(author, request),
            }
            for author in value
        ]


@extend_schema_field({"type": "string"})
class ChoiceLabelField(serializers.Field):
    """The human label of a choice field, beside its machine value."""

    def __init__(self, field_name, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = f"get_{field_name}_display"
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(value)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TagNamesField(serializers.Field):
    """Tag names from the prefetched tags (Wagtail's own TagsField queries again)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())
