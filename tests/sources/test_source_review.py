"""Sources are reviewed like stories: a reporter's new source, or change to a
published one, is a draft until an editor publishes it. Readers see what was
last published, and a source no editor published is hidden wherever a
confidential one is; a story can neither name nor quote it."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.test.utils.form_data import nested_form_data, streamfield

from sources.models import Outcome, RequestForComment, Source, Statement
from sources.response_record import build_response_record, parse_period
from tests.factories import (
    make_request,
    make_source,
    make_statement,
    make_story,
)

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailsnippets_sources_source:add")
LISTING = reverse("wagtailsnippets_sources_source:list")
STATUS = re.compile(r'class="w-status[^"]*"[^>]*>([^<]*)<')


def edit_url(source):
    return reverse("wagtailsnippets_sources_source:edit", args=[source.pk])


def source_form(name, *, slug="miami-dade-311", description="", **actions):
    """POST data for the Source add/edit view; pass e.g. action_publish=True."""
    data = nested_form_data(
        {
            "name": name,
            "slug": slug,
            "kind": "office",
            "role": "",
            "organisation": "",
            "description": description,
            "public_phone": "",
            "public_email": "",
            "public_url": "",
            "personal_phone": "",
            "personal_email": "",
            "internal_notes": "",
        }
    )
    data.update({name.replace("_", "-"): "1" for name, on in actions.items() if on})
    return data


# --- The model: the row is what readers see -------------------------------------


def test_a_source_no_editor_published_is_hidden_with_what_it_said(client):
    draft = make_source("Miami-Dade 311 call centre", publish=False)
    make_statement(draft, quote="Calls are answered within a day.")
    make_request(draft, public_summary="We asked the call centre.")

    assert not Source.objects.visible_to_readers().exists()
    assert not Statement.objects.visible_to_readers().exists()
    assert not RequestForComment.objects.visible_to_readers().exists()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "311 call centre" not in client.get("/sources/").content.decode()
    assert client.get("/api/sources/").json()["meta"]["total_count"] == 0
    assert client.get("/api/statements/").json()["meta"]["total_count"] == 0


def test_publishing_a_source_shows_it_and_what_it_said(client):
    draft = make_source("Miami-Dade 311 call centre", publish=False)
    make_statement(draft, quote="Calls are answered within a day.")

    draft.latest_revision.publish()

    assert list(Source.objects.visible_to_readers()) == [draft]
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Miami-Dade 311 call centre" in html
    assert "Calls are answered within a day." in html


def test_a_draft_change_leaves_the_published_row_as_readers_saw_it(client):
    source = make_source("Office of the Mayor", description="County Hall.")
    source.name = "Office of the County Mayor"
    source.description = "Draft wording."
    source.save_revision()

    source.refresh_from_db()
    assert source.name == "Office of the Mayor"
    assert source.description == "County Hall."
    assert source.live and source.has_unpublished_changes
    html = client.get(source.get_absolute_url()).content.decode()
    assert "County Hall." in html and "Draft wording." not in html

    source.latest_revision.publish()

    html = client.get(source.get_absolute_url()).content.decode()
    assert "Office of the County Mayor" in html and "Draft wording." in html


def test_a_referral_to_an_unpublished_office_does_not_name_it(client):
    office = make_source("Office of the Mayor")
    centre = make_source("Miami-Dade 311 call centre", publish=False)
    referral = make_request(
        office,
        outcome=Outcome.REFERRED,
        referred_to=centre,
        answered_at=timezone.now(),
    )
    record = build_response_record(office, parse_period("all"))

    assert [target.name for target in record.referred_to] == [
        "an office we do not name"
    ]
    assert referral.public_outcome == "Referred callers elsewhere"
    detail = client.get(f"/api/requests-for-comment/{referral.pk}/").json()
    assert detail["referred_to"] is None
    page = client.get(office.get_absolute_url()).content.decode()
    assert "311 call centre" not in page


def test_an_unpublished_organisation_is_not_named_beside_its_members(client):
    office = make_source("Office of the Mayor", publish=False)
    member = make_source("Michael A. Hernandez", organisation=office)

    html = client.get(member.get_absolute_url()).content.decode()
    listing = client.get("/sources/").content.decode()
    api = client.get(f"/api/sources/{member.pk}/").json()

    assert "Office of the Mayor" not in html
    assert "Office of the Mayor" not in listing
    assert api["organisation"] is None


# --- The admin: reporters draft, editors publish --------------------------------


def test_a_reporter_s_new_source_stays_off_the_site_until_an_editor_publishes_it(
    client, reporter, editor
):
    client.force_login(reporter)
    # Posting "publish" without the permission saves a draft all the same.
    client.post(ADD, source_form("Miami-Dade 311 call centre", action_publish=True))
    source = Source.objects.get()
    assert not source.live
    assert client.get(edit_url(source)).status_code == 200
    client.logout()
    assert client.get(source.get_absolute_url()).status_code == 404

    client.force_login(editor)
    client.post(
        edit_url(source),
        source_form("Miami-Dade 311 call centre", action_publish=True),
    )
    client.logout()

    source.refresh_from_db()
    assert source.live
    assert client.get(source.get_absolute_url()).status_code == 200


def test_a_reporter_s_change_to_a_published_source_waits_for_an_editor(
    client, reporter, editor
):
    source = make_source(
        "Miami-Dade 311 call centre", slug="miami-dade-311", description="Old."
    )
    client.force_login(reporter)
    client.post(
        edit_url(source),
        source_form("Miami-Dade 311", description="New.", action_publish=True),
    )
    client.logout()

    source.refresh_from_db()
    assert (source.name, source.description) == ("Miami-Dade 311 call centre", "Old.")
    assert source.has_unpublished_changes
    html = client.get(source.get_absolute_url()).content.decode()
    assert "Old." in html and "New." not in html

    client.force_login(editor)
    client.post(
        edit_url(source),
        source_form("Miami-Dade 311", description="New.", action_publish=True),
    )
    client.logout()

    source.refresh_from_db()
    assert (source.name, source.description) == ("Miami-Dade 311", "New.")
    html = client.get(source.get_absolute_url()).content.decode()
    assert "New." in html and "Old." not in html


def test_only_an_editor_is_offered_the_publish_action(client, reporter, editor):
    source = make_source()

    client.force_login(reporter)
    reporter_form = client.get(edit_url(source)).content.decode()
    client.force_login(editor)
    editor_form = client.get(edit_url(source)).content.decode()

    assert 'name="action-publish"' not in reporter_form
    assert 'name="action-publish"' in editor_form


def test_the_source_listing_shows_each_source_s_status(editor_client):
    published = make_source("Published office")
    drafted = make_source("Drafted office", publish=False)
    changed = make_source("Changed office")
    changed.description = "A change waiting for an editor."
    changed.save_revision()

    html = editor_client.get(LISTING).content.decode()

    def status(source):
        row = html[html.index(f'id="snippet_{source.pk}_title"') :]
        return STATUS.search(row.split("</tr>", 1)[0]).group(1).strip()

    assert status(published) == "live"
    assert status(drafted) == "draft"
    assert status(changed) == "live + draft"


# --- Stories name and quote published sources only --------------------------------


def story_body_form(story, body):
    return nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "dek": "",
            "story_authors": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0},
            "tags": "",
            "body": streamfield(body),
        }
    )


def test_a_story_cannot_cite_a_source_no_editor_published(editor_client, story_index):
    draft = make_source("Miami-Dade 311 call centre", publish=False)
    story = make_story(story_index)

    response = editor_client.post(
        f"/admin/pages/{story.pk}/edit/",
        story_body_form(
            story, [("source_citation", {"source": draft.pk, "note": "Call logs"})]
        ),
    )

    assert response.status_code == 200
    assert "This source is not published yet" in response.content.decode()


def test_a_story_cannot_quote_a_statement_of_an_unpublished_source(
    editor_client, story_index
):
    draft = make_source("Miami-Dade 311 call centre", publish=False)
    statement = make_statement(draft, quote="Calls are answered within a day.")
    story = make_story(story_index)

    response = editor_client.post(
        f"/admin/pages/{story.pk}/edit/",
        story_body_form(story, [("statement", statement.pk)]),
    )

    assert response.status_code == 200
    assert "The source of this statement is not published yet" in (
        response.content.decode()
    )


def test_a_story_citing_a_source_later_unpublished_no_longer_names_it(
    client, story_index
):
    source = make_source("Miami-Dade 311 call centre")
    statement = make_statement(source, quote="Calls are answered within a day.")
    story = make_story(story_index, "Calls story")
    story.body.append(("statement", statement))
    story.body.append(("source_citation", {"source": source, "note": "Call logs"}))
    story.save_revision().publish()
    assert "311 call centre" in client.get(story.url).content.decode()

    source.unpublish()

    html = client.get(story.url).content.decode()
    assert "311 call centre" not in html
    assert "Calls are answered within a day." not in html


# --- Sources that existed before review: published by the upgrade ----------------

UPGRADE = importlib.import_module("sources.migrations.0009_sources_are_published")


def test_the_upgrade_publishes_every_source_as_of_a_revision(client):
    """As import_archive runs it on an archive made before sources had drafts."""
    edited = make_source("Office of the Mayor", slug="mayor", publish=False)
    # generate_load saves sources without a revision.
    (bare,) = Source.objects.bulk_create(
        [Source(name="Miami-Dade 311", slug="miami-dade-311", kind="office")]
    )

    UPGRADE.publish_existing(apps, SimpleNamespace(connection=connection))

    for source in (edited, bare):
        source.refresh_from_db()
        assert source.live and not source.has_unpublished_changes
        assert source.live_revision_id == source.latest_revision_id is not None
        assert source.last_published_at == source.latest_revision.created_at
        assert source.latest_revision.as_object().name == source.name
        publishes = log_registry.get_logs_for_instance(source).filter(
            action="wagtail.publish", revision=source.live_revision
        )
        assert publishes.count() == 1
        assert client.get(source.get_absolute_url()).status_code == 200
