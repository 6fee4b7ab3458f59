"""Report an error: the reader's form, on its own page for each story and tracker."""

from django.http import Http404
from django.urls import path


def report_error(request, page_id):
    raise Http404


urlpatterns = [path("report/<int:page_id>/", report_error, name="report_error")]
