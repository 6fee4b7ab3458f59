"""Paginating reader lists: a bad or out-of-range page is a 404, never a 500;
and the count behind the page numbers is read once per content change.

Counting every story for "page 1 of 5,000" is the one part of a listing whose
cost grows with the archive: the page itself is a LIMIT/OFFSET read. The count
of a queryset is remembered in the shared cache, keyed by its SQL, until the
next content change (core.page_cache.remember), so readers and the API pay for
it once per change rather than on every uncached request.
"""

import hashlib
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from django.http import Http404

from core.page_cache import remember


def remembered_count(objects):
    """`len` of a list, or the count of a queryset, remembered until content
    changes; search results and other sequences are counted as they are."""
    if not isinstance(objects, QuerySet):
        return objects.count() if hasattr(objects, "count") else len(objects)
    try:
        sql, params = objects.query.sql_with_params()
    except EmptyResultSet:
        return 0
    key = hashlib.sha256(repr((objects.db, sql, params)).encode()).hexdigest()
    return remember(f"count:{key}", objects.count)


class RememberedCountPaginator(Paginator):
    @cached_property
    def count(self):
        return remembered_count(self.object_list)


def paginate(request, queryset, per_page):
    """Return the page of `queryset` named by `?page=`, or raise Http404.

    A page number is ASCII digits: Django's paginator would read "٣" as 3
    and "1.0" as 1, so the same page would have many addresses.
    """
    number = request.GET.get("page") or "1"
    if not (number.isascii() and number.isdigit()):
        raise Http404(f"No page {number!r} of these results.")
    paginator = RememberedCountPaginator(queryset, per_page)
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404(f"No page {number!r} of these results.") from error
