"""Serializer fields for the public API that decide, per object, what readers see."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.api.v2.utils import get_object_detail_url

from core.public_urls import absolute_url
from core.visibility import visible
from trackers import timeline

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
        return absolute_url(obj.get_url(request))
    return absolute_url(obj.get_absolute_url())


@extend_schema_field(SUMMARY_SCHEMA)
class PublicObjectField(serializers.Field):
    """A related object as a short summary, or null when readers may not see it.

    A public statement's source is public, but a public source's organisation,
    or the office a request was referred to, may be confidential, and a request
    may be for a story that is not published yet: core.visibility decides.
    """

    def __init__(self, *, label, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)
        self.label_attribute = label

    def to_representation(self, value):
        if not visible(value):
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


DATE_TIME = {"type": "string", "format": "date-time"}


@extend_schema_field(
    {
        "type": "array",
        "description": "Published updates, newest first; drafts never appear.",
        "items": {
            "type": "object",
            "properties": {
                "kind": {"type": "string"},
                "kind_label": {"type": "string"},
                "text": {"type": "string"},
                "published_at": DATE_TIME,
                "amended_at": {**DATE_TIME, "nullable": True},
            },
        },
    }
)
class UpdatesField(serializers.Field):
    """A story's published updates, from the list the endpoint prefetched."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, updates):
        return [
            {
                "kind": update.kind,
                "kind_label": update.get_kind_display(),
                "text": update.text,
                "published_at": update.first_published_at,
                "amended_at": update.last_published_at if update.was_amended else None,
            }
            for update in updates
        ]


# One of StoryPage's LEAD_IMAGE_SPECS, which listings prefetch.
API_LEAD_IMAGE_SPEC = "format-jpeg|width-960"


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "The story's lead image (a JPEG rendition up to 960 pixels "
        "wide), or null when it has none that readers may see.",
        "properties": {
            "url": {"type": "string", "format": "uri"},
            "alt": {"type": "string"},
            "caption": {"type": "string"},
            "credit": {"type": "string"},
            "width": {"type": "integer"},
            "height": {"type": "integer"},
        },
    }
)
class LeadImageField(serializers.Field):
    """A story's lead image, as core.visibility allows (StoryPage.reader_lead_image)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, story):
        image = story.reader_lead_image
        if image is None:
            return None
        rendition = image.get_rendition(API_LEAD_IMAGE_SPEC)
        return {
            "url": absolute_url(rendition.url),
            "alt": story.lead_image_alt,
            "caption": story.lead_image_caption,
            "credit": story.lead_image_credit,
            "width": rendition.width,
            "height": rendition.height,
        }


@extend_schema_field(
    {
        "type": "array",
        "description": "Readings of the tracker's key figures, by label then date.",
        "items": {
            "type": "object",
            "properties": {
                "label": {"type": "string"},
                "value": {"type": "string"},
                "value_to": {"type": "string", "nullable": True},
                "unit": {"type": "string"},
                "period": {"type": "string"},
                "as_of": {"type": "string", "format": "date"},
                "precision": {
                    "type": "string",
                    "enum": ["year", "month", "day"],
                    "description": "How much of `as_of` is known: a yearly "
                    "total is as of its year, whatever the day says.",
                },
                "source": {"type": "string"},
                "source_url": {"type": "string"},
            },
        },
    }
)
class FiguresField(serializers.Field):
    """A tracker's key figure readings, grouped as the tracker page shows them."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, tracker):
        return [
            {
                "label": figure.label,
                # Decimals as strings, as DRF's DecimalField gives them.
                "value": str(figure.value),
                "value_to": None if figure.value_to is None else str(figure.value_to),
                "unit": figure.unit,
                "period": figure.period,
                "as_of": figure.as_of,
                "precision": figure.precision,
                "source": figure.source,
                "source_url": figure.source_url,
            }
            for _label, readings in tracker.figures_by_label()
            for figure in readings
        ]


@extend_schema_field(
    {
        "type": "array",
        "description": "The tracker's hand-written events, oldest first. Their "
        "links to stories, statements and sources are in `timeline`, where "
        "only what readers may see is linked.",
        "items": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "kind": {"type": "string"},
                "title": {"type": "string"},
                "description": {"type": "string"},
                "precision": {"type": "string"},
                "start_date": {"type": "string", "format": "date"},
                "start_time": {"type": "string", "nullable": True},
                "end_date": {"type": "string", "format": "date", "nullable": True},
                "end_time": {"type": "string", "nullable": True},
            },
        },
    }
)
class EventsField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, events):
        return [
            {
                "id": event.pk,
                "kind": event.kind,
                "title": event.title,
                "description": event.description,
                "precision": event.precision,
                "start_date": event.start_date,
                "start_time": event.start_time,
                "end_date": event.end_date,
                "end_time": event.end_time,
            }
            for event in sorted(events.all(), key=lambda e: (e.start_date, e.pk))
        ]


TIMELINE_LIMIT = 100


@extend_schema_field(
    {
        "type": "object",
        "description": f"The merged timeline, newest first, capped at the "
        f"{TIMELINE_LIMIT} newest items; `total_count` says how many there are "
        "and `timelinejs_url` gives the whole timeline.",
        "properties": {
            "total_count": {"type": "integer"},
            "timelinejs_url": {"type": "string", "format": "uri"},
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "anchor": {"type": "string"},
                        "kind": {"type": "string"},
                        "kind_label": {"type": "string"},
                        "headline": {"type": "string"},
                        "text": {"type": "string"},
                        "date": {"type": "string"},
                        "precision": {"type": "string"},
                        "end_date": {"type": "string", "nullable": True},
                        "permalink": {"type": "string", "format": "uri"},
                        "links": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "label": {"type": "string"},
                                    "url": {"type": "string", "format": "uri"},
                                },
                            },
                        },
                    },
                },
            },
        },
    }
)
class TimelineField(serializers.Field):
    """A tracker's merged timeline (trackers.timeline), newest first and capped."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, tracker):
        request = self.context["request"]
        items = timeline.latest_items(tracker, TIMELINE_LIMIT, request=request)
        tracker_url = absolute_url(tracker.get_url(request))
        return {
            "total_count": timeline.count_items(tracker),
            "timelinejs_url": absolute_url(
                reverse("tracker_timelinejs", args=[tracker.slug])
            ),
            "items": [
                {
                    "anchor": item.anchor,
                    "kind": item.kind,
                    "kind_label": item.kind_label,
                    "headline": item.headline,
                    "text": item.text,
                    "date": item.when.iso,
                    "precision": item.when.precision,
                    "end_date": item.end.iso if item.end else None,
                    "permalink": f"{tracker_url}?at={item.anchor}",
                    "links": [
                        {"label": label, "url": absolute_url(url)}
                        for label, url in item.links
                    ],
                }
                for item in items
            ],
        }
