"""Readers see every published version of a story, and only those."""

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import PageLogEntry
from wagtail.rich_text import RichText

from newsroom.scaffold import backdate_update, publish_at
from stories.history import published_versions
from stories.models import StoryPage
from tests.factories import make_story, make_update, publish_new_version

# The demo's first story (load_demo), by its slug.
DEMO_STORY = "mayors-office-stops-taking-calls-on-sanctuary-reversal"


@pytest.fixture
def story(story_index, editor):
    return make_story(
        story_index,
        paragraphs=["The office took calls on Tuesday."],
        editor=editor,
    )


def published_revision_ids(story):
    return list(
        PageLogEntry.objects.filter(page=story, action="wagtail.publish")
        .order_by("timestamp")
        .values_list("revision_id", flat=True)
    )


def test_history_lists_published_versions_and_not_drafts(client, story, editor):
    publish_new_version(story, editor=editor, paragraphs=["Version two text."])
    draft = story.get_latest_revision_as_object()
    draft.dek = "A dek nobody has published."
    draft_revision = draft.save_revision(user=editor)

    html = client.get(story.url + "history/").content.decode()

    assert [v.number for v in published_versions(story)] == [1, 2]
    assert "Version 2" in html
    assert "Version 3" not in html
    assert f"/{draft_revision.pk}/" not in html


def test_diff_of_a_draft_or_another_pages_revision_is_404(
    client, story, story_index, editor
):
    first = published_revision_ids(story)[0]
    draft = story.get_latest_revision_as_object().save_revision(user=editor)
    other = make_story(story_index, editor=editor)
    other_revision = published_revision_ids(other)[0]

    for a, b in [(first, draft.pk), (first, other_revision), (first, 999999999999)]:
        assert client.get(f"{story.url}history/{a}/{b}/").status_code == 404
    assert client.get(f"{story.url}history/{first}/abc/").status_code == 404
    assert client.get(f"{story.url}history/-1/{first}/").status_code == 404


def test_diff_shows_a_one_word_change_as_one_del_and_one_ins(client, story, editor):
    publish_new_version(
        story, editor=editor, paragraphs=["The office took calls on Monday."]
    )
    first, second = published_revision_ids(story)

    html = client.get(f"{story.url}history/{first}/{second}/").content.decode()

    assert html.count("<del>") == 1 and "<del>Tuesday.</del>" in html
    assert html.count("<ins>") == 1 and "<ins>Monday.</ins>" in html


def test_diff_escapes_story_text(client, story, editor):
    publish_new_version(story, editor=editor, title="<script>alert(1)</script>")
    first, second = published_revision_ids(story)

    html = client.get(f"{story.url}history/{first}/{second}/").content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_minor_edit_is_marked_folded_and_still_diffable(client, story, editor):
    publish_new_version(
        story, editor=editor, paragraphs=["the office took calls on tuesday"]
    )
    first, second = published_revision_ids(story)

    versions = published_versions(story)
    html = client.get(story.url + "history/").content.decode()

    assert versions[1].minor
    assert "<details><summary>Version 2: minor edit" in html
    assert client.get(f"{story.url}history/{first}/{second}/").status_code == 200


def test_history_shows_the_updates_published_with_each_version(client, story, editor):
    make_update(
        story,
        "A correction went with version two.",
        kind="correction",
        editor=editor,
        publish=False,
    )
    publish_new_version(
        story, editor=editor, paragraphs=["The office took calls on Monday."]
    )

    versions = published_versions(story)

    assert [u.text for u in versions[1].updates] == [
        "A correction went with version two."
    ]
    assert not versions[1].minor


@pytest.mark.parametrize("count", [1, 50])
def test_history_and_diff_run_a_bounded_number_of_queries(
    client, story, editor, count, django_assert_max_num_queries
):
    publish_new_version(
        story, editor=editor, paragraphs=["The office took calls on Monday."]
    )
    for n in range(count):
        make_update(story, f"Update {n}.", editor=editor)
    first, second = published_revision_ids(story)

    with django_assert_max_num_queries(12):
        assert client.get(story.url + "history/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"{story.url}history/{first}/{second}/").status_code == 200


def test_demo_story_has_the_311_update_and_a_correction_with_its_body_fix(client, db):
    call_command("load_demo", stdout=StringIO())
    story = StoryPage.objects.get(slug=DEMO_STORY)
    first, second, _redacted = published_revision_ids(story)

    page = client.get(story.url).content.decode()
    diff = client.get(f"{story.url}history/{first}/{second}/").content.decode()

    # The dateline names the latest update: the redaction's editor's note.
    assert "311" in page and "update--correction" in page
    assert "Feb. 8, 2017" in client.get(story.url + "history/").content.decode()
    assert diff.count("<del>") == 1 and "<del>Tuesday</del>" in diff
    assert diff.count("<ins>") == 1 and "<ins>Monday</ins>" in diff


def test_demo_shows_a_redaction_of_the_quoted_summary(client, db):
    call_command("load_demo", stdout=StringIO())
    story = StoryPage.objects.get(slug=DEMO_STORY)

    versions = published_versions(story)

    (note,) = versions[-1].updates
    assert note.kind == "editors_note"
    assert note.text.startswith("On Feb. 9, 2017 we removed our summary of a statement")
    first = client.get(f"{story.url}history/1.json").content.decode()
    assert "[removed on Feb. 9, 2017: our summary overstated the order" in first
    assert "every request from federal" not in first
    page = client.get(story.url).content.decode()
    assert "honor detention requests from" in page
    assert "every request from federal" not in page
    assert 'class="record-entry' in client.get("/record/").content.decode()
    call_command("verify_record", stdout=StringIO())


def test_demo_shows_a_minor_edit_and_an_amended_update(client, db):
    call_command("load_demo", stdout=StringIO())
    story = StoryPage.objects.get(
        slug="democrats-urge-calls-and-a-protest-over-the-reversal"
    )

    first, second = published_versions(story)

    assert not first.minor and second.minor
    (update,) = first.updates
    assert update.was_amended and len(update.wordings) == 2
    history = client.get(f"/stories/{story.slug}/history/").content.decode()
    assert "Version 2: minor edit" in history
    assert "Amended on" in history


def test_a_time_ending_in_a_m_never_takes_a_second_full_stop(client, story_index):
    ten = datetime.datetime(2017, 2, 7, 10, tzinfo=ZoneInfo("America/New_York"))
    story = make_story(story_index, paragraphs=["Tuesday."], when=ten)
    draft = story.get_latest_revision_as_object()
    draft.body = [("paragraph", RichText("<p>Monday.</p>"))]
    publish_at(draft, ten + datetime.timedelta(days=1))
    withdrawal = make_update(story, "We could not stand by it.", kind="withdrawal")
    backdate_update(withdrawal, ten + datetime.timedelta(days=2))
    first, second = published_revision_ids(story)

    diff = client.get(f"{story.url}history/{first}/{second}/").content.decode()
    tombstone = client.get(story.url).content.decode()

    for html in (diff, tombstone):
        text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
        assert "10 a.m." in text
        assert not re.search(r"[ap]\.m\. ?\.", text)
    assert "at 10 a.m. on Feb. 8, 2017" in diff
