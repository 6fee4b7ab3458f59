"""The public record: what readers were shown, and a log of it anyone can verify.

A `Snapshot` is the JSON document of one published version of one thing (a
story version, an update's wording, a statement, a request for comment), written
once at the moment of publishing and served byte for byte at its `path`. A
`RecordEntry` is one line of the append-only, hash-chained log: each entry
names a snapshot and its SHA-256, and carries the previous entry's hash, so a
reader who kept any entry can tell if anything before it was rewritten.

A snapshot changes only through a redaction (stories.models.redaction), which
appends an entry naming the same snapshot with its new hash and the reason.
The format and the rule a verifier applies are in docs/record.md.
"""

import contextvars
import hashlib
import json
from contextlib import contextmanager
from datetime import UTC

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from core import visibility
from core.public_urls import absolute_url
from core.revisions import PUBLISH_ACTIONS
from stories.models.documents import (
    FORMAT,
    statement_fields,
    story_version_document,
    update_document,
)

__all__ = ["FORMAT", "statement_fields"]

GENESIS = "0" * 64
# Any fixed number: PostgreSQL's advisory lock that serialises appends, so two
# publishes at once cannot both take the same `seq`. (SQLite runs one writer
# at a time: transactions there begin IMMEDIATE, see settings.)
APPEND_LOCK = 7_042_001


class RecordError(Exception):
    """Raised when something tries to rewrite or delete the public record."""


def canonical_json(data):
    """The bytes the record hashes and serves: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def public_url(path):
    """An absolute URL on the newsroom's public address (BASE_URL)."""
    return absolute_url(path)


# Demo content stages events that happened in 2017 (newsroom.scaffold); inside
# `as_of(when)` snapshots are dated `when` instead of now. Log entries always
# carry the time they were written.
_as_of = contextvars.ContextVar("record_as_of", default=None)


@contextmanager
def as_of(when):
    token = _as_of.set(when)
    try:
        yield
    finally:
        _as_of.reset(token)


def now():
    return _as_of.get() or timezone.now()


class SnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise RecordError(
            "Snapshots are written once. Only a redaction changes one, and it "
            "appends its reason to the public log."
        )

    def delete(self):
        raise RecordError("Snapshots are part of the public record.")

    def _redact(self, document):
        """The one way a snapshot's document changes (see stories.models.redaction)."""
        body = canonical_json(document).decode()
        return super().update(document=body, content_sha256=sha256(body.encode()))


class Snapshot(models.Model):
    """What readers were shown of one published version of one thing."""

    class Kind(models.TextChoices):
        STORY_VERSION = "story_version", "Story version"
        UPDATE = "update", "Update wording"
        STATEMENT = "statement", "Statement"
        REQUEST_FOR_COMMENT = "request_for_comment", "Request for comment"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    # The thing this is a version of: its type, id and version number (1, 2, …).
    object_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64)
    # The story this belongs to (its versions and its updates' wordings), so a
    # story's page can find its latest log entry in one query.
    story = models.ForeignKey(
        "stories.StoryPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="snapshots",
    )
    number = models.PositiveIntegerField()
    # The published revision it was made from; a revision published again
    # unchanged is not a new version. Deleting an unquoted statement deletes
    # its revisions; what it said stays on the record.
    revision = models.OneToOneField(
        "wagtailcore.Revision",
        null=True,
        on_delete=models.SET_NULL,
        related_name="snapshot",
    )
    published_at = models.DateTimeField()
    # The URL path that serves `document`, e.g. /stories/<slug>/history/2.json.
    path = models.CharField(max_length=500, db_index=True)
    document = models.TextField()
    content_sha256 = models.CharField(max_length=64)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["object_type", "object_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "number"],
                name="one_snapshot_per_version",
            )
        ]

    def __str__(self):
        return self.path

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk).exists():
            raise RecordError("Snapshots are written once.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordError("Snapshots are part of the public record.")

    @property
    def data(self):
        return json.loads(self.document)

    @property
    def content(self):
        """The exact bytes served at `path`."""
        return self.document.encode()

    @property
    def url(self):
        return public_url(self.path)

    @classmethod
    def versions_of(cls, obj):
        return cls.objects.filter(
            object_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=str(obj.pk),
        )

    def cache_tags(self, change):
        """Its story's pages show it; a statement's or a request's is shown
        with the row it was taken from, which names its own pages."""
        return {f"story:{self.story_id}"} if self.story_id else set()


class RecordEntryQuerySet(models.QuerySet):
    def for_readers(self):
        """Entries with `shown`: whether readers may see what each one names
        (core.visibility). The others are listed without it (`as_json`)."""
        return self.annotate(
            shown=Case(
                When(visibility.record_entry(), then=Value(True)),
                default=Value(False),
            )
        )

    def update(self, **kwargs):
        raise RecordError("The public log is append-only.")

    def delete(self):
        raise RecordError("The public log is append-only.")


class RecordEntry(models.Model):
    """One line of the public log; `hash` chains it to the line before."""

    class Kind(models.TextChoices):
        STORY_VERSION = "story_version", "Story version"
        UPDATE = "update", "Update"
        AMENDMENT = "amendment", "Amendment of an update"
        WITHDRAWAL = "withdrawal", "Withdrawal"
        STATEMENT = "statement", "Statement"
        REQUEST_FOR_COMMENT = "request_for_comment", "Request for comment"
        REDACTION = "redaction", "Redaction"

    seq = models.PositiveBigIntegerField(unique=True)
    recorded_at = models.DateTimeField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    url = models.URLField(max_length=600)
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.PROTECT, related_name="entries"
    )
    snapshot_url = models.URLField(max_length=600)
    content_sha256 = models.CharField(max_length=64)
    reason = models.TextField(blank=True)
    prev = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = RecordEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "record entries"

    def __str__(self):
        return f"#{self.seq} {self.kind} {self.url}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise RecordError("The public log is append-only.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordError("The public log is append-only.")

    def unhashed(self):
        """The entry as published, without its hash: what `hash` is the SHA-256 of."""
        data = {
            "seq": self.seq,
            "recorded_at": self.recorded_at.isoformat(),
            "kind": self.kind,
            "url": self.url,
            "snapshot_url": self.snapshot_url,
            "content_sha256": self.content_sha256,
            "prev": self.prev,
        }
        if self.kind == self.Kind.REDACTION:
            data["reason"] = self.reason
        return data

    def as_json(self):
        """The entry as the public log lists it (`for_readers()` annotates
        `shown`). An entry about something readers may not see now, such as a
        story restricted to subscribers, keeps its place in the chain but not
        what it names: the next entry's `prev` still links to its hash."""
        if not self.shown:
            return {
                "seq": self.seq,
                "recorded_at": self.recorded_at.isoformat(),
                "kind": self.kind,
                "withheld": True,
                "prev": self.prev,
                "hash": self.hash,
            }
        return {**self.unhashed(), "hash": self.hash}

    def compute_hash(self):
        return sha256(canonical_json(self.unhashed()))

    def cache_tags(self, change):
        """A story's page shows its latest entry; the log lists every entry
        (core.page_cache). A redaction changes what earlier versions show,
        wherever they are shown: every page."""
        if self.kind == self.Kind.REDACTION:
            return None
        story = self.snapshot.story_id
        return {f"story:{story}"} if story else set()


def _lock_the_log():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK])


@transaction.atomic
def append(kind, url, snapshot, reason=""):
    """Append one entry naming `snapshot` as it is now; returns the entry."""
    _lock_the_log()
    last = RecordEntry.objects.order_by("-seq").only("seq", "hash").first()
    entry = RecordEntry(
        seq=last.seq + 1 if last else 1,
        # When it was logged, always the real time (`as_of` dates what was
        # published, not the log). Stored with whole microseconds on both
        # databases, so the ISO text read back is the text hashed.
        recorded_at=timezone.now().astimezone(UTC),
        kind=kind,
        url=url,
        snapshot=snapshot,
        snapshot_url=snapshot.url,
        content_sha256=snapshot.content_sha256,
        reason=reason,
        prev=last.hash if last else GENESIS,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


@transaction.atomic
def record(
    obj, revision, *, kind, entry_kind, path, document, url, published_at, story
):
    """Snapshot `revision` of `obj` as `document` and log it, once per revision.

    Returns the snapshot, or the existing one when this revision was recorded
    already (published again unchanged).
    """
    object_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    batch = _batch.get()
    if batch is not None:
        number = batch.next_number(revision, object_type.pk, str(obj.pk))
        if number is None:
            return None
    else:
        existing = revision and Snapshot.objects.filter(revision=revision).first()
        if existing:
            return existing
        number = Snapshot.versions_of(obj).count() + 1
    body = canonical_json(document(number)).decode()
    snapshot = Snapshot(
        kind=kind,
        object_type=object_type,
        object_id=str(obj.pk),
        number=number,
        story=story,
        revision=revision,
        published_at=published_at,
        path=path(number),
        document=body,
        content_sha256=sha256(body.encode()),
    )
    if batch is not None:
        batch.add(snapshot, entry_kind, url)
    else:
        snapshot.save()
        append(entry_kind, url, snapshot)
    return snapshot


def _as_published(revision):
    """The object as `revision` saved it.

    A page is built from the revision's JSON alone: Wagtail's `as_object`
    reads the live page first, which costs queries for every version.
    """
    model = revision.content_type.model_class()
    if issubclass(model, Page):
        obj = model.from_serializable_data(revision.content, check_fks=False)
    else:
        obj = revision.as_object()
    # A revision saved as a draft before it was published says live=False.
    obj.live = True
    return obj


_batch = contextvars.ContextVar("record_batch", default=None)


class _Batch:
    """Snapshots and entries collected in memory and written in bulk, for
    `backfill` over a large archive; the log is locked meanwhile."""

    SIZE = 2000

    def __init__(self):
        _lock_the_log()
        last = RecordEntry.objects.order_by("-seq").only("seq", "hash").first()
        self.seq, self.prev = (last.seq, last.hash) if last else (0, GENESIS)
        self.numbers = {
            (object_type, object_id): count
            for object_type, object_id, count in Snapshot.objects.values_list(
                "object_type", "object_id"
            ).annotate(count=models.Count("pk"))
        }
        self.revisions = set()
        self.pending = []

    def next_number(self, revision, object_type, object_id):
        """The version number for `revision`, or None if it is taken already."""
        if revision is not None:
            if revision.pk in self.revisions:
                return None
            self.revisions.add(revision.pk)
        key = (object_type, object_id)
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return self.numbers[key]

    def add(self, snapshot, kind, url):
        self.seq += 1
        entry = RecordEntry(
            seq=self.seq,
            recorded_at=timezone.now().astimezone(UTC),
            kind=kind,
            url=url,
            snapshot_url=snapshot.url,
            content_sha256=snapshot.content_sha256,
            prev=self.prev,
        )
        entry.hash = self.prev = entry.compute_hash()
        self.pending.append((snapshot, entry))
        if len(self.pending) >= self.SIZE:
            self.flush()

    def flush(self):
        snapshots = Snapshot.objects.bulk_create([s for s, _e in self.pending])
        for snapshot, (_s, entry) in zip(snapshots, self.pending, strict=True):
            entry.snapshot = snapshot
        RecordEntry.objects.bulk_create([e for _s, e in self.pending])
        self.pending = []


def latest_entry_for_story(story):
    """The newest log entry about `story` (a version or an update), or None:
    its `seq` and `hash`, which a story routed to its own page brings along
    (StoryPageQuerySet.for_story_page)."""
    if hasattr(story, "record_hash"):
        if story.record_hash is None:
            return None
        return RecordEntry(seq=story.record_seq, hash=story.record_hash)
    return (
        RecordEntry.objects.filter(snapshot__story=story)
        .only("seq", "hash")
        .order_by("-seq")
        .first()
    )


def verify(entries=None, snapshot_bytes=None):
    """The first break in the log, as a sentence, or None when it verifies.

    Checks every entry's hash and link to the one before, that `seq` has no
    gaps, and that each snapshot hashes to what the latest entry naming it says.
    `snapshot_bytes(snapshot)` gives the bytes served (default: as stored).
    """
    entries = RecordEntry.objects.order_by("seq") if entries is None else entries
    snapshot_bytes = snapshot_bytes or (lambda snapshot: snapshot.content)
    prev, expected_seq, latest = GENESIS, 1, {}
    for entry in entries.iterator():
        if entry.seq != expected_seq:
            return f"Entry {expected_seq} is missing (found {entry.seq} next)."
        if entry.prev != prev:
            return f"Entry {entry.seq} does not follow the hash of the entry before."
        if entry.compute_hash() != entry.hash:
            return f"Entry {entry.seq} does not match its hash."
        latest[entry.snapshot_id] = entry
        prev, expected_seq = entry.hash, expected_seq + 1
    for snapshot in Snapshot.objects.filter(pk__in=latest).iterator():
        entry = latest[snapshot.pk]
        if sha256(snapshot_bytes(snapshot)) != entry.content_sha256:
            return (
                f"The snapshot at {entry.snapshot_url} does not match entry "
                f"{entry.seq}'s content_sha256."
            )
        if not entry.snapshot_url.endswith(snapshot.path):
            return f"Entry {entry.seq} names {entry.snapshot_url}, not {snapshot.path}."
    return None


def story_path(page, suffix=""):
    """A story's URL path (not the full URL, which depends on the site)."""
    return page.get_url_parts()[2] + suffix


def record_story_version(page, revision, published_at=None):
    """Keep what readers are shown of `page` as published in `revision`."""
    published_at = published_at or now()
    return record(
        page,
        revision,
        kind=Snapshot.Kind.STORY_VERSION,
        entry_kind=RecordEntry.Kind.STORY_VERSION,
        path=lambda number: story_path(page, f"history/{number}.json"),
        document=lambda number: story_version_document(page, number, published_at),
        url=public_url(story_path(page)),
        published_at=published_at,
        story=page,
    )


def record_update_wording(update, revision, published_at=None):
    """Keep one published wording of an update (the first, or an amendment)."""
    published_at = published_at or now()
    first = not Snapshot.versions_of(update).exists()
    if update.kind == update.Kind.WITHDRAWAL:
        entry_kind = RecordEntry.Kind.WITHDRAWAL
    else:
        entry_kind = RecordEntry.Kind.UPDATE if first else RecordEntry.Kind.AMENDMENT
    return record(
        update,
        revision,
        kind=Snapshot.Kind.UPDATE,
        entry_kind=entry_kind,
        path=lambda number: f"/record/updates/{update.guid}/{number}.json",
        document=lambda number: update_document(update, number, published_at),
        url=public_url(story_path(update.story, f"#update-{update.pk}")),
        published_at=published_at,
        story=update.story,
    )


# How each kind of published thing is recorded: model -> recorder(obj,
# revision, published_at). Filled by stories.signals and sources.signals, which
# also call them on every publish.
RECORDERS = {}


def register(model, recorder):
    RECORDERS[model] = recorder


def backfill():
    """Record every publish the audit log has and the record lacks, oldest first.

    For databases from before the record was kept (run after `migrate`, and by
    `import_archive`): each version is dated by its audit log entry, and read
    from its revision as it was saved; quoted statements and cited sources are
    resolved as they stand now, the best that can be known of them.
    """
    if Snapshot._meta.db_table not in connection.introspection.table_names():
        return 0
    missing = []
    for model in RECORDERS:
        log_model = PageLogEntry if issubclass(model, Page) else ModelLogEntry
        missing += log_model.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            action__in=PUBLISH_ACTIONS,
            revision__isnull=False,
            revision__snapshot__isnull=True,
        ).select_related("revision__content_type")
    if not missing:
        return 0
    missing.sort(key=lambda entry: (entry.timestamp, entry.pk))
    recorded = 0
    with transaction.atomic():
        batch = _Batch()
        token = _batch.set(batch)
        try:
            for entry in missing:
                obj = _as_published(entry.revision)
                with as_of(entry.timestamp):
                    if RECORDERS[type(obj)](obj, entry.revision, entry.timestamp):
                        recorded += 1
            batch.flush()
        finally:
            _batch.reset(token)
    return recorded
