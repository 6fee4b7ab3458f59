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
nothing at all.
"""

import dataclasses
import datetime
import json
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, SuspiciousFileOperation
from django.core.files.utils import validate_file_name
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.module_loading import import_string
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

from core.page_cache import bump_generation
from stories.models import record

FORMAT = "newsroom-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA = "media/"

# Apps and models whose rows are derived or short-lived: rebuilt by the import,
# or made again when needed.
NOT_ARCHIVED = [
    "sessions.Session",  # staff sign in again on the restored site
    "wagtailsearch",  # the search index, rebuilt by update_index
    "wagtailimages.Rendition",  # made again from the original on first view
    "wagtailadmin.EditingSession",  # who has an editor open right now
    "wagtailcore.UploadedFile",  # half-finished multiple uploads
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


def write_archive(path):
    """Write the whole site to the zip file at `path`, replacing it at the end.

    Files that rows name but storage has lost are left out and listed in the
    returned summary, so one lost upload does not stop the rest being archived.
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
                exclude=NOT_ARCHIVED,
                output=str(data),
                verbosity=0,
            )
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(data, DATA)
                files, missing = copy_files_into(archive)
                archive.writestr(MANIFEST, json.dumps(manifest(files), indent=2))
                rows = sum(1 for _line in data.open(encoding="utf-8"))
        partial.replace(path)
    except OSError as error:
        raise ArchiveError(f"Could not write {path}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return Summary(rows=rows, files=len(files), missing_files=tuple(missing))


def restore_archive(path, stdout):
    """Load the archive at `path` into this empty database, or change nothing.

    Refuses a database that already holds content, an archive made at other
    migrations, and media files that would overwrite existing ones. Files are
    written inside the transaction and removed again if it fails.
    """
    with open_archive(path) as archive, tempfile.TemporaryDirectory() as work:
        index = read_manifest(archive, path)
        upgrades = upgrades_for(index["migrations"])
        relabel = {old: new for up in upgrades for old, new in up.labels.items()}
        files = [stored_file(entry) for entry in index["files"]]
        data = Path(work) / DATA
        with archive.open(DATA) as source, data.open("wb") as target:
            copy_rows(source, target, relabel)
        written = []
        try:
            with transaction.atomic():
                refuse_existing_content()
                refuse_existing_files(files)
                connection.ops.execute_sql_flush(sql_flush(no_style(), connection))
                # The cache still maps models to the ids of the rows just removed.
                ContentType.objects.clear_cache()
                for storage, name in files:
                    with archive.open(MEDIA + name) as content:
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
        rows = sum(1 for _line in data.open(encoding="utf-8"))
    Site.clear_site_root_paths_cache()
    bump_generation()
    return Summary(rows=rows, files=len(files))


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
    """Copy every stored file a row names into `archive`; return (copied, missing)."""
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
                        shutil.copyfileobj(source, target)
            except FileNotFoundError:
                missing.append(entry)
                continue
            copied.append(entry)
    return copied, missing


def applied_migrations():
    return sorted(
        [app, name] for app, name in MigrationRecorder(connection).applied_migrations()
    )


def manifest(files):
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "migrations": applied_migrations(),
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
    try:
        index = json.loads(archive.read(MANIFEST))
        archive.getinfo(DATA)
        for entry in index["files"]:
            # A name like "../settings.py" must not reach the storage.
            validate_file_name(entry["name"], allow_relative_path=True)
            stored_file(entry)
            archive.getinfo(MEDIA + entry["name"])
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
    if version != FORMAT_VERSION:
        raise ArchiveError(
            f"{path} is archive format version {version}; this code reads "
            f"version {FORMAT_VERSION}."
        )
    return index


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
