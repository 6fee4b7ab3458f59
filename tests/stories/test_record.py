"""The public record: snapshots written once, a hash-chained log anyone can verify.

docs/record.md states the format and the verifier's rule; the script printed
there is run here against a live server.
"""

import hashlib
import json
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from wagtail.rich_text import RichText

from stories.models import RecordEntry, Snapshot
from stories.models.record import RecordError
from tests.factories import (
    make_author,
    make_request,
    make_source,
    make_statement,
    make_story,
    make_story_index,
    make_update,
    publish_new_version,
)

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[2] / "docs" / "record.md"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def log(client, after=0):
    response = client.get(f"/record/log.json?after={after}")
    assert response.status_code == 200
    return response.json()


def test_each_publish_is_a_snapshot_and_a_log_entry(client, story_index, editor):
    author = make_author("Ana Ceballos")
    story = make_story(story_index, "Calls rerouted", authors=[author], editor=editor)
    update = make_update(story, "The county answered.", editor=editor)
    publish_new_version(story, paragraphs=["A second version."], editor=editor)

    entries = log(client)["entries"]

    assert [e["kind"] for e in entries] == ["story_version", "update", "story_version"]
    assert [e["seq"] for e in entries] == [1, 2, 3]
    assert entries[0]["snapshot_url"].endswith(f"{story.url}history/1.json")
    assert entries[1]["url"].endswith(f"{story.url}#update-{update.pk}")
    version = client.get(f"{story.url}history/1.json")
    assert version["Content-Type"] == "application/json"
    assert sha256(version.content) == entries[0]["content_sha256"]
    document = json.loads(version.content)
    assert document["headline"] == "Calls rerouted"
    assert document["byline"] == ["Ana Ceballos"]
    assert document["body"] == [
        {"type": "paragraph", "text": "A paragraph of the story."}
    ]
    wording = client.get(entries[1]["snapshot_url"])
    assert json.loads(wording.content)["text"] == "The county answered."


def test_each_entry_hashes_the_one_before(client, story_index, editor):
    story = make_story(story_index, "Calls rerouted", editor=editor)
    publish_new_version(story, title="Calls rerouted to 311", editor=editor)

    first, second = log(client)["entries"]

    assert first["prev"] == "0" * 64
    assert second["prev"] == first["hash"]
    for entry in (first, second):
        unhashed = {key: value for key, value in entry.items() if key != "hash"}
        text = json.dumps(
            unhashed, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        assert sha256(text.encode()) == entry["hash"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", first["recorded_at"])


def test_the_log_is_paged_with_a_next_link(client, story_index, editor, monkeypatch):
    monkeypatch.setattr("stories.views.LOG_PAGE_SIZE", 2)
    story = make_story(story_index, "One", editor=editor)
    for title in ["Two", "Three"]:
        publish_new_version(story, title=title, editor=editor)

    page = log(client)
    assert [e["seq"] for e in page["entries"]] == [1, 2]
    assert page["next"].endswith("/record/log.json?after=2")
    last = log(client, after=2)
    assert [e["seq"] for e in last["entries"]] == [3]
    assert last["next"] is None


@pytest.mark.parametrize("after", ["-1", "x", "²", "1.5"])
def test_a_bad_after_is_a_400(client, after):
    assert client.get(f"/record/log.json?after={after}").status_code == 400


def test_history_json_lists_versions_with_hashes_and_seq(client, story_index, editor):
    story = make_story(story_index, "Calls rerouted", editor=editor)
    make_update(story, "Drafted with the next version.", editor=editor, publish=False)
    publish_new_version(story, paragraphs=["Second."], editor=editor)

    data = client.get(f"{story.url}history.json").json()

    first, second = data["versions"]
    assert [first["number"], second["number"]] == [1, 2]
    assert first["seq"] == 1 and second["seq"] == 2
    assert second["updates"][0]["kind"] == "update"
    assert second["updates"][0]["wordings"][0]["seq"] == 3
    served = client.get(f"{story.url}history/2.json").content
    assert sha256(served) == second["content_sha256"]
    assert client.get(f"{story.url}history/3.json").status_code == 404


def test_the_story_and_its_history_show_the_latest_entry(client, story_index, editor):
    story = make_story(story_index, "Calls rerouted", editor=editor)
    make_update(story, "A fact was added.", editor=editor)
    latest = RecordEntry.objects.get(seq=2)

    for url in [story.url, f"{story.url}history/"]:
        html = client.get(url).content.decode()
        assert f"entry #{latest.seq}" in html
        assert latest.hash in html


def test_statements_and_requests_are_recorded_when_public(client, editor):
    source = make_source("Miami-Dade County 311 call centre")
    said = make_statement(source, quote="Calls are answered in English and Spanish.")
    make_statement(source, quote="Between us.", on_the_record=False)
    make_request(source, public_summary="We asked about call volumes.")

    kinds = [e["kind"] for e in log(client)["entries"]]

    assert kinds == ["statement", "request_for_comment"]
    entry = log(client)["entries"][0]
    assert entry["url"].endswith(f"/sources/{source.slug}/#statement-{said.pk}")
    snapshot = json.loads(client.get(f"/record/statements/{said.pk}/1.json").content)
    assert snapshot["quote"] == "Calls are answered in English and Spanish."
    assert snapshot["speaker"] == "Miami-Dade County 311 call centre"
    asked_url = log(client)["entries"][1]["snapshot_url"]
    asked = json.loads(client.get(asked_url).content)
    assert asked["summary"] == "We asked about call volumes."
    assert asked["outcome_text"] == "Waiting for a response"


def test_snapshots_and_entries_cannot_be_changed(story_index, editor):
    story = make_story(story_index, "Calls rerouted", editor=editor)
    snapshot = Snapshot.objects.get(story=story)
    entry = RecordEntry.objects.get()

    snapshot.document = "{}"
    with pytest.raises(RecordError):
        snapshot.save()
    with pytest.raises(RecordError):
        Snapshot.objects.filter(pk=snapshot.pk).update(document="{}")
    with pytest.raises(RecordError):
        snapshot.delete()
    entry.url = "https://elsewhere.example/"
    with pytest.raises(RecordError):
        entry.save()
    with pytest.raises(RecordError):
        RecordEntry.objects.all().delete()


def test_republishing_the_same_revision_is_not_a_new_version(story_index, editor):
    story = make_story(story_index, "Calls rerouted", editor=editor)
    story.live_revision.publish(user=editor)

    assert Snapshot.objects.filter(story=story).count() == 1
    assert RecordEntry.objects.count() == 1


def verify_record():
    out = StringIO()
    call_command("verify_record", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("table", "column", "value", "message"),
    [
        ("stories_recordentry", "url", "https://elsewhere.example/", "its hash"),
        ("stories_recordentry", "prev", "1" * 64, "hash of the entry before"),
        ("stories_snapshot", "document", '{"headline":"Rewritten"}', "does not match"),
    ],
)
def test_verify_record_catches_a_row_changed_in_the_database(
    story_index, editor, table, column, value, message
):
    story = make_story(story_index, "Calls rerouted", editor=editor)
    make_update(story, "A fact was added.", editor=editor)
    assert "2 entries, 2 snapshots" in verify_record()

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s "  # noqa: S608 (names from the test)
            f"WHERE id = (SELECT MIN(id) FROM {table})",
            [value],
        )

    with pytest.raises(CommandError, match=message):
        verify_record()


def test_verify_record_catches_a_missing_entry(story_index, editor):
    story = make_story(story_index, "Calls rerouted", editor=editor)
    make_update(story, "A fact was added.", editor=editor)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM stories_recordentry WHERE seq = 1")
    # The snapshot no entry names any more is not checked; the gap is.
    with pytest.raises(CommandError, match="Entry 1 is missing"):
        verify_record()


def test_a_snapshot_keeps_what_a_quote_said_when_published(client, story_index):
    source = make_source("Mayor's office", role="Press office")
    statement = make_statement(source, quote="The county will honor all detainers.")
    story = make_story(story_index, "Detainers")
    publish_new_version(
        story,
        body=[("paragraph", RichText("<p>He said:</p>")), ("statement", statement)],
    )

    block = json.loads(client.get(f"{story.url}history/2.json").content)["body"][1]

    assert block["words"] == "The county will honor all detainers."
    assert block["speaker"] == "Mayor's office"
    assert block["statement"] == statement.pk


def docs_script():
    match = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.DOTALL)
    return match.group(1)


def test_the_docs_script_is_at_most_20_lines():
    assert len(docs_script().strip().splitlines()) <= 20


@pytest.mark.servers
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_docs_script_verifies_the_log_over_http(live_server, settings, home_page):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    index = make_story_index(home_page)
    story = make_story(index, "Calls rerouted")
    make_update(story, "The county answered.")
    publish_new_version(story, paragraphs=["Second."])
    make_statement(make_source(), quote="We answer every call.")

    result = subprocess.run(
        [sys.executable, "-c", docs_script(), live_server.url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "4 entries and 4 snapshots verify"

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE stories_snapshot SET document = %s WHERE number = 2",
            ['{"headline":"Rewritten"}'],
        )
    result = subprocess.run(
        [sys.executable, "-c", docs_script(), live_server.url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "was altered" in result.stderr


@pytest.mark.parametrize("count", [1, 10])
def test_record_pages_run_a_fixed_number_of_queries(
    client, story_index, editor, count, django_assert_max_num_queries
):
    story = make_story(story_index, "Calls rerouted", editor=editor)
    for n in range(count):
        make_update(story, f"Update {n}.", editor=editor)
        publish_new_version(story, paragraphs=[f"Version {n}."], editor=editor)

    for url in ["/record/", "/record/log.json", f"{story.url}history.json"]:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200, url
