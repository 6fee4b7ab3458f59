"""Wagtail's limit/offset pagination, described for the OpenAPI document."""

from django.conf import settings
from wagtail.api.v2.pagination import WagtailPagination


class Pagination(WagtailPagination):
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
                "schema": {"type": "integer", "minimum": 0},
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
