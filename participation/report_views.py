"""Report an error: the reader's form, on its own page for each story and tracker.

The story and tracker pages are in the shared page cache, so they only link
here; this page carries the form and its CSRF token and is never cached. A
report is accepted for a page readers may see (core.visibility), a withdrawn
story's tombstone included. The thanks page is reached by a redirect (so a
reload does not send the report twice) and shows nothing the reader typed.
"""

from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache

from core.background import enqueue
from participation import pages, report_tasks
from participation.forms import BOT_MESSAGE, ReportForm, limit_posts


def reportable_page(page_id):
    """The page and what it is ("story", "tracker"), or a 404 for anything
    else (a draft, a restricted page, another kind of page, no page)."""
    found = pages.reportable(page_id)
    if found is None:
        raise Http404("Only a published story or tracker can be reported.")
    return found


@never_cache
@limit_posts("report")
def report_error(request, page_id):
    page, what = reportable_page(page_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return render(request, "400.html", {"message": BOT_MESSAGE}, status=400)
        if form.is_valid():
            report = save_report(form, page)
            sent = reverse("report_sent")
            return redirect(f"{sent}?page={page.pk}&ack={int(bool(report.email))}")
    return render(
        request,
        "participation/report_form.html",
        {"form": form, "reported": page, "what": what},
    )


def save_report(form, page):
    """The report and its announcement, in one transaction."""
    with transaction.atomic():
        report = form.save(commit=False)
        report.page = page
        report.page_url = page.url
        report.save()
        enqueue(report_tasks.announce_report, report.pk)
    return report


@never_cache
def report_sent(request):
    """What happens next. The query string says only which page to link back
    to and whether an acknowledgement was mailed, never what was sent."""
    page = None
    page_id = request.GET.get("page", "")
    if page_id.isascii() and page_id.isdigit() and len(page_id) <= 18:
        try:
            page, _what = reportable_page(int(page_id))
        except Http404:
            page = None
    return render(
        request,
        "participation/report_sent.html",
        {"reported": page, "acknowledged": request.GET.get("ack") == "1"},
    )


urlpatterns = [
    path("report/<int:page_id>/", report_error, name="report_error"),
    path("report/sent/", report_sent, name="report_sent"),
]
