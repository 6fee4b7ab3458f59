"""Mail about readers' reports, sent by the worker, never inside a request.

- `announce_report` tells each active editor who has not opted out
  (MailPreferences.new_reports; no row means yes) about a new report, with a
  link to it in the admin, and acknowledges it to the reader who gave an
  address.
- `send_outcome` tells a reader who asked how their report was resolved: the
  correction and where it is, the editor's reason, or that it repeats an
  earlier report.

Each guards itself with a timestamp on the report (acknowledged_at,
outcome_sent_at), so that a retry after a failure, or a second enqueue, never
mails a reader twice. Mail to readers never carries another reader's words.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.background import background_task
from core.public_urls import absolute_url
from core.visibility import visible
from participation.mail import admin_link, compose, link, send
from participation.models import CorrectionRequest, editors_wanting
from stories.history import with_versions


@background_task
def announce_report(report_id):
    """Acknowledge a new report to its reader, then tell the editors about it."""
    report = CorrectionRequest.objects.select_related("page").filter(pk=report_id)
    report = report.first()
    if report is None:
        return 0
    # The reader first: their mail is guarded, so a retry after the editors'
    # mail failed does not acknowledge twice.
    acknowledged = _acknowledge(report)
    context = {
        "report": report,
        "page_title": _page_title(report),
        "page_url": link(report.page_url),
        "admin_url": admin_link(report),
    }
    messages = [
        compose(
            "report_new",
            {**context, "editor": editor},
            [editor.email],
            subject=f"Reader report on “{context['page_title']}”",
            reply_to=[report.email] if report.email else None,
        )
        for editor in editors_wanting("new_reports")
    ]
    return send(messages) + acknowledged


def _page_title(report):
    return report.page.title if report.page else report.page_url or "a page"


def _acknowledge(report):
    if not report.email or report.acknowledged_at is not None:
        return 0
    message = compose(
        "report_acknowledgement",
        {
            "report": report,
            "page_title": _page_title(report),
            "page_url": link(report.page_url),
            "policy_url": absolute_url(reverse("corrections_policy")),
        },
        [report.email],
        subject=f"We received your report about “{_page_title(report)}”",
    )
    sent = send([message])
    CorrectionRequest.objects.filter(pk=report.pk).update(
        acknowledged_at=timezone.now()
    )
    return sent


@background_task
def send_outcome(report_id):
    """Tell the reader how their report was resolved, once."""
    with transaction.atomic():
        report = (
            CorrectionRequest.objects.select_for_update().filter(pk=report_id).first()
        )
        # Reopened, already told, or nobody to tell: nothing to send.
        if report is None or not report.outcome_is_due:
            return 0
        message = compose(
            "report_outcome",
            outcome_context(report),
            [report.email],
            subject=f"Your report about “{_page_title(report)}”: "
            f"{report.get_status_display().lower()}",
        )
        sent = send([message])
        report.outcome_sent_at = timezone.now()
        report.save(update_fields=["outcome_sent_at"])
        return sent


def outcome_context(report):
    """What the outcome mail says: the decision and the public links behind it."""
    context = {
        "report": report,
        "page_title": _page_title(report),
        "page_url": link(report.page_url),
        "corrections_url": absolute_url(reverse("corrections")),
    }
    if report.status == CorrectionRequest.Status.CORRECTED:
        context.update(correction_links(report.correction))
    if report.status == CorrectionRequest.Status.DUPLICATE and report.duplicate_of:
        earlier = report.duplicate_of
        context["earlier"] = earlier
        if earlier.status == CorrectionRequest.Status.CORRECTED:
            context.update(correction_links(earlier.correction))
    return context


def correction_links(update):
    """The correction's text, its anchor on the story and the diff of the
    version it went out with, as the corrections log links them; nothing when
    readers may not see it (a withdrawn story keeps its updates public)."""
    if update is None or not visible(update):
        return {}
    update = with_versions([update])[0]
    story_url = absolute_url(update.story.url)
    links = {
        "correction": update,
        "correction_url": f"{story_url}#update-{update.pk}",
    }
    version = update.version
    if version and version.previous_revision_id:
        links["diff_url"] = (
            f"{story_url}history/{version.previous_revision_id}/{version.revision_id}/"
        )
    elif version:
        links["diff_url"] = f"{story_url}history/#version-{version.revision_id}"
    return links
