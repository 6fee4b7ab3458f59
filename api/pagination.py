"""Wagtail's limit/offset pagination, described for the OpenAPI document."""

from django.conf import settings
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError

from core.pagination import remembered_count

# Databases keep LIMIT and OFFSET in 64-bit integers; far past any real list,
# and well inside that, so a huge offset is a 400, not a database error.
MAX_OFFSET = 10**9


class Pagination(WagtailPagination):
    """Wagtail's limit and offset, stricter about numbers, with `total_count`
    read from a count remembered until content changes (core.pagination)."""

    def paginate_queryset(self, queryset, request, view=None):
        # Wagtail reads these with int(), which takes "٣" for 3 and " 3" too;
        # like every number on the site, they are plain ASCII digits or a 400.
        for name in ("limit", "offset"):
            value = request.GET.get(name, "0")
            if not (value.isascii() and value.isdigit()):
                raise BadRequestError(f"{name} must be a whole number (0 or more)")
        offset = int(request.GET.get("offset", "0"))
        if offset > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        limit_max = settings.WAGTAILAPI_LIMIT_MAX
        limit = int(request.GET.get("limit", min(20, limit_max)))
        if limit > limit_max:
            raise BadRequestError(f"limit cannot be higher than {limit_max}")
        self.view = view
        self.total_count = remembered_count(queryset)
        return queryset[offset : offset + limit]

    def get_schema_operation_parameters(self, view):
        limit_max = settings.WAGTAILAPI_LIMIT_MAX
        return [
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": f"How many items to return (at most {limit_max}).",
                "schema": {"type": "integer", "minimum": 0, "maximum": limit_max},
            },
            {
                "name": "offset",
                "required": False,
                "in": "query",
                "description": "How many items to skip.",
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
            },
        ]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["meta", "items"],
            "properties": {
                "meta": {
                    "type": "object",
                    "properties": {"total_count": {"type": "integer"}},
                },
                "items": schema,
            },
        }
