"""The admin's "Background tasks" report: work the worker gave up on, or lost.

A task that fails is tried again with backoff (core.background); after the last
attempt it is kept here, with its error, until an editor runs it again. So is a
task still marked running long after it started (its worker was killed), and
the report says how much is waiting, so a stopped worker shows too. Open to
editors (those who decide reader reports) and superusers; reached from Reports.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from django_tasks_db.models import DBTaskResult, get_date_max
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.background import BACKEND, GaveUp

# Attempts that will not be tried again by themselves: the last one of a
# retried task, and one stopped by the worker shutting down under it.
FINAL = [
    f"{GaveUp.__module__}.{GaveUp.__qualname__}",
    "builtins.KeyboardInterrupt",
    "builtins.SystemExit",
]
# A task running longer than this lost its worker; none of ours takes minutes.
STUCK_AFTER = datetime.timedelta(hours=1)


def can_see_background_tasks(user):
    return user.is_superuser or user.has_perm("participation.decide_correctionrequest")


def needing_attention(now=None):
    now = now or timezone.now()
    return DBTaskResult.objects.filter(backend_name=BACKEND).filter(
        Q(status="FAILED", exception_class_path__in=FINAL)
        | Q(status="RUNNING", started_at__lt=now - STUCK_AFTER)
    )


class BackgroundTasksMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_background_tasks(request.user)


class BackgroundTasksView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Background tasks"
    header_icon = "cogs"
    template_name = "participation/admin/background_tasks.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_background_tasks(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        queued = DBTaskResult.objects.filter(backend_name=BACKEND, status="READY")
        now = timezone.now()
        return super().get_context_data(
            tasks=needing_attention(now).order_by("-finished_at", "-started_at")[:200],
            waiting=queued.filter(run_after__lte=now).count(),
            oldest_waiting=queued.filter(run_after__lte=now)
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first(),
            # A task with no run_after is stored with the largest date.
            retrying=queued.filter(run_after__gt=now)
            .exclude(run_after=get_date_max())
            .count(),
            **kwargs,
        )


def run_again(request, result_id):
    """Enqueue the task afresh (attempt 1) and take the failed one off the list.

    The failure's traceback stays in the worker's log; the work itself is the
    new task's.
    """
    if not can_see_background_tasks(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("participation_background_tasks")
    result = get_object_or_404(needing_attention(), pk=result_id)
    arguments = result.args_kwargs
    kwargs = {k: v for k, v in arguments["kwargs"].items() if k != "attempt"}
    result.task.using(run_after=None).enqueue(*arguments["args"], **kwargs)
    result.delete()
    messages.success(request, f"{result.task_path} will run again shortly.")
    return redirect("participation_background_tasks")


def admin_urls():
    return [
        path(
            "background-tasks/",
            BackgroundTasksView.as_view(),
            name="participation_background_tasks",
        ),
        path(
            "background-tasks/<uuid:result_id>/run-again/",
            run_again,
            name="participation_run_task_again",
        ),
    ]


def menu_item():
    return BackgroundTasksMenuItem(
        "Background tasks",
        reverse("participation_background_tasks"),
        icon_name="cogs",
        order=900,
    )
