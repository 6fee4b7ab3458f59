"""Paginating reader lists: a bad or out-of-range page is a 404, never a 500."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404


def paginate(request, queryset, per_page):
    """Return the page of `queryset` named by `?page=`, or raise Http404.

    A page number is ASCII digits: Django's paginator would read "٣" as 3
    and "1.0" as 1, so the same page would have many addresses.
    """
    number = request.GET.get("page") or "1"
    if not (number.isascii() and number.isdigit()):
        raise Http404(f"No page {number!r} of these results.")
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404(f"No page {number!r} of these results.") from error
