"""Query-string filters of the public API, each one declared once per endpoint.

An endpoint lists its filters in `query_filters`; `DeclaredFilters` applies them,
and the OpenAPI description is built from the same declarations, so the two
cannot drift apart. Every parameter is parsed strictly: a malformed value or an
id that names nothing a reader may see is a 400 with a message, never a 500 or a
silently empty list.
"""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import OrderingFilter
from wagtail.api.v2.utils import BadRequestError


class DateRange:
    """`<name>_after` and `<name>_before`: ISO dates or date-times, both inclusive.

    A bare date means the whole day in the newsroom's time zone.
    """

    def __init__(self, name, field, what):
        self.field = field
        self.what = what
        self.after = f"{name}_after"
        self.before = f"{name}_before"
        self.parameters = (self.after, self.before)

    def apply(self, queryset, params):
        if self.after in params:
            start = self._parse(self.after, params[self.after], end_of_day=False)
            queryset = queryset.filter(**{f"{self.field}__gte": start})
        if self.before in params:
            end = self._parse(self.before, params[self.before], end_of_day=True)
            queryset = queryset.filter(**{f"{self.field}__lt": end})
        return queryset

    def _parse(self, parameter, value, *, end_of_day):
        try:
            moment = parse_datetime(value)
            day = None if moment else parse_date(value)
        except ValueError:
            moment = day = None
        if moment:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return moment + datetime.timedelta(microseconds=1) if end_of_day else moment
        if day:
            if end_of_day:
                day += datetime.timedelta(days=1)
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        raise BadRequestError(
            f"{parameter} must be an ISO 8601 date (2017-02-07) or date-time "
            f"(2017-02-07T10:00:00-05:00), not {value!r}"
        )

    def openapi_parameters(self):
        return [
            _parameter(
                self.after,
                {"type": "string"},
                f"Only those {self.what} on or after this date or date-time.",
            ),
            _parameter(
                self.before,
                {"type": "string"},
                f"Only those {self.what} on or before this date or date-time.",
            ),
        ]


class _NamedObject:
    """`<parameter>=<value>`: narrow to one object readers may see.

    `visible` returns the reader queryset the object must be found in; `narrow`
    takes the endpoint's queryset and that object. Subclasses say how a value
    names an object (`find`) and how the parameter is described (`schema`).
    """

    schema = {}

    def __init__(self, parameter, visible, narrow, description):
        self.parameter = parameter
        self.parameters = (parameter,)
        self.visible = visible
        self.narrow = narrow
        self.description = description

    def apply(self, queryset, params):
        if self.parameter not in params:
            return queryset
        return self.narrow(queryset, self.find(params[self.parameter]))

    def openapi_parameters(self):
        return [_parameter(self.parameter, self.schema, self.description)]


class PublicObject(_NamedObject):
    """`<parameter>=<id>`: narrow to one object readers may see, e.g. a source."""

    schema = {"type": "integer"}

    def find(self, value):
        # Longer than 18 digits would overflow a database integer.
        if not value.isascii() or not value.isdigit() or len(value) > 18:
            raise BadRequestError(
                f"{self.parameter} must be a numeric id, not {value!r}"
            )
        found = self.visible().filter(pk=int(value)).first()
        if found is None:
            raise BadRequestError(
                f"there is no public {self.parameter} with id {value}"
            )
        return found


class Slug(_NamedObject):
    """`<parameter>=<slug>`: narrow by something named by its slug, e.g. a tag."""

    schema = {"type": "string"}

    def find(self, value):
        found = self.visible().filter(slug=value).first()
        if found is None:
            raise BadRequestError(f"there is no {self.parameter} {value!r}")
        return found


class Choice:
    """`<parameter>=<value>` where the value is one of a model field's choices."""

    def __init__(self, parameter, field, choices, description):
        self.parameter = parameter
        self.parameters = (parameter,)
        self.field = field
        self.values = [value for value, _label in choices]
        self.description = description

    def apply(self, queryset, params):
        if self.parameter not in params:
            return queryset
        value = params[self.parameter]
        if value not in self.values:
            raise BadRequestError(
                f"{self.parameter} must be one of: {', '.join(self.values)}"
            )
        return queryset.filter(**{self.field: value})

    def openapi_parameters(self):
        return [
            _parameter(
                self.parameter,
                {"type": "string", "enum": self.values},
                self.description,
            )
        ]


class DeclaredFilters(BaseFilterBackend):
    """Applies the view's `query_filters` in order."""

    def filter_queryset(self, request, queryset, view):
        for query_filter in view.query_filters:
            queryset = query_filter.apply(queryset, request.GET)
        return queryset

    def get_schema_operation_parameters(self, view):
        return [
            parameter
            for query_filter in view.query_filters
            for parameter in query_filter.openapi_parameters()
        ]


class Ordering(OrderingFilter):
    """Wagtail's `?order=`, described for the OpenAPI document."""

    def get_schema_operation_parameters(self, view):
        return [
            _parameter(
                "order",
                {"type": "string"},
                "Order by these fields, comma-separated; `-field` for descending, "
                "`random` for a random order.",
            ),
            _parameter(
                "fields",
                {"type": "string"},
                "Fields to show, comma-separated: `*` for all, `-field` to drop one.",
            ),
        ]


def _parameter(name, schema, description):
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": description,
        "schema": schema,
    }
