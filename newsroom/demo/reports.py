"""Readers' reports of errors in the demo, one in each state of the inbox.

A reader caught the wrong day of our call (corrected, by the demo's
correction); another doubted a figure we had right (declined, with the
reason); a third questions a detail of the lockdown (a reporter is checking,
with a note); the last, about the tracker, has not been read yet. The readers
are made up, with addresses on example.org. Each report is known by its page
and the time it came in, so a second run adds nothing. They are settled
history: nothing is mailed for them.
"""

import datetime

from django.contrib.auth import get_user_model

from newsroom.demo.stories import COALITION_STORY, LOCKDOWN_STORY, MIAMI
from participation.models import CorrectionRequest, CorrectionRequestNote
from stories.models import Update


def at(month, day, hour, minute=0):
    return datetime.datetime(2017, month, day, hour, minute, tzinfo=MIAMI)


CALL_DAY = {
    "received_at": at(2, 7, 11, 20),
    "what_is_wrong": (
        "The story went up on Tuesday morning, yet it says your reporter "
        "phoned the mayor's office at 4:15 in the afternoon on Tuesday. That "
        "cannot be right: the call must have been on Monday."
    ),
    "where": "The second paragraph, the time of the reporter's call",
    "name": "Dana Whitfield",
    "email": "dana.whitfield@example.org",
    "wants_outcome": True,
    "status": CorrectionRequest.Status.CORRECTED,
    "resolved_at": at(2, 8, 10, 5),
    "acknowledged_at": at(2, 7, 11, 21),
    "outcome_sent_at": at(2, 8, 10, 6),
}

SIGNERS = {
    "received_at": at(2, 8, 8, 45),
    "what_is_wrong": (
        "I count 47 names on the coalition's letter, not 48. Please check the "
        "number in the headline."
    ),
    "where": "The headline",
    "name": "",
    "email": "signers.reader@example.org",
    "wants_outcome": True,
    "status": CorrectionRequest.Status.DECLINED,
    "reason": (
        "We counted the signers again on the copy of the letter the coalition "
        "sent us: there are 48. The headline stands."
    ),
    "resolved_at": at(2, 9, 15, 30),
    "acknowledged_at": at(2, 8, 8, 46),
    "outcome_sent_at": at(2, 9, 15, 31),
}

METROMOVER = {
    "received_at": at(2, 13, 19, 10),
    "what_is_wrong": (
        "You say the Metromover stop next to County Hall was shut for the day. "
        "I think trains were stopping there again by mid-afternoon."
    ),
    "where": "The second paragraph, about the Metromover station",
    "name": "Luis Ortega",
    "email": "luis.ortega@example.org",
    "wants_outcome": True,
    "status": CorrectionRequest.Status.INVESTIGATING,
    "acknowledged_at": at(2, 13, 19, 11),
    "note": (
        "Asked Miami-Dade Transit for the station's service log for Jan. 27; "
        "they promised an answer by the end of the week."
    ),
    "note_at": at(2, 14, 10, 30),
}

COMMISSION_OUTCOME = {
    "received_at": at(2, 20, 9, 5),
    "what_is_wrong": (
        "The timeline stops at the commission meeting of Feb. 17 without saying "
        "what the commissioners decided."
    ),
    "where": "The end of the timeline",
    "name": "",
    "email": "",
    "wants_outcome": False,
    "status": CorrectionRequest.Status.NEW,
}


def ensure_report(page, spec, *, correction=None, note_author=None):
    """The report `spec` about `page`, made once; True when it was made now."""
    if CorrectionRequest.objects.filter(
        page=page, received_at=spec["received_at"]
    ).exists():
        return False
    fields = {k: v for k, v in spec.items() if k not in {"note", "note_at"}}
    report = CorrectionRequest(page=page, page_url=page.url, **fields)
    report.correction = correction
    report.full_clean()
    report.save()
    if "note" in spec:
        CorrectionRequestNote.objects.create(
            request=report,
            author=note_author,
            text=spec["note"],
            created_at=spec["note_at"],
        )
    return True


def build_reports(stdout, story, case, tracker):
    """Four reports: on `story` (the calls story), two of the `case` stories
    (by slug) and `tracker`."""
    correction = Update.objects.get(story=story, kind=Update.Kind.CORRECTION)
    reporter = get_user_model().objects.filter(username="reporter").first()
    made = [
        ensure_report(story, CALL_DAY, correction=correction),
        ensure_report(case[COALITION_STORY["slug"]], SIGNERS),
        ensure_report(case[LOCKDOWN_STORY["slug"]], METROMOVER, note_author=reporter),
        ensure_report(tracker, COMMISSION_OUTCOME),
    ]
    stdout.write(f"Readers' reports added: {sum(made)} of {len(made)}.")
