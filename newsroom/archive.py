"""Whole-site archives: the database and the uploaded files in one zip file.

An archive holds every table Django knows, written by `dumpdata` as JSON Lines
with exact timestamps (`data.jsonl`, see core.exact_jsonl), the files that
images, documents and avatars point to (`media/…`), and a manifest naming the
format, the migrations the database had and the files. Rows keep their primary
keys, content types and permissions included: revisions, log entries, the
reference index and StreamField bodies hold content-type, page, image and
revision ids inside JSON, where natural keys cannot reach, so the ids must stay
exactly as they were.

`write_archive` reads one consistent snapshot of a live site. `restore_archive`
fills an empty, freshly migrated database of the same code version, in one
transaction: it replaces the rows `migrate` made (root page, default site,
locale, collection, groups, workflow) with the archived ones, or changes
nothing at all. Before it changes anything it checks the zip itself against the
limits in settings (ARCHIVE_MAX_*), every member's name, and the archive
against its manifest: the SHA-256 and row count of every model in data.jsonl,
and the size and SHA-256 of every upload (docs/operations.md, "Archives").
"""

import dataclasses
import datetime
import hashlib
import json
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, SuspiciousFileOperation
from django.core.files.utils import validate_file_name
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.module_loading import import_string
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

from core.page_cache import bump_generation
from stories.models import record

FORMAT = "newsroom-archive"
# Version 2 added the checksums and row counts. Version 1 archives (made before
# them) still import, with a warning: decision 0006.
FORMAT_VERSION = 2
READABLE_VERSIONS = {1, 2}
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA = "media/"
CHUNK = 1024 * 1024
# The manifest is read into memory: a file list with a hundred thousand entries
# is a few tens of megabytes.
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
# A member, or an archive, that expands to less than this is not held to the
# compression ratio: small text files compress well and can do no harm.
RATIO_FLOOR = 1024 * 1024
# Rows every migrated site has and an import deletes before loading: an archive
# without them is cut short, whatever its manifest says.
ESSENTIAL_MODELS = [
    "contenttypes.contenttype",
    "auth.permission",
    "wagtailcore.locale",
    "wagtailcore.collection",
    "wagtailcore.page",
]
SHA256 = re.compile(r"[0-9a-f]{64}")
# Each row of data.jsonl is parsed in memory, on import as by loaddata. The
# largest are revisions of long stories: a few megabytes.
ROW_MAX_BYTES = 64 * 1024 * 1024

# Apps and models whose rows are derived or short-lived: rebuilt by the import,
# or made again when needed.
NOT_ARCHIVED = [
    "sessions.Session",  # staff sign in again on the restored site
    "wagtailsearch",  # the search index, rebuilt by update_index
    "wagtailimages.Rendition",  # made again from the original on first view
    "wagtailadmin.EditingSession",  # who has an editor open right now
    "wagtailcore.UploadedFile",  # half-finished multiple uploads
    "axes",  # login failures and lock-outs: the restored site starts afresh
    # The background queue: work in flight belongs to the site that queued it;
    # a restored copy must not mail readers again.
    "django_tasks_database",
]

# What readers told us about themselves: followers' addresses, reports of
# errors with their senders' names and addresses, and staff notes on them
# (naming who wrote each). `export_archive --without-personal-data` leaves
# them out, for a copy that goes to someone who should not have them.
PERSONAL_DATA = [
    "participation.Subscriber",
    "participation.Follow",
    "participation.CorrectionRequest",
    "participation.CorrectionRequestNote",
]


@dataclass(frozen=True)
class Upgrade:
    """Migrations that an archive made before them can still be imported across.

    `labels` renames models that moved app (old label: new label) in the
    archive's rows; `after_load` names a function, called as a migration's
    RunPython would be, that brings the loaded rows up to date.
    """

    migrations: frozenset
    labels: dict = dataclasses.field(default_factory=dict)
    after_load: str = ""


def _app_migrations(app_label):
    """Every migration of an installed app, as (app, name) pairs, read from disk."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(key for key in loader.disk_migrations if key[0] == app_label)


# An archive that lacks exactly the migrations of some upgrades is imported
# through them; any other difference is refused. A new migration that an
# archive can do without joins this list (docs/operations.md, "Archives").
UPGRADES = [
    Upgrade(
        frozenset(
            {
                ("home", "0001_initial"),
                ("trackers", "0001_initial"),
                ("sources", "0007_trackers_app"),
                ("stories", "0013_trackers_and_home_move_out"),
            }
        ),
        labels={
            "stories.homepage": "home.homepage",
            "stories.trackerindexpage": "trackers.trackerindexpage",
            "stories.trackerpage": "trackers.trackerpage",
            "stories.timelineevent": "trackers.timelineevent",
            "stories.trackerfigure": "trackers.trackerfigure",
        },
    ),
    Upgrade(
        frozenset({("stories", "0014_updates_have_no_schedule")}),
        after_load="stories.migrations.0014_updates_have_no_schedule.clear_schedules",
    ),
    Upgrade(
        frozenset({("stories", "0015_citations")}),
        after_load="stories.migrations.0015_citations.backfill",
    ),
    Upgrade(
        frozenset({("sources", "0008_requests_for_comment_are_published")}),
        after_load=(
            "sources.migrations.0008_requests_for_comment_are_published."
            "publish_existing"
        ),
    ),
    Upgrade(
        frozenset({("sources", "0009_sources_are_published")}),
        after_load="sources.migrations.0009_sources_are_published.publish_existing",
    ),
    # The record is filled from the audit log after every import (below).
    Upgrade(frozenset({("stories", "0016_record")})),
    # The search index is rebuilt by update_index after every import.
    Upgrade(frozenset({("newsroom", "0002_search_stemming_and_trigrams")})),
    # Login lock-outs (django-axes) are not archived: an archive made before
    # the app was installed imports into a database that has its tables.
    Upgrade(_app_migrations("axes")),
    # New fields whose defaults say what older rows showed: a figure and a data
    # point known to the day, a story without a lead image.
    Upgrade(frozenset({("trackers", "0002_figure_precision")})),
    Upgrade(frozenset({("stories", "0017_lead_image")})),
    Upgrade(frozenset({("stories", "0018_data_point_precision")})),
    # Reader participation and the background queue start empty.
    Upgrade(_app_migrations("participation")),
    Upgrade(_app_migrations("django_tasks_database")),
]

# Our apps whose rows are the newsroom's content.
CONTENT_APPS = ["home", "stories", "sources", "trackers"]


class ArchiveError(Exception):
    """An archive that cannot be written or restored; nothing was changed."""


@dataclass
class Summary:
    rows: int
    files: int
    missing_files: tuple = ()


@dataclass(frozen=True)
class Limits:
    """What import_archive accepts, from settings (docs/configuration.md)."""

    archive_bytes: int
    uncompressed_bytes: int
    file_bytes: int
    ratio: int
    entries: int

    @classmethod
    def from_settings(cls):
        return cls(
            archive_bytes=settings.ARCHIVE_MAX_BYTES,
            uncompressed_bytes=settings.ARCHIVE_MAX_UNCOMPRESSED_BYTES,
            file_bytes=settings.ARCHIVE_MAX_FILE_BYTES,
            ratio=settings.ARCHIVE_MAX_RATIO,
            entries=settings.ARCHIVE_MAX_ENTRIES,
        )


def write_archive(path, personal_data=True):
    """Write the whole site to the zip file at `path`, replacing it at the end.

    With `personal_data` false, the rows of PERSONAL_DATA are left out, and
    the manifest says so.

    The manifest counts the rows of every model and holds the SHA-256 of
    data.jsonl and of every upload, which import_archive checks. Files that
    rows name but storage has lost are left out and listed in the returned
    summary, so one lost upload does not stop the rest being archived.
    """
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with tempfile.TemporaryDirectory() as work, consistent_snapshot():
            data = Path(work) / DATA
            call_command(
                "dumpdata",
                *dump_order(),
                all=True,
                format="exact_jsonl",
                exclude=NOT_ARCHIVED + ([] if personal_data else PERSONAL_DATA),
                output=str(data),
                verbosity=0,
            )
            described = describe_rows(data)
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(data, DATA)
                files, missing = copy_files_into(archive)
                index = manifest(described, files, personal_data)
                archive.writestr(MANIFEST, json.dumps(index, indent=2))
        partial.replace(path)
    except OSError as error:
        raise ArchiveError(f"Could not write {path}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    rows = sum(described["rows"].values())
    return Summary(rows=rows, files=len(files), missing_files=tuple(missing))


def describe_rows(data):
    """The manifest's account of data.jsonl: its bytes, SHA-256 and rows by model."""
    digest = hashlib.sha256()
    with data.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    with data.open("rb") as source:
        rows = count_rows(source)
    return {
        "bytes": data.stat().st_size,
        "sha256": digest.hexdigest(),
        "rows": dict(sorted(rows.items())),
    }


def count_rows(lines):
    """Rows by model label in JSON Lines; blank lines are not rows (loaddata skips
    them). Raises ValueError for a line that is not a row."""
    rows = Counter()
    for line in lines:
        if line.strip():
            rows[json.loads(line)["model"]] += 1
    return rows


def restore_archive(path, stdout, stderr):
    """Load the archive at `path` into this empty database, or change nothing.

    Everything that can be checked without the database is checked before it
    or the media directory is touched: the limits, member names, the manifest,
    the checksums, the row counts and the uploads. Then it refuses a database
    that already holds content, an archive made at other migrations, and media
    files that would overwrite existing ones. Files are written inside the
    transaction and removed again if it fails.
    """
    limits = Limits.from_settings()
    refuse_large_file(path, limits)
    with open_archive(path) as archive, tempfile.TemporaryDirectory() as work:
        check_members(archive, path, limits)
        index = read_manifest(archive, path)
        check_listed_members(archive, index, path)
        upgrades = upgrades_for(index["migrations"])
        if index["version"] == 1:
            stderr.write(
                f"Warning: {path} is an archive of format 1, made before archives "
                "carried checksums and row counts, so rows or files missing from "
                "it cannot all be detected. Where the site that made it still "
                "runs, export it again for an archive that can be checked."
            )
        relabel = {old: new for up in upgrades for old, new in up.labels.items()}
        data = Path(work) / DATA
        rows = unpack_rows(archive, index, path, data, relabel)
        check_uploads(archive, index, path)
        files = [stored_file(entry) for entry in index["files"]]
        written = []
        try:
            with transaction.atomic():
                refuse_existing_content()
                refuse_existing_files(files)
                connection.ops.execute_sql_flush(sql_flush(no_style(), connection))
                # The cache still maps models to the ids of the rows just removed.
                ContentType.objects.clear_cache()
                for storage, name in files:
                    content = CheckedMember(archive, archive.getinfo(MEDIA + name))
                    with content:
                        written.append((storage, storage.save(name, content)))
                call_command("loaddata", str(data), verbosity=0)
                for upgrade in upgrades:
                    if upgrade.after_load:
                        editor = SimpleNamespace(connection=connection)
                        import_string(upgrade.after_load)(apps, editor)
                # Publishes the archive's record lacks (it predates the record)
                # join it now, dated by their audit log entries.
                record.backfill()
                call_command("update_index", stdout=stdout)
        except Exception as error:
            for storage, name in written:
                storage.delete(name)
            if isinstance(error, (DatabaseError, DeserializationError, ValueError)):
                raise ArchiveError(
                    f"{path} could not be imported, nothing was changed: {error}"
                ) from error
            raise
    Site.clear_site_root_paths_cache()
    bump_generation()
    return Summary(rows=rows, files=len(files))


def refused(path, reason):
    return ArchiveError(f"{path} is refused, nothing was changed: {reason}")


class CheckedMember:
    """One member of a zip file, read in chunks that are counted and hashed.

    Python's zipfile stops at the size the central directory declares and
    checks the CRC at the end; this counts for itself, so that a member whose
    headers lie about its size cannot yield more than they declare, nor more
    than ARCHIVE_MAX_FILE_BYTES, whatever the zip library does. Errors while
    reading (a bad CRC, a truncated stream) become ArchiveError.
    """

    def __init__(self, archive, info, limit=None):
        self.name = info.filename
        self.size = info.file_size
        self.limit = min(info.file_size, limit or settings.ARCHIVE_MAX_FILE_BYTES)
        self.source = archive.open(info)
        self.read_bytes = 0
        self.sha256 = hashlib.sha256()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.source.close()

    def read(self, size=-1):
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        try:
            chunk = self.source.read(min(size, CHUNK))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise ArchiveError(
                f"{self.name} in the archive is damaged, nothing was changed: {error}"
            ) from error
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise ArchiveError(
                f"{self.name} in the archive yields more than the "
                f"{self.limit:,} bytes its header declares or the limits allow "
                "(a forged header?), nothing was changed."
            )
        self.sha256.update(chunk)
        return chunk

    def chunks(self):
        yield from iter(lambda: self.read(CHUNK), b"")

    def digest(self):
        """Read to the end; the SHA-256 of all the member's bytes."""
        for _chunk in self.chunks():
            pass
        return self.sha256.hexdigest()


def refuse_large_file(path, limits):
    try:
        size = Path(path).stat().st_size
    except FileNotFoundError as error:
        raise ArchiveError(f"No such file: {path}") from error
    except OSError as error:
        raise ArchiveError(f"{path} cannot be read: {error}") from error
    if size > limits.archive_bytes:
        raise refused(
            path,
            f"it is {size:,} bytes, over the limit of {limits.archive_bytes:,} "
            "(ARCHIVE_MAX_BYTES).",
        )


def unsafe_name(name):
    """A member name that could land outside the directory it is unpacked into."""
    if not name or "\\" in name or "\0" in name or re.match(r"[A-Za-z]:", name):
        return True
    parts = name.removesuffix("/").split("/")
    return any(part in {"", ".", ".."} for part in parts)


def check_members(archive, path, limits):
    """Refuse, from the central directory alone, an archive that is too big, too
    many files, a zip bomb, or holds names that escape or links."""
    members = archive.infolist()
    if len(members) > limits.entries:
        raise refused(
            path,
            f"it holds {len(members):,} entries, over the limit of "
            f"{limits.entries:,} (ARCHIVE_MAX_ENTRIES).",
        )
    seen = set()
    for info in members:
        name = info.filename
        if unsafe_name(name):
            raise refused(
                path,
                f"it holds an entry named {name!r}, which is absolute or "
                "climbs out of its directory.",
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise refused(path, f"its entry {name} is a symbolic link.")
        if name in seen:
            raise refused(path, f"it holds {name} twice.")
        seen.add(name)
        if info.file_size > limits.file_bytes:
            raise refused(
                path,
                f"{name} would expand to {info.file_size:,} bytes, over the "
                f"limit of {limits.file_bytes:,} (ARCHIVE_MAX_FILE_BYTES).",
            )
        refuse_high_ratio(path, name, info.file_size, info.compress_size, limits)
    expanded = sum(info.file_size for info in members)
    compressed = sum(info.compress_size for info in members)
    if expanded > limits.uncompressed_bytes:
        raise refused(
            path,
            f"it would expand to {expanded:,} bytes, over the limit of "
            f"{limits.uncompressed_bytes:,} (ARCHIVE_MAX_UNCOMPRESSED_BYTES).",
        )
    size = Path(path).stat().st_size
    if compressed > size:
        raise refused(
            path,
            f"its headers declare {compressed:,} compressed bytes in a file of "
            f"{size:,}: it is damaged or forged.",
        )
    refuse_high_ratio(path, "the whole archive", expanded, size, limits)


def refuse_high_ratio(path, what, expanded, compressed, limits):
    if expanded < RATIO_FLOOR or expanded <= limits.ratio * compressed:
        return
    raise refused(
        path,
        f"{what} would expand {expanded / max(compressed, 1):,.0f} times, over "
        f"the limit of {limits.ratio} (ARCHIVE_MAX_RATIO): a zip bomb?",
    )


def check_listed_members(archive, index, path):
    """Every upload the manifest lists is in the zip, and nothing else is."""
    listed = {MEDIA + entry["name"] for entry in index["files"]}
    held = {info.filename for info in archive.infolist() if not info.is_dir()}
    missing = sorted(listed - held)
    if missing:
        raise refused(
            path,
            f"it lacks {len(missing)} media file(s) its manifest lists, e.g. "
            f"{missing[0]}.",
        )
    unlisted = sorted(held - listed - {MANIFEST, DATA})
    if unlisted:
        raise refused(
            path,
            f"it holds {len(unlisted)} file(s) its manifest does not list, e.g. "
            f"{unlisted[0]}.",
        )


def unpack_rows(archive, index, path, target, relabel):
    """Copy data.jsonl to `target`, checked against the manifest; its row count.

    The rows are renamed for moved models on the way (UPGRADES).
    """
    raw = target.with_name(f"{DATA}.archived")
    with CheckedMember(archive, archive.getinfo(DATA)) as source:
        with raw.open("wb") as copy:
            for chunk in source.chunks():
                copy.write(chunk)
        digest = source.sha256.hexdigest()
    try:
        with raw.open("rb") as source:
            rows = count_rows(bounded_lines(source, path))
    except (ValueError, KeyError, TypeError) as error:
        raise refused(
            path, f"{DATA} holds a line that is not a row: {error}"
        ) from error
    if not rows:
        raise refused(path, f"its {DATA} holds no rows: an empty or cut-short export.")
    described = index.get("data")
    if described and digest != described["sha256"]:
        raise refused(
            path,
            f"its {DATA} does not match the SHA-256 in its manifest: the archive "
            "is damaged or was changed after export.",
        )
    if described:
        refuse_other_counts(path, rows, described["rows"])
    lacking = [label for label in ESSENTIAL_MODELS if not rows[label]]
    if lacking:
        raise refused(
            path,
            f"its {DATA} holds no {', '.join(lacking)} rows, which every site "
            "has: the export is incomplete.",
        )
    with raw.open("rb") as source, target.open("wb") as copy:
        copy_rows(source, copy, relabel)
    raw.unlink()
    return sum(rows.values())


def bounded_lines(source, path):
    """The lines of a file, refusing one longer than ROW_MAX_BYTES before it is
    all in memory."""
    while line := source.readline(ROW_MAX_BYTES + 1):
        if len(line) > ROW_MAX_BYTES:
            raise refused(
                path, f"its {DATA} holds a row longer than {ROW_MAX_BYTES:,} bytes."
            )
        yield line


def refuse_other_counts(path, rows, listed):
    differ = sorted(
        label
        for label in set(rows) | set(listed)
        if rows[label] != listed.get(label, 0)
    )
    if not differ:
        return
    label = differ[0]
    others = f" (and {len(differ) - 1} more models)" if len(differ) > 1 else ""
    raise refused(
        path,
        f"its {DATA} holds {rows[label]} {label} rows where its manifest lists "
        f"{listed.get(label, 0)}{others}: the archive is incomplete.",
    )


def check_uploads(archive, index, path):
    """Read every upload once: each is intact and, where the manifest gives them,
    of the size and SHA-256 it lists."""
    for entry in index["files"]:
        name = MEDIA + entry["name"]
        with CheckedMember(archive, archive.getinfo(name)) as member:
            digest = member.digest()
            size = member.read_bytes
        if "sha256" in entry and (digest, size) != (entry["sha256"], entry["bytes"]):
            raise refused(
                path,
                f"{name} does not match the size and SHA-256 in its manifest: the "
                "archive is damaged or was changed after export.",
            )


def dump_order():
    """App labels for dumpdata, content types first.

    Building a page from its row makes Wagtail look up its content type, and
    create it if it is not there yet; it must already be, with its archived id.
    """
    others = [
        app.label for app in apps.get_app_configs() if app.label != "contenttypes"
    ]
    return ["contenttypes", *others]


@contextmanager
def consistent_snapshot():
    """One transaction for every read, so that a live site's writes meanwhile
    cannot leave the archive with rows whose neighbours are missing.

    PostgreSQL needs REPEATABLE READ for that (one snapshot for the whole
    transaction). SQLite opens it with BEGIN IMMEDIATE (our transaction_mode),
    which gives a snapshot by holding the write lock: saves wait meanwhile.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        yield


def file_fields():
    """(model, field) for every file field of an archived model."""
    for model in apps.get_models():
        if {model._meta.label, model._meta.app_label} & set(NOT_ARCHIVED):
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def copy_files_into(archive):
    """Copy every stored file a row names into `archive`; return (copied, missing).

    Each copied entry carries the file's size and SHA-256.
    """
    copied, missing = [], []
    for model, field in file_fields():
        names = (
            model._base_manager.exclude(**{field.name: ""})
            .exclude(**{f"{field.name}__isnull": True})
            .values_list(field.name, flat=True)
            .order_by(field.name)
        )
        for name in names.iterator():
            entry = {"model": model._meta.label, "field": field.name, "name": name}
            try:
                with field.storage.open(name) as source:
                    with archive.open(MEDIA + name, "w") as target:
                        entry |= copy_counted(source, target)
            except FileNotFoundError:
                missing.append(entry)
                continue
            copied.append(entry)
    return copied, missing


def copy_counted(source, target):
    """Copy one file; its size and SHA-256, as the manifest lists them."""
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    return {"bytes": size, "sha256": digest.hexdigest()}


def applied_migrations():
    return sorted(
        [app, name] for app, name in MigrationRecorder(connection).applied_migrations()
    )


def manifest(data, files, personal_data=True):
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "migrations": applied_migrations(),
        "personal_data": personal_data,
        "data": data,
        "files": files,
    }


def open_archive(path):
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise ArchiveError(f"No such file: {path}") from error
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(
            f"{path} is not a newsroom archive (not a readable zip file: {error})"
        ) from error


def read_manifest(archive, path):
    """The archive's manifest, refused unless it is one export_archive writes.

    A version 2 manifest must give data.jsonl's SHA-256 and rows by model, and
    the size and SHA-256 of every file; version 1 had none of them.
    """
    try:
        info = archive.getinfo(MANIFEST)
        with CheckedMember(archive, info, limit=MANIFEST_MAX_BYTES) as member:
            index = json.loads(member.read())
        archive.getinfo(DATA)
        for entry in index["files"]:
            # A name like "../settings.py" must not reach the storage.
            validate_file_name(entry["name"], allow_relative_path=True)
            stored_file(entry)
        valid = index["format"] == FORMAT
        version = index["version"]
    except (
        KeyError,
        LookupError,
        TypeError,
        ValueError,
        FieldDoesNotExist,
        SuspiciousFileOperation,
    ):
        valid = False
    if not valid:
        raise ArchiveError(
            f"{path} is not a newsroom archive (a zip file with {MANIFEST}, "
            f"{DATA} and the files it lists, as export_archive writes)."
        )
    if version not in READABLE_VERSIONS:
        raise ArchiveError(
            f"{path} is archive format version {version}; this code reads "
            f"versions {', '.join(map(str, sorted(READABLE_VERSIONS)))}."
        )
    if version >= 2 and not is_checkable(index):
        raise refused(
            path,
            f"its {MANIFEST} (format {version}) lacks the checksums or row counts "
            "that format requires.",
        )
    return index


def is_checkable(index):
    """Whether a manifest gives every checksum, size and row count import needs."""
    data = index.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("rows"), dict):
        return False
    counts = data["rows"].values()
    return (
        is_sha256(data.get("sha256"))
        and all(isinstance(n, int) and n >= 0 for n in counts)
        and all(
            is_sha256(entry.get("sha256")) and isinstance(entry.get("bytes"), int)
            for entry in index["files"]
        )
    )


def is_sha256(value):
    return isinstance(value, str) and SHA256.fullmatch(value) is not None


def upgrades_for(archived):
    """The upgrades an archive made at the migrations `archived` goes through.

    Rows load only into the schema they were dumped from, or into one that
    differs from it by whole upgrades (UPGRADES); anything else is refused.
    """
    archived = {tuple(migration) for migration in archived}
    here = {tuple(migration) for migration in applied_migrations()}
    upgrades = [up for up in UPGRADES if up.migrations <= here - archived]
    covered = archived.union(*(up.migrations for up in upgrades))
    if covered == here:
        return upgrades
    if not here:
        raise ArchiveError(
            "This database has no tables yet: run `manage.py migrate` first."
        )
    raise ArchiveError(
        "The archive was made by another version of the code: "
        f"{len(archived - here)} of its migrations are not applied here and "
        f"{len(here - archived)} applied here are not in it. Import it with "
        "the version that made it (then migrate), or migrate this database "
        "to the same migrations."
    )


def copy_rows(source, target, relabel):
    """Copy data.jsonl, naming moved models (and their content types) anew."""
    if not relabel:
        shutil.copyfileobj(source, target)
        return
    for line in source:
        row = json.loads(line)
        row["model"] = relabel.get(row["model"], row["model"])
        if row["model"] == "contenttypes.contenttype":
            fields = row["fields"]
            old = f"{fields['app_label']}.{fields['model']}"
            fields["app_label"] = relabel.get(old, old).split(".")[0]
        target.write(json.dumps(row, ensure_ascii=False).encode() + b"\n")


def stored_file(entry):
    field = apps.get_model(entry["model"])._meta.get_field(entry["field"])
    return field.storage, entry["name"]


def refuse_existing_files(files):
    taken = [name for storage, name in files if storage.exists(name)]
    if taken:
        raise ArchiveError(
            f"{len(taken)} media file(s) of the archive exist already, e.g. "
            f"{taken[0]}: import into an empty media directory."
        )


def refuse_existing_content():
    """Refuse a database holding anything `migrate` does not make by itself."""
    checked = [
        *(
            model
            for label in CONTENT_APPS
            for model in apps.get_app_config(label).get_models()
        ),
        get_user_model(),
        get_image_model(),
        get_document_model(),
    ]
    held = [
        str(model._meta.verbose_name_plural)
        for model in checked
        if model._base_manager.exists()
    ]
    if held:
        raise ArchiveError(
            f"This database already holds {', '.join(held)}. An archive is "
            "imported only into an empty database: create one, run "
            "`manage.py migrate`, then import."
        )
