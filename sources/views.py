"""Reader pages of the sources app: the list of sources and each source's page."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from wagtail.search.backends import get_search_backend

from core.page_cache import depends_on
from core.pagination import paginate
from core.text import search_terms
from sources.citations import stories_involving
from sources.models import Source, SourceKind, Statement
from sources.request_history import with_outcome_changes
from sources.response_record import (
    MIN_REQUESTS_FOR_RATE,
    PERIODS,
    InvalidPeriod,
    build_response_record,
    describe_duration,
    parse_period,
    requests_in_period,
)

SOURCES_PER_PAGE = 50
REQUESTS_PER_PAGE = 25


def source_index(request):
    """All public sources, by kind and organisation, with a search box."""
    sources = Source.objects.for_listing()
    kind = request.GET.get("kind", "")
    if kind and kind not in SourceKind.values:
        raise Http404(f"There is no kind of source called {kind!r}.")
    if kind:
        sources = sources.filter(kind=kind)
    organisation = None
    if slug := request.GET.get("organisation"):
        organisation = get_object_or_404(Source.objects.visible_to_readers(), slug=slug)
        sources = sources.filter(organisation=organisation)
    query = request.GET.get("q", "").strip()
    if query:
        terms = search_terms(query)
        sources = (
            get_search_backend().search(terms, sources.order_by())
            if terms
            else sources.none()
        )
    return render(
        request,
        "sources/source_index.html",
        {
            "sources": paginate(request, sources, SOURCES_PER_PAGE),
            "kinds": SourceKind.choices,
            "kind": kind,
            "organisation": organisation,
            "organisations": Source.objects.visible_to_readers()
            .filter(members__isnull=False)
            .distinct()
            .order_by("name"),
            "query": query,
        },
    )


def source_page(request, slug):
    """A source's role, contacts, statements, response record, and the stories
    that quote, cite or asked it."""
    source = get_object_or_404(
        Source.objects.visible_to_readers().select_related("organisation"), slug=slug
    )
    # Statements, requests and citing stories retire this page, and no others
    # (their models' cache_tags); a change to any source retires every page.
    depends_on(f"source:{source.pk}")
    try:
        period = parse_period(request.GET.get("period"))
    except InvalidPeriod as error:
        return render(
            request,
            "sources/bad_request.html",
            {"message": str(error), "source": source},
            status=400,
        )
    requests = paginate(
        request,
        requests_in_period(source, period).for_display(),
        REQUESTS_PER_PAGE,
    )
    requests.object_list = with_outcome_changes(requests.object_list)
    record = build_response_record(source, period)
    return render(
        request,
        "sources/source_page.html",
        {
            "source": source,
            "members": source.members.visible_to_readers().order_by("name"),
            "statements": Statement.objects.for_display().filter(source=source),
            "stories": stories_involving(source),
            "record": record,
            "median_text": describe_duration(record.median_time_to_respond),
            "min_requests_for_rate": MIN_REQUESTS_FOR_RATE,
            "period": period,
            "periods": [(key, label) for key, (label, _days) in PERIODS.items()],
            "requests": requests,
        },
    )
