"""Paginating reader lists: a bad or out-of-range page is a 404, never a 500."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404


def paginate(request, queryset, per_page):
    """Return the page of `queryset` named by `?page=`, or raise Http404."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(
            f"No page {request.GET.get('page')!r} of these results."
        ) from error
