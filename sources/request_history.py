"""How a published request for comment changed, read from the audit log.

A request's row holds what was last published; each publish is an entry in
Wagtail's audit log with the revision it published. Comparing those
revisions in order says when the outcome changed and from what.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from core.revisions import PUBLISH_ACTIONS
from sources.models import Outcome, RequestForComment


@dataclass(frozen=True)
class OutcomeChange:
    changed_at: datetime
    before: str
    after: str


def outcome_changes(requests):
    """{request id: [OutcomeChange, oldest first]} for `requests`, in one query."""
    ids = [str(request.pk) for request in requests]
    if not ids:
        return {}
    entries = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(RequestForComment),
            object_id__in=ids,
            action__in=PUBLISH_ACTIONS,
            revision__isnull=False,
        )
        .select_related("revision")
        .order_by("timestamp", "pk")
    )
    changes, published = defaultdict(list), {}
    for entry in entries:
        outcome = entry.revision.content.get("outcome")
        before = published.get(entry.object_id)
        if before is not None and outcome != before:
            changes[int(entry.object_id)].append(
                OutcomeChange(entry.timestamp, _label(before), _label(outcome))
            )
        published[entry.object_id] = outcome
    return changes


def with_outcome_changes(requests):
    """`requests` (a list), each given its `outcome_changes`."""
    requests = list(requests)
    changes = outcome_changes(requests)
    for request in requests:
        request.outcome_changes = changes.get(request.pk, [])
    return requests


def _label(outcome):
    return Outcome(outcome).label if outcome in Outcome.values else outcome
