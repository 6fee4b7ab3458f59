"""Published statements and requests for comment go on the public record.

Each publish that readers can see is kept as a snapshot and logged
(stories.models.record); a statement off the record, or a request kept off the
public site, is not shown to readers and so is not recorded.
"""

from django.dispatch import receiver
from wagtail.signals import published

from core.visibility import visible
from sources.models import RequestForComment, Statement
from stories.models import record


def _iso(value):
    return value.isoformat() if value else None


@receiver(published, sender=Statement)
@receiver(published, sender=RequestForComment)
def record_publish(sender, instance, revision, **kwargs):
    if instance.live:
        record.RECORDERS[sender](instance, revision)


def record_statement(statement, revision, published_at=None):
    """Keep a published statement as readers see it; None when they do not."""
    if not visible(statement):
        return None
    published_at = published_at or record.now()
    source_url = statement.source.get_absolute_url()

    def document(number):
        return {
            "format": record.FORMAT,
            "type": "statement",
            "statement": statement.pk,
            "version": number,
            "published_at": _iso(published_at),
            **record.statement_fields(statement),
            "quote": statement.quote,
            "summary": statement.summary,
            "original_url": statement.original_url,
            "earlier_statement": statement.earlier_statement_id,
            "reversal": statement.reversal_kind,
        }

    return record.record(
        statement,
        revision,
        kind=record.Snapshot.Kind.STATEMENT,
        entry_kind=record.RecordEntry.Kind.STATEMENT,
        path=lambda number: f"/record/statements/{statement.pk}/{number}.json",
        document=document,
        url=record.public_url(f"{source_url}#statement-{statement.pk}"),
        published_at=published_at,
        story=None,
    )


def _referral(source):
    if not visible(source):
        return {"referred_to": None, "referred_to_source": None}
    return {"referred_to": source.name, "referred_to_source": source.pk}


def record_request_for_comment(request, revision, published_at=None):
    """Keep a published request as readers see it; None when they do not."""
    if not visible(request):
        return None
    published_at = published_at or record.now()
    source_url = request.source.get_absolute_url()
    story = request.story if visible(request.story) else None

    def document(number):
        return {
            "format": record.FORMAT,
            "type": "request_for_comment",
            "request": request.pk,
            "version": number,
            "published_at": _iso(published_at),
            "source": request.source_id,
            "asked": request.source.name,
            "asked_at": _iso(request.asked_at),
            "channel": request.get_channel_display(),
            "deadline": _iso(request.deadline),
            "outcome": request.outcome,
            "outcome_text": request.public_outcome,
            "answered_at": _iso(request.answered_at),
            **_referral(request.referred_to),
            "summary": request.public_summary,
            "story": record.public_url(record.story_path(story)) if story else None,
        }

    return record.record(
        request,
        revision,
        kind=record.Snapshot.Kind.REQUEST_FOR_COMMENT,
        entry_kind=record.RecordEntry.Kind.REQUEST_FOR_COMMENT,
        path=lambda number: f"/record/requests/{request.pk}/{number}.json",
        document=document,
        url=record.public_url(f"{source_url}#request-{request.pk}"),
        published_at=published_at,
        story=None,
    )


record.register(Statement, record_statement)
record.register(RequestForComment, record_request_for_comment)
