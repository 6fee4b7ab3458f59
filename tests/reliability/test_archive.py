"""export_archive and import_archive: a whole site survives the round trip.

Real parts only: every site has a database of its own made by `migrate` (an
SQLite file, or a throwaway database on the PostgreSQL server of DATABASE_URL
when the suite runs there), is built, exported and imported by `manage.py` in
subprocesses, and is served by a real gunicorn. `migrate` runs once; each
site's database starts as a copy of that freshly migrated one. Rows are
counted straight from each database, table by table.
"""

import contextlib
import gzip
import hashlib
import html
import json
import os
import re
import sqlite3
import stat
import struct
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from newsroom.archive import ArchiveError, CheckedMember
from tests.reliability.archive_site import PERSONAL
from tests.servers import ROOT, get, gunicorn

# Every test runs manage.py in subprocesses, against databases of its own.
pytestmark = pytest.mark.slow

SETTINGS = "tests.performance.server_settings"
BUILD = "from tests.reliability.archive_site import build; build()"
# Both servers are asked under one host name, so that addresses a page builds
# from the request (feeds, the API, JSON-LD) do not differ by port.
HOST = {"Host": "localhost"}
EXTRA_ADDRESSES = [
    "/",
    "/stories/",
    "/trackers/",
    "/sources/",
    "/corrections/",
    "/search/?q=county",
    "/search/?q=mayor&type=stories",
    "/feeds/stories/",
    "/feeds/stories/atom/",
    "/feeds/updates/",
    "/feeds/updates/atom/",
    "/api/stories/",
    "/api/sources/",
    "/api/statements/",
    "/api/requests-for-comment/",
    "/api/trackers/",
]
# Tables whose rows are made on demand (renditions) or whose layout depends on
# the order rows were written in (SQLite's full-text index internals).
# Derived or in flight, and not archived (newsroom.archive.NOT_ARCHIVED).
UNCOUNTED = (
    "wagtailimages_rendition",
    "wagtailsearch_",
    "sqlite_",
    "django_tasks_database_",
)
VERSIONS = (
    "SELECT content_type_id, object_id, count(*) FROM wagtailcore_revision "
    "GROUP BY content_type_id, object_id"
)
# Addresses a page links to that the sitemap does not list.
LINKED = re.compile(
    r'(?:href|src)="(/(?:[^"]*/history/[^"]*|authors/[^"]*|tags/[^"]*'
    r'|documents/[^"]*|media/[^"]*|trackers/[^"]*/timeline\.json))"'
)


class SqliteDatabases:
    """Database files in one directory, copied with SQLite's backup API."""

    TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"

    def __init__(self, directory):
        self.directory = directory

    def url(self, name):
        return f"sqlite:///{self.directory / name}.sqlite3"

    def create(self, name):
        return self.url(name)

    def connect(self, name):
        return contextlib.closing(sqlite3.connect(self.directory / f"{name}.sqlite3"))

    def copy(self, template, name):
        with self.connect(template) as source, self.connect(name) as target:
            source.backup(target)
        return self.url(name)

    def drop_all(self):
        """The files go with pytest's temporary directory."""


class PostgresDatabases:
    """Throwaway databases on the suite's PostgreSQL server, dropped at the end."""

    TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"

    def __init__(self):
        database = settings.DATABASES["default"]
        self.server = {
            "host": database["HOST"] or "127.0.0.1",
            "port": database["PORT"] or 5432,
            "user": database["USER"],
            "password": database["PASSWORD"],
        }
        self.prefix = f"archive_{uuid.uuid4().hex[:8]}"
        self.names = []

    def url(self, name):
        server = self.server
        user = server["user"]
        if server["password"]:
            user = f"{user}:{server['password']}"
        host = f"{server['host']}:{server['port']}"
        return f"postgres://{user}@{host}/{self.prefix}_{name}"

    def connect(self, name=None):
        database = f"{self.prefix}_{name}" if name else "postgres"
        return psycopg.connect(dbname=database, autocommit=True, **self.server)

    def execute(self, statement, *names):
        with self.connect() as server:
            server.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))

    def create(self, name):
        self.names.append(name)
        self.execute("CREATE DATABASE {}", f"{self.prefix}_{name}")
        return self.url(name)

    def copy(self, template, name):
        self.names.append(name)
        self.execute(
            "CREATE DATABASE {} TEMPLATE {}",
            f"{self.prefix}_{name}",
            f"{self.prefix}_{template}",
        )
        return self.url(name)

    def drop_all(self):
        for name in self.names:
            self.execute(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)", f"{self.prefix}_{name}"
            )


@dataclass
class Site:
    """One site: its database, and a directory for its cache and uploads."""

    directory: Path
    databases: SqliteDatabases | PostgresDatabases
    name: str

    @property
    def env(self):
        return {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": self.databases.url(self.name),
            "CACHE_URL": f"file://{self.directory / 'cache'}",
        }

    def manage(self, *args, env=None):
        """Start `manage.py`; `finish()` waits for it. `env` adds variables."""
        self.directory.mkdir(exist_ok=True)
        return subprocess.Popen(
            [sys.executable, "manage.py", *map(str, args)],
            cwd=ROOT,
            env={
                **os.environ,
                "SECRET_KEY": "x" * 60,
                "DATA_DIR": str(self.directory),
                "LOG_LEVEL": "WARNING",
                **self.env,
                **(env or {}),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args):
        result = finish(self.manage(*args))
        assert result.returncode == 0, result.stderr
        return result

    def counts(self):
        """Rows in every table, and revisions of every object."""
        with self.databases.connect(self.name) as db:
            tables = [row[0] for row in db.execute(self.databases.TABLES).fetchall()]
            rows = {
                # Table names come from the database's own catalogue.
                table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables
                if not table.startswith(UNCOUNTED)
            }
            versions = {
                (content_type, object_id): count
                for content_type, object_id, count in db.execute(VERSIONS).fetchall()
            }
        return rows, versions

    def uploads(self):
        """Uploaded files and their bytes; renditions (images/) are made on demand."""
        media = self.directory / "media"
        return {
            str(path.relative_to(media)): path.read_bytes()
            for path in media.rglob("*")
            if path.is_file() and path.parent != media / "images"
        }


def finish(process):
    stdout, stderr = process.communicate(timeout=180)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@dataclass
class Archived:
    original: Site
    restored: Site
    archive: Path
    fresh_counts: tuple
    original_counts: tuple


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        databases = PostgresDatabases()
    else:
        databases = SqliteDatabases(tmp_path_factory.mktemp("databases"))
    try:
        databases.create("fresh")
        Site(tmp_path_factory.mktemp("fresh"), databases, "fresh").run(
            "migrate", "--no-input"
        )
        yield databases
    finally:
        databases.drop_all()


@pytest.fixture(scope="module")
def archived(databases, tmp_path_factory):
    root = tmp_path_factory.mktemp("archive")
    databases.copy("fresh", "original")
    original = Site(root / "original", databases, "original")
    original.run("shell", "-c", BUILD)
    archive = root / "site.zip"
    original.run("export_archive", archive)
    databases.copy("fresh", "restored")
    restored = Site(root / "restored", databases, "restored")
    fresh_counts = restored.counts()
    restored.run("import_archive", archive)
    return Archived(original, restored, archive, fresh_counts, original.counts())


def fetch(server, address):
    reply = get(server.url + address, headers=HOST)
    # The CSP nonce is drawn afresh for every response, by design; it is the
    # one part of a page that may differ between two renders of the same data.
    body = re.sub(rb'nonce="[^"]*"', b'nonce=""', reply.body)
    return reply.status, body.decode(errors="replace")


def crawl(server):
    """The sitemap, every address it lists, EXTRA_ADDRESSES, and what they link
    to that LINKED matches, in the order they were first found."""
    sitemap = fetch(server, "/sitemap.xml")
    pages = {"/sitemap.xml": sitemap}
    listed = re.findall(r"<loc>(.*?)</loc>", sitemap[1])
    addresses = [urlsplit(loc).path for loc in listed] + EXTRA_ADDRESSES
    while addresses:
        address = addresses.pop(0)
        if address not in pages:
            pages[address] = fetch(server, address)
            addresses += map(html.unescape, LINKED.findall(pages[address][1]))
    return pages


@pytest.mark.servers
def test_every_public_address_reads_the_same_after_the_round_trip(archived):
    original, restored = archived.original, archived.restored
    with (
        gunicorn(original.directory, **original.env) as before,
        gunicorn(restored.directory, **restored.env) as after,
        ThreadPoolExecutor(2) as pool,
    ):
        # Both crawls fetch in the same order, so the same page makes an
        # image's rendition on each site.
        pages, restored_pages = pool.map(crawl, [before, after])

    assert list(restored_pages) == list(pages)
    for address, page in pages.items():
        assert restored_pages[address] == page, address
    compared = " ".join(pages)
    assert pages["/sitemap.xml"][1].count("<loc>") >= 15
    assert re.search(r"/history/\d+/\d+/", compared), "no diff was compared"
    assert "/media/images/chamber." in compared, "no image was compared"
    assert "/documents/" in compared, "no document was compared"
    assert all(status in {200, 410} for status, _body in pages.values())


def test_every_version_log_entry_and_upload_is_kept(archived):
    rows, versions = archived.original_counts

    assert archived.restored.counts() == archived.original_counts
    for table in [
        "wagtailcore_revision",
        "wagtailcore_pagelogentry",
        "wagtailcore_modellogentry",
        "wagtailcore_workflowstate",
        "wagtailcore_referenceindex",
        "stories_update",
        "sources_statement",
        "sources_requestforcomment",
        "wagtailimages_image",
        "wagtaildocs_document",
    ]:
        assert rows[table] > 0, table
    assert max(versions.values()) >= 3
    assert archived.restored.uploads() == archived.original.uploads() != {}


def assert_refused(result, message):
    assert result.returncode == 1
    assert "CommandError: " in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_with_content_is_refused_and_left_alone(archived):
    result = finish(archived.original.manage("import_archive", archived.archive))

    assert_refused(result, "This database already holds")
    assert archived.original.counts() == archived.original_counts


def repack(source, path, *, data=None, manifest=None, drop=(), add=()):
    """A copy of the archive `source` at `path`, changed on the way.

    `data` maps data.jsonl's bytes to new ones; `manifest(index, data)` edits
    the manifest, given the new data.jsonl; members named in `drop` are left
    out; `add` holds (name or ZipInfo, bytes) pairs to put in.
    """
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        content = old.read("data.jsonl")
        content = data(content) if data else content
        index = json.loads(old.read("manifest.json"))
        if manifest:
            manifest(index, content)
        for item in old.infolist():
            if item.filename in {"data.jsonl", "manifest.json", *drop}:
                continue
            new.writestr(item, old.read(item))
        new.writestr("data.jsonl", content, zipfile.ZIP_DEFLATED)
        new.writestr("manifest.json", json.dumps(index), zipfile.ZIP_DEFLATED)
        for member, extra in add:
            new.writestr(member, extra, zipfile.ZIP_DEFLATED)
    return path


def rehash(index, data):
    """The manifest of a consistent archive holding `data`, as a bug could write."""
    index["data"]["sha256"] = hashlib.sha256(data).hexdigest()
    index["data"]["bytes"] = len(data)


def rows_changed(change):
    """data.jsonl's bytes with `change(rows)` applied to its rows."""

    def changed(content):
        rows = [json.loads(line) for line in content.splitlines()]
        rows = change(rows)
        return "".join(json.dumps(row) + "\n" for row in rows).encode()

    return changed


def broken_copy(archive, path):
    """The archive with one update pointing at a story that does not exist,
    its manifest rewritten to match.

    It fails only when loaded, after the uploads have been written.
    """

    def break_update(rows):
        update = next(row for row in rows if row["model"] == "stories.update")
        update["fields"]["story"] = 999_999
        return rows

    return repack(archive, path, data=rows_changed(break_update), manifest=rehash)


def escaping_copy(archive, path):
    """The archive with an upload whose name climbs out of the media directory."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(path, "w") as target:
        index = json.loads(source.read("manifest.json"))
        entry = index["files"][0]
        content = source.read("media/" + entry["name"])
        entry["name"] = "../../escaped.txt"
        target.writestr("media/../../escaped.txt", content)
        target.writestr("manifest.json", json.dumps(index))
        target.writestr("data.jsonl", source.read("data.jsonl"))
    return path


def test_bad_input_is_refused_and_changes_nothing(archived, databases, tmp_path):
    databases.copy("fresh", "empty")
    not_a_zip = tmp_path / "notes.txt"
    not_a_zip.write_text("not an archive")
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as other:
        other.writestr("readme.txt", "some other zip")
    cases = {
        tmp_path / "missing.zip": "No such file",
        not_a_zip: "is not a newsroom archive (not a readable zip file",
        other_zip: "is not a newsroom archive (a zip file with manifest.json",
        broken_copy(archived.archive, tmp_path / "broken.zip"): (
            "could not be imported, nothing was changed"
        ),
        escaping_copy(archived.archive, tmp_path / "escaping.zip"): (
            "which is absolute or climbs out of its directory"
        ),
    }
    # Started together, since most of each run is Django starting up.
    empty = Site(tmp_path / "empty", databases, "empty")
    imports = {path: empty.manage("import_archive", path) for path in cases}

    for path, message in cases.items():
        assert_refused(finish(imports[path]), message)
    assert empty.counts() == archived.fresh_counts
    assert empty.uploads() == {}


MiB = 1024 * 1024


def zeros(size):
    """A member that compresses about a thousand times: a zip bomb in small."""
    return bytes(size)


def members(archive):
    with zipfile.ZipFile(archive) as source:
        return source.infolist()


def forge_size(path, name, size):
    """Make both headers of member `name` in the zip at `path` declare `size`
    bytes, whatever it really holds."""
    raw = bytearray(path.read_bytes())
    info = next(info for info in members(path) if info.filename == name)
    struct.pack_into("<I", raw, info.header_offset + 22, size)
    encoded = name.encode()
    entry = raw.find(b"PK\x01\x02")
    while raw[entry + 46 : entry + 46 + len(encoded)] != encoded:
        entry = raw.find(b"PK\x01\x02", entry + 1)
    struct.pack_into("<I", raw, entry + 24, size)
    path.write_bytes(raw)


def too_large(source, path):
    path.write_bytes(source.read_bytes())
    return {"ARCHIVE_MAX_BYTES": str(path.stat().st_size - 1)}


def expands_too_far(source, path):
    repack(source, path, add=[("media/padding.bin", zeros(8 * MiB))])
    return {}


def expands_past_the_total(source, path):
    total = sum(info.file_size for info in members(source))
    repack(source, path, add=[("media/padding.bin", zeros(2 * MiB))])
    return {
        "ARCHIVE_MAX_UNCOMPRESSED_BYTES": str(total + MiB),
        "ARCHIVE_MAX_RATIO": "10000",
    }


def too_many_entries(source, path):
    path.write_bytes(source.read_bytes())
    return {"ARCHIVE_MAX_ENTRIES": str(len(members(source)) - 1)}


def one_file_too_large(source, path):
    path.write_bytes(source.read_bytes())
    data = next(info for info in members(source) if info.filename == "data.jsonl")
    return {"ARCHIVE_MAX_FILE_BYTES": str(data.file_size - 1)}


def forged_size(source, path):
    """data.jsonl's headers claim 1,000 bytes; it holds far more."""
    path.write_bytes(source.read_bytes())
    forge_size(path, "data.jsonl", 1000)
    return {}


def empty_data(source, path):
    repack(source, path, data=lambda _content: b"")
    return {}


def row_removed(source, path):
    """One update less, and a manifest whose checksum matches: only the counts
    show that a row is missing."""

    def drop_an_update(rows):
        update = next(row for row in rows if row["model"] == "stories.update")
        return [row for row in rows if row is not update]

    repack(source, path, data=rows_changed(drop_an_update), manifest=rehash)
    return {}


def bad_checksum(source, path):
    """A page retitled after export; the manifest left as it was."""

    def retitle(rows):
        page = next(row for row in rows if row["model"] == "wagtailcore.page")
        page["fields"]["title"] += " (changed)"
        return rows

    repack(source, path, data=rows_changed(retitle))
    return {}


def first_upload(source):
    with zipfile.ZipFile(source) as archive:
        return "media/" + json.loads(archive.read("manifest.json"))["files"][0]["name"]


def missing_upload(source, path):
    repack(source, path, drop=[first_upload(source)])
    return {}


def changed_upload(source, path):
    name = first_upload(source)
    repack(source, path, drop=[name], add=[(name, b"not the original")])
    return {}


def unlisted_upload(source, path):
    repack(source, path, add=[("media/documents/extra.pdf", b"%PDF-1.4")])
    return {}


def manifest_without_checksums(source, path):
    repack(source, path, manifest=lambda index, _data: index.pop("data"))
    return {}


def climbing_name(source, path):
    repack(source, path, add=[("media/../../escaped.txt", b"escaped")])
    return {}


def absolute_name(source, path):
    repack(source, path, add=[(str(path.parent / "escaped.txt"), b"escaped")])
    return {}


def symbolic_link(source, path):
    link = zipfile.ZipInfo("media/documents/link.pdf")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    repack(source, path, add=[(link, b"/etc/passwd")])
    return {}


def old_empty_data(_source, path):
    repack(BEFORE_THE_MOVE / "demo-archive.zip", path, data=lambda _content: b"")
    return {}


def old_cut_short(_source, path):
    """A format 1 archive (no counts) whose data.jsonl stops after the content
    types, as an interrupted copy might."""

    def content_types_only(rows):
        return [row for row in rows if row["model"] == "contenttypes.contenttype"]

    repack(
        BEFORE_THE_MOVE / "demo-archive.zip",
        path,
        data=rows_changed(content_types_only),
    )
    return {}


@dataclass
class Refusal:
    make: Callable  # (good archive, path) -> environment variables for the import
    message: str


REFUSALS = {
    "archive_too_large": Refusal(too_large, "(ARCHIVE_MAX_BYTES)"),
    "zip_bomb": Refusal(expands_too_far, "(ARCHIVE_MAX_RATIO): a zip bomb?"),
    "uncompressed_too_large": Refusal(
        expands_past_the_total, "(ARCHIVE_MAX_UNCOMPRESSED_BYTES)"
    ),
    "too_many_entries": Refusal(too_many_entries, "(ARCHIVE_MAX_ENTRIES)"),
    "one_file_too_large": Refusal(one_file_too_large, "data.jsonl would expand to"),
    "forged_size": Refusal(forged_size, "data.jsonl in the archive is damaged"),
    "empty_data": Refusal(empty_data, "its data.jsonl holds no rows"),
    "row_removed": Refusal(row_removed, "stories.update rows where its manifest"),
    "bad_checksum": Refusal(bad_checksum, "does not match the SHA-256"),
    "missing_upload": Refusal(missing_upload, "it lacks 1 media file(s)"),
    "changed_upload": Refusal(changed_upload, "does not match the size and SHA-256"),
    "unlisted_upload": Refusal(unlisted_upload, "its manifest does not list"),
    "manifest_without_checksums": Refusal(
        manifest_without_checksums, "lacks the checksums or row counts"
    ),
    "climbing_name": Refusal(climbing_name, "climbs out of its directory"),
    "absolute_name": Refusal(absolute_name, "is absolute or climbs out"),
    "symbolic_link": Refusal(symbolic_link, "is a symbolic link"),
    "old_format_empty_data": Refusal(old_empty_data, "its data.jsonl holds no rows"),
    "old_format_cut_short": Refusal(old_cut_short, "which every site has"),
}


@dataclass
class Refused:
    site: Site
    result: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def refused(archived, databases, tmp_path_factory):
    """Each bad archive imported into a fresh site of its own that already holds
    one upload; the imports run side by side, since most of each is Django
    starting up."""

    def attempt(case):
        root = tmp_path_factory.mktemp(case)
        path = root / f"{case}.zip"
        env = REFUSALS[case].make(archived.archive, path)
        databases.copy("fresh", f"refused_{case}")
        site = Site(root / "site", databases, f"refused_{case}")
        kept = site.directory / "media" / "documents" / "kept.txt"
        kept.parent.mkdir(parents=True)
        kept.write_text("an upload of the site")
        return Refused(site, finish(site.manage("import_archive", path, env=env)))

    with ThreadPoolExecutor(4) as pool:
        return dict(zip(REFUSALS, pool.map(attempt, REFUSALS), strict=True))


@pytest.mark.parametrize("case", REFUSALS)
def test_an_archive_that_fails_a_check_is_refused_before_anything_changes(
    case, refused, archived
):
    site, result = refused[case].site, refused[case].result

    assert_refused(result, REFUSALS[case].message)
    # One line says why (after the warning an archive of format 1 gets).
    assert result.stderr.strip().splitlines()[-1].startswith("CommandError: ")
    assert site.counts() == archived.fresh_counts
    assert site.uploads() == {"documents/kept.txt": b"an upload of the site"}
    assert not list(site.directory.parent.rglob("escaped.txt"))


def test_reading_stops_at_the_limit_whatever_the_header_declares(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.jsonl", zeros(4 * MiB))

    with zipfile.ZipFile(path) as archive:
        member = CheckedMember(archive, archive.getinfo("data.jsonl"), limit=MiB)
        with member, pytest.raises(ArchiveError, match="yields more than"):
            member.digest()

    assert MiB < member.read_bytes <= 2 * MiB


def test_the_manifest_counts_every_row_and_hashes_every_upload(archived):
    with zipfile.ZipFile(archived.archive) as archive:
        index = json.loads(archive.read("manifest.json"))
        data = archive.read("data.jsonl")
        uploads = {
            entry["name"]: archive.read("media/" + entry["name"])
            for entry in index["files"]
        }
    rows = [json.loads(line)["model"] for line in data.splitlines()]

    assert index["version"] == 2
    assert index["data"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert index["data"]["bytes"] == len(data)
    assert sum(index["data"]["rows"].values()) == len(rows)
    assert index["data"]["rows"]["wagtailcore.page"] == rows.count("wagtailcore.page")
    assert uploads
    for entry in index["files"]:
        content = uploads[entry["name"]]
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["bytes"] == len(content)


# Made by the code before trackers and the home page left the stories app.
BEFORE_THE_MOVE = ROOT / "tests" / "fixtures" / "before-trackers-app"
MOVED_MODELS = {
    "home": ["homepage"],
    "trackers": ["timelineevent", "trackerfigure", "trackerindexpage", "trackerpage"],
}
# What a site of the demo shows of its tracker and home page, read inside it.
READ_BACK = """
import json
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.contrib.auth.models import Group
from home.models import HomePage
from sources.models import RequestForComment, Source
from stories.models import Citation
from wagtail.models import ModelLogEntry
from trackers.models import TrackerPage
tracker = TrackerPage.objects.get()
client = Client(HTTP_HOST="localhost")
print(json.dumps({
    "labels": sorted(
        f"{t.app_label}.{t.model}" for t in ContentType.objects.filter(
            model__in=["homepage", "timelineevent", "trackerfigure",
                       "trackerindexpage", "trackerpage"])
    ),
    "home": HomePage.objects.get().title,
    "citations": Citation.objects.count(),
    "requests_unpublished": RequestForComment.objects.filter(
        live_revision__isnull=True).count(),
    "editors_publish_requests": Group.objects.filter(
        name="Editors", permissions__codename="publish_requestforcomment").exists(),
    "sources": [Source.objects.count(), Source.objects.visible_to_readers().count(),
                Source.objects.filter(live_revision__isnull=False).count(),
                ModelLogEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(Source),
                    action="wagtail.publish").count()],
    "editors_publish_sources": Group.objects.filter(
        name="Editors", permissions__codename="publish_source").exists(),
    "tracker": [tracker.title, tracker.events.count(), tracker.figures.count(),
                tracker.stories.count(), tracker.statements.count(),
                tracker.requests_for_comment.count(), tracker.revisions.count()],
    "pages": [client.get(path, secure=True).status_code for path in [
        "/", "/trackers/", tracker.url, tracker.url + "feed/",
        f"/trackers/{tracker.slug}/timeline.json", "/api/trackers/",
        "/sources/", "/sources/michael-a-hernandez/",
    ]],
}))
"""
DEMO_TRACKER = ["County sanctuary policy reversal", 10, 3, 1, 5, 5, 2]
# The demo's sources, each published as of its revision with a baseline entry
# in the audit log: all, public, with a live revision, publish entries.
DEMO_SOURCES = [9, 9, 9, 9]
MOVED_LABELS = sorted(
    f"{app}.{model}" for app, models in MOVED_MODELS.items() for model in models
)


def read_back(site):
    return json.loads(site.run("shell", "-c", READ_BACK).stdout.splitlines()[-1])


def test_a_database_migrated_before_the_move_keeps_every_row(tmp_path):
    """An SQLite site made by the old code, migrated by this code."""
    databases = SqliteDatabases(tmp_path)
    path = tmp_path / "old.sqlite3"
    path.write_bytes(
        gzip.decompress((BEFORE_THE_MOVE / "demo.sqlite3.gz").read_bytes())
    )
    site = Site(tmp_path / "old", databases, "old")
    before, versions_before = site.counts()

    site.run("migrate", "--no-input")

    after, versions_after = site.counts()
    assert versions_after == versions_before
    # Migrations record themselves; new models add their content type and
    # permissions, and Editors get the publish permission of requests for
    # comment and of sources, whose baseline publishes join the audit log.
    # Every other table keeps exactly its rows.
    grows = {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group_permissions",
        "wagtailcore_modellogentry",
    }
    for table, count in before.items():
        grew = after[table] >= count if table in grows else after[table] == count
        assert grew, (table, count, after[table])
    found = read_back(site)
    assert found["labels"] == MOVED_LABELS
    assert found["tracker"] == DEMO_TRACKER
    # The demo story's two versions quote one statement: recorded on the way.
    assert found["citations"] == 2
    # Requests for comment and sources became published records that
    # editors publish.
    assert found["requests_unpublished"] == 0
    assert found["editors_publish_requests"]
    assert found["sources"] == DEMO_SOURCES
    assert found["editors_publish_sources"]
    assert found["pages"] == [200] * 8


def test_an_archive_exported_before_the_move_imports_after_it(databases, tmp_path):
    databases.copy("fresh", "from_old_archive")
    site = Site(tmp_path / "site", databases, "from_old_archive")

    result = site.run("import_archive", BEFORE_THE_MOVE / "demo-archive.zip")

    # Its manifest predates checksums and row counts: imported, with a warning.
    assert "is an archive of format 1" in result.stderr
    found = read_back(site)
    assert found["labels"] == MOVED_LABELS
    assert found["tracker"] == DEMO_TRACKER
    # The demo story's two versions quote one statement: recorded on the way.
    assert found["citations"] == 2
    # Requests for comment and sources became published records that
    # editors publish.
    assert found["requests_unpublished"] == 0
    assert found["editors_publish_requests"]
    assert found["sources"] == DEMO_SOURCES
    assert found["editors_publish_sources"]
    assert found["pages"] == [200] * 8


@pytest.mark.servers
def test_an_archive_without_personal_data_leaves_readers_out(
    archived, databases, tmp_path
):
    with zipfile.ZipFile(archived.archive) as archive:
        rows = archive.read("data.jsonl").decode()
    assert all(marker in rows for marker in PERSONAL)

    archive_path = tmp_path / "public.zip"
    archived.original.run("export_archive", archive_path, "--without-personal-data")
    with zipfile.ZipFile(archive_path) as archive:
        index = json.loads(archive.read("manifest.json"))
        rows = archive.read("data.jsonl").decode()
    assert index["personal_data"] is False
    assert not any(marker in rows for marker in PERSONAL)
    for model in ["subscriber", "follow", "correctionrequest", "correctionrequestnote"]:
        assert f'"participation.{model}"' not in rows

    # It imports like any archive: the site without what readers sent.
    databases.copy("fresh", "public")
    public = Site(tmp_path / "public", databases, "public")
    public.run("import_archive", archive_path)
    counts = public.counts()[0]
    assert counts["participation_correctionrequest"] == 0
    assert counts["participation_subscriber"] == 0
    assert counts["stories_update"] == archived.original_counts[0]["stories_update"]
