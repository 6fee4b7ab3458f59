"""Reader pages: /sources/, a source's page, and what a story shows from sources."""

import datetime

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, streamfield

from sources.models import Outcome, RequestForComment, ReversalKind, SourceKind
from tests.factories import make_request, make_source, make_statement, make_story

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def test_source_index_filters_by_kind_and_organisation_and_searches(client):
    office = make_source("Office of the Mayor", kind=SourceKind.OFFICE)
    make_source("Carlos Gimenez", kind=SourceKind.PERSON, organisation=office)
    make_source("Southern Poverty Law Center", kind=SourceKind.ORGANISATION)

    people = client.get("/sources/?kind=person").content.decode()
    in_office = client.get(f"/sources/?organisation={office.slug}").content.decode()
    found = client.get("/sources/?q=poverty").content.decode()

    assert "Carlos Gimenez" in people and "Southern Poverty" not in people
    assert "Carlos Gimenez" in in_office and "Southern Poverty" not in in_office
    assert "Southern Poverty Law Center" in found and "Carlos Gimenez" not in found
    assert client.get("/sources/?kind=robot").status_code == 404


def test_a_confidential_source_has_no_public_page(client):
    hidden = make_source(is_confidential=True)

    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_a_bad_period_is_a_400_with_the_choices_never_a_500(client):
    source = make_source()

    response = client.get(source.get_absolute_url() + "?period=forever")

    assert response.status_code == 400
    assert "Choose one of: 30, 90, 365, all" in response.content.decode()


def test_source_page_shows_statements_newest_first_and_the_record(client):
    source = make_source("Michael A. Hernandez", role="Spokesperson")
    make_statement(source, quote="The older words.", said_at=NOW - 3 * DAY)
    make_statement(source, quote="The newer words.", said_at=NOW - DAY)
    make_statement(source, quote="A draft nobody may see.", publish=False)
    make_request(source, outcome=Outcome.DECLINED, answered_at=NOW)

    html = client.get(source.get_absolute_url()).content.decode()

    assert html.index("The newer words.") < html.index("The older words.")
    assert "A draft nobody may see." not in html
    assert "Spokesperson" in html
    assert "Declined to comment" in html
    assert "only 1 settled request in all time" in html
    assert "How these figures are defined" in html


def test_a_reversal_shows_the_pair_on_both_statements(client):
    mayor = make_source("Mayor")
    earlier = make_statement(mayor, quote="We will not detain.", said_at=NOW - 9 * DAY)
    make_statement(
        mayor,
        quote="We will honor every detainer.",
        said_at=NOW - DAY,
        earlier_statement=earlier,
        reversal_kind=ReversalKind.REVERSES,
    )

    html = client.get(mayor.get_absolute_url()).content.decode()

    assert html.count('class="reversal"') == 2
    assert "Reverses an earlier statement" in html
    assert "Later reversed" in html


def test_a_referral_names_the_office_and_links_the_follow_up(client):
    office, centre = make_source("Mayor's office"), make_source("311 call centre")
    referral = make_request(
        office, outcome=Outcome.REFERRED, referred_to=centre, answered_at=NOW
    )
    make_request(centre, follow_up_of=referral, outcome=Outcome.NO_RESPONSE)

    office_html = client.get(office.get_absolute_url()).content.decode()
    centre_html = client.get(centre.get_absolute_url()).content.decode()

    assert (
        f'Referred callers to <a href="{centre.get_absolute_url()}">311 call centre</a>'
        in office_html
    )
    assert "We followed up with" in office_html
    assert "Follows a referral by" in centre_html


def test_story_lists_its_public_requests_and_renders_the_statement_block(
    client, story_index
):
    source = make_source("Michael A. Hernandez")
    statement = make_statement(source, quote="Calls went to the 311 centre.")
    story = make_story(story_index, "Calls story")
    story.body.append(("statement", statement))
    story.save_revision().publish()
    make_request(source, story=story, outcome=Outcome.NO_RESPONSE, deadline=NOW)
    make_request(source, story=story, is_public=False, public_summary="Hush")

    html = client.get(story.url).content.decode()

    assert "Calls went to the 311 centre." in html
    assert "Did not respond by the deadline" in html
    assert "Hush" not in html
    source_html = client.get(source.get_absolute_url()).content.decode()
    assert "Calls story" in source_html  # cited, through the reference index


def test_the_statement_block_refuses_a_draft_statement(editor_client, story_index):
    draft = make_statement(make_source(), publish=False)
    story = make_story(story_index)

    response = editor_client.post(
        f"/admin/pages/{story.pk}/edit/",
        nested_form_data(
            {
                "title": story.title,
                "slug": story.slug,
                "dek": "",
                "story_authors": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0},
                "tags": "",
                "body": streamfield([("statement", draft.pk)]),
            }
        ),
    )

    assert response.status_code == 200
    assert "Publish this statement first" in response.content.decode()


@pytest.mark.parametrize("count", [10, 500])
def test_source_page_runs_a_bounded_number_of_queries(
    client, story_index, django_assert_max_num_queries, count
):
    office, centre = make_source(), make_source()
    story = make_story(story_index)
    statement = make_statement(office)
    make_statement(
        office,
        earlier_statement=statement,
        reversal_kind=ReversalKind.CONTRADICTS,
    )
    referral = make_request(
        office, outcome=Outcome.REFERRED, referred_to=centre, answered_at=NOW
    )
    make_request(centre, follow_up_of=referral)
    outcomes = [Outcome.RESPONDED, Outcome.DECLINED, Outcome.NO_RESPONSE]
    RequestForComment.objects.bulk_create(
        RequestForComment(
            source=office,
            story=story,
            asked_at=NOW - (i % 300) * DAY - DAY,
            channel="phone",
            outcome=outcomes[i % 3],
            answered_at=NOW if outcomes[i % 3] != Outcome.NO_RESPONSE else None,
        )
        for i in range(count - 1)
    )

    with django_assert_max_num_queries(16):
        response = client.get(office.get_absolute_url())

    assert response.status_code == 200
