"""The editors' daily digest: open reader reports and overdue requests for comment.

Each morning at DIGEST_HOUR (TIME_ZONE) every active editor who has not
turned it off in their account settings (MailPreferences.daily_digest; no row
means on) gets one mail listing

- reader reports still new or being investigated, oldest first, with the page
  they are about and their place in the admin, and
- requests for comment that need a follow-up, longest overdue first: pending
  past the deadline we gave, or pending with no deadline more than
  `NO_DEADLINE_DAYS` days after we asked.

Nothing to list, no mail. The task keeps its own schedule: each run first
enqueues the next day's (so a run that fails and is retried, or given up,
never breaks the chain), and `manage.py schedule_digests` starts the chain,
or mends it, when none is waiting.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.background import background_task, enqueue_at
from core.public_urls import absolute_url
from participation import mail
from participation.models import CorrectionRequest, editors_wanting
from sources.models import Outcome, RequestForComment

# A pending request with no deadline needs a follow-up this long after we asked.
NO_DEADLINE_DAYS = 7


def next_digest_time(now):
    """The first DIGEST_HOUR o'clock in TIME_ZONE strictly after `now`."""
    local = timezone.localtime(now)
    day = local.date()
    while True:
        at = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(settings.DIGEST_HOUR))
        )
        if at > now:
            return at
        day += datetime.timedelta(days=1)


def pending_digests():
    """Digests waiting in the queue (not running, not finished)."""
    return DBTaskResult.objects.filter(
        task_path=send_daily_digests.module_path, status=TaskResultStatus.READY
    )


def schedule_next_digest(now=None):
    """Enqueue the next digest unless one is waiting; return its time, or None."""
    now = now or timezone.now()
    if pending_digests().exists():
        return None
    at = next_digest_time(now)
    enqueue_at(send_daily_digests, at)
    return at


def open_reports(now):
    """Reports still new or being investigated, oldest first, as the mail lists them."""
    reports = (
        CorrectionRequest.objects.open()
        .filter(received_at__lte=now)
        .select_related("page")
        .order_by("received_at", "pk")
    )
    return [_report_item(report, now) for report in reports]


def _report_item(report, now):
    page = report.page
    # For editors: the page's address whether or not it is live now.
    page_url = page.get_full_url() if page else ""
    return {
        "summary": str(report),
        "status": report.get_status_display(),
        "received_at": report.received_at,
        "days_open": (now - report.received_at).days,
        "page_title": page.title if page else "",
        "page_url": page_url or mail.link(report.page_url),
        "admin_url": mail.admin_link(report),
    }


def overdue_requests(now):
    """Pending requests for comment that need a follow-up, longest overdue first."""
    no_deadline_cutoff = now - datetime.timedelta(days=NO_DEADLINE_DAYS)
    requests = (
        RequestForComment.objects.filter(outcome=Outcome.PENDING)
        .filter(
            Q(deadline__lt=now)
            | Q(deadline__isnull=True, asked_at__lt=no_deadline_cutoff)
        )
        .select_related("source", "story")
    )
    items = [_request_item(request, now) for request in requests]
    return sorted(items, key=lambda item: (item["overdue_since"], item["pk"]))


def _request_item(request, now):
    overdue_since = request.deadline or (
        request.asked_at + datetime.timedelta(days=NO_DEADLINE_DAYS)
    )
    return {
        "pk": request.pk,
        "source": request.source.name,
        "story_title": request.story.title if request.story else "",
        "asked_at": request.asked_at,
        "deadline": request.deadline,
        "overdue_since": overdue_since,
        "days_overdue": (now - overdue_since).days,
        "days_since_asked": (now - request.asked_at).days,
        "admin_url": mail.admin_link(request),
    }


def _counted(count, singular, plural):
    return f"{count} {singular if count == 1 else plural}"


def _subject(reports, requests):
    parts = []
    if reports:
        parts.append(
            _counted(len(reports), "open reader report", "open reader reports")
        )
    if requests:
        parts.append(
            _counted(
                len(requests),
                "overdue request for comment",
                "overdue requests for comment",
            )
        )
    return "Daily digest: " + " and ".join(parts)


def send_digests(now=None):
    """Mail today's digest to every editor who takes it; return how many went."""
    now = now or timezone.now()
    reports = open_reports(now)
    requests = overdue_requests(now)
    if not reports and not requests:
        return 0
    context = {
        "reports": reports,
        "requests": requests,
        "no_deadline_days": NO_DEADLINE_DAYS,
        "now": now,
        "preferences_url": absolute_url(reverse("wagtailadmin_account")),
    }
    subject = _subject(reports, requests)
    # One message each, so that no editor sees the others' addresses.
    messages = [
        mail.compose(
            "daily_digest",
            {**context, "editor": editor},
            [editor.email],
            subject=subject,
        )
        for editor in editors_wanting("daily_digest")
    ]
    return mail.send(messages)


@background_task
def send_daily_digests():
    """Schedule tomorrow's digest, then send today's."""
    schedule_next_digest()
    return send_digests()
