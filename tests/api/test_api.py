"""The read-only JSON API at /api/: what it returns and refuses, its description."""

import datetime
import json

import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from sources.models import Outcome
from tests.factories import (
    add_to_tracker,
    event_fields,
    make_author,
    make_request,
    make_source,
    make_statement,
    make_story,
    make_tracker,
    make_update,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
ENDPOINT_NAMES = [
    "stories",
    "sources",
    "statements",
    "requests-for-comment",
    "trackers",
]


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_stories_endpoint_lists_published_stories_with_byline_tags_and_body(
    client, story_index
):
    author = make_author("Douglas Hanks")
    make_story(story_index, "Older story", when=timezone.now() - 3 * DAY)
    story = make_story(
        story_index,
        "Calls rerouted to 311",
        dek="The mayor's office stopped taking calls.",
        paragraphs=["Residents were sent to the 311 centre."],
        authors=[author],
        tags=["immigration"],
    )
    make_story(story_index, "A draft", publish=False)

    listing = get_json(client, "/api/stories/")
    detail = get_json(client, f"/api/stories/{story.pk}/")

    assert [item["title"] for item in listing["items"]] == [
        "Calls rerouted to 311",
        "Older story",
    ]
    assert listing["meta"]["total_count"] == 2
    assert detail["dek"] == "The mayor's office stopped taking calls."
    assert detail["authors"][0]["name"] == "Douglas Hanks"
    assert detail["authors"][0]["html_url"].endswith(author.get_absolute_url())
    assert detail["tags"] == ["immigration"]
    assert "311 centre" in detail["body"][0]["value"]
    # On BASE_URL (http://testserver in the test settings).
    assert detail["meta"]["html_url"] == "http://testserver/stories/" + story.slug + "/"


def test_a_draft_story_is_a_404(client, story_index):
    draft = make_story(story_index, publish=False)

    get_json(client, f"/api/stories/{draft.pk}/", status=404)


def test_stories_filter_by_tag_source_and_dates(client, story_index):
    office = make_source("Office of the Mayor")
    old = make_story(
        story_index, "Old", tags=["budget"], when=timezone.now() - 40 * DAY
    )
    new = make_story(story_index, "New", tags=["immigration"])
    new.body.append(("source_citation", {"source": office, "note": ""}))
    new.save_revision().publish()
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()

    def titles(query):
        return [i["title"] for i in get_json(client, "/api/stories/?" + query)["items"]]

    assert titles("tag=budget") == [old.title]
    assert titles(f"source={office.pk}") == [new.title]
    assert titles(f"published_after={since}") == [new.title]
    assert titles(f"published_before={until}") == [old.title]


def test_sources_endpoint_leaves_out_confidential_sources(client):
    office = make_source("Office of the Mayor", public_phone="305-375-5071")
    make_source("Informant", is_confidential=True, organisation=office)

    listing = get_json(client, "/api/sources/?fields=*")

    assert [item["name"] for item in listing["items"]] == ["Office of the Mayor"]
    assert listing["items"][0]["public_phone"] == "305-375-5071"


def test_statements_filter_by_source_and_date(client):
    mayor = make_source("Mayor")
    other = make_source("Commission")
    make_statement(mayor, quote="Old words.", said_at=timezone.now() - 20 * DAY)
    make_statement(mayor, quote="New words.", said_at=timezone.now() - DAY)
    make_statement(other, quote="Other words.")
    since = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()

    items = get_json(client, f"/api/statements/?source={mayor.pk}")["items"]
    recent = get_json(client, f"/api/statements/?said_after={since}")["items"]

    assert [item["quote"] for item in items] == ["New words.", "Old words."]
    assert {item["quote"] for item in recent} == {"New words.", "Other words."}


def test_a_referral_to_a_confidential_source_does_not_name_it(client):
    office = make_source("Office of the Mayor")
    hidden = make_source("Informant", is_confidential=True)
    referral = make_request(
        office,
        outcome=Outcome.REFERRED,
        referred_to=hidden,
        answered_at=timezone.now(),
    )

    detail = get_json(client, f"/api/requests-for-comment/{referral.pk}/")

    assert detail["referred_to"] is None
    assert detail["public_outcome"] == "Referred callers elsewhere"
    assert detail["source"]["name"] == "Office of the Mayor"


@pytest.mark.parametrize(
    "url",
    [
        "/api/stories/?published_after=yesterday",
        "/api/stories/?published_before=2017-02-30",
        "/api/stories/?source=abc",
        "/api/stories/?source=999999",
        "/api/stories/?source=99999999999999999999999999",
        "/api/stories/?tag=no-such-tag",
        "/api/stories/?colour=red",
        "/api/stories/?type=home.HomePage",
        "/api/stories/?limit=1000",
        "/api/stories/?limit=-1",
        "/api/stories/?offset=x",
        "/api/stories/?order=internal_notes",
        "/api/stories/?fields=owner",
        "/api/sources/?fields=internal_notes",
        "/api/sources/?fields=personal_phone",
        "/api/sources/?kind=robot",
        "/api/sources/?personal_email=x",
        "/api/statements/?said_after=2017-13-01",
        "/api/statements/?source=1.5",
        "/api/requests-for-comment/?outcome=maybe",
        "/api/requests-for-comment/?story=12",
        "/api/requests-for-comment/?internal_notes=x",
        "/api/stories/?tracker=999999",
        "/api/statements/?tracker=abc",
        "/api/requests-for-comment/?tracker=999999",
        "/api/trackers/?status=paused",
        "/api/trackers/?fields=timeline",
    ],
)
def test_bad_parameters_are_a_400_with_a_message(client, story_index, url):
    body = get_json(client, url, status=400)

    assert body["message"]


def test_a_private_source_field_cannot_be_asked_for_on_a_detail_view(client):
    source = make_source()

    body = get_json(client, f"/api/sources/{source.pk}/?fields=internal_notes", 400)

    assert "internal_notes" in body["message"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused(client, editor, method):
    source = make_source()
    client.force_login(editor)

    for url in ("/api/sources/", f"/api/sources/{source.pk}/"):
        response = getattr(client, method)(
            url, data=json.dumps({"name": "x"}), content_type="application/json"
        )
        assert response.status_code == 405


def test_head_and_options_are_allowed(client):
    assert client.head("/api/sources/").status_code == 200
    assert client.options("/api/sources/").status_code == 200


def test_api_index_links_every_endpoint_and_the_description(client):
    body = get_json(client, "/api/")

    assert set(body["endpoints"]) == set(ENDPOINT_NAMES)
    assert body["schema"] == "http://testserver/api/schema/"


def test_listing_limit_has_a_maximum_of_one_hundred(client):
    assert client.get("/api/sources/?limit=100").status_code == 200
    assert client.get("/api/sources/?limit=101").status_code == 400


def test_openapi_description_validates_and_documents_every_endpoint(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for name in ENDPOINT_NAMES:
        assert f"/api/{name}/" in paths and f"/api/{name}/{{id}}/" in paths
    story_parameters = {p["name"] for p in paths["/api/stories/"]["get"]["parameters"]}
    assert {"tag", "source", "published_after", "published_before", "limit"} <= (
        story_parameters
    )
    source_fields = document["components"]["schemas"]["Source"]["properties"]
    assert "personal_phone" not in source_fields
    assert "internal_notes" not in source_fields
    assert "is_confidential" not in source_fields


@pytest.mark.slow
def test_listing_query_count_does_not_grow_with_the_data(
    client, story_index, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            source = make_source(organisation=make_source())
            make_statement(source)
            story = make_story(story_index, authors=[make_author()])
            make_update(story, kind="correction")
            make_request(source, story=story)
            make_tracker(
                story_index.get_parent(),
                events=[event_fields(datetime.date(2017, 1, 2))],
                figures=[FIGURE],
            )

    urls = [f"/api/{name}/?fields=*&limit=100" for name in ENDPOINT_NAMES]
    add(2)
    for url in urls:
        with django_assert_max_num_queries(15):
            get_json(client, url)
    add(18)
    for url in urls:
        with django_assert_max_num_queries(15):
            assert len(get_json(client, url)["items"]) >= 20


FIGURE = {
    "label": "Detainer requests honored",
    "value": "1200",
    "value_to": "1500",
    "unit": "people",
    "as_of": datetime.date(2017, 2, 1),
    "source": "County jail",
}


def test_stories_carry_their_published_updates_and_never_drafts(client, story_index):
    story = make_story(story_index)
    correction = make_update(story, "We misstated the date.", kind="correction")
    correction.text = "We misstated the date of the vote."
    correction.save_revision().publish()
    make_update(story, "The office answered.")
    make_update(story, "A draft correction.", kind="correction", publish=False)

    detail = get_json(client, f"/api/stories/{story.pk}/")
    listing = get_json(client, "/api/stories/?fields=updates")

    assert [(u["kind"], u["text"]) for u in detail["updates"]] == [
        ("update", "The office answered."),
        ("correction", "We misstated the date of the vote."),
    ]
    assert detail["updates"][0]["amended_at"] is None
    assert detail["updates"][1]["amended_at"] > detail["updates"][1]["published_at"]
    assert listing["items"][0]["updates"] == detail["updates"]


@pytest.fixture
def tracker(home_page, story_index):
    tracker = make_tracker(
        home_page,
        "Sanctuary policy reversal",
        events=[
            event_fields(datetime.date(2017, 1, 26), title="Mayor signs the order"),
            event_fields(datetime.date(2017, 2, 17), kind="vote", title="Vote"),
        ],
        figures=[FIGURE],
    )
    add_to_tracker(make_story(story_index, "Calls rerouted"), tracker)
    return tracker


def test_trackers_endpoint_lists_live_trackers_with_figures_and_events(
    client, home_page, tracker
):
    draft = make_tracker(home_page, "Unpublished tracker")
    draft.unpublish()

    listing = get_json(client, "/api/trackers/?fields=*")

    [item] = listing["items"]
    assert item["title"] == "Sanctuary policy reversal"
    assert item["summary"] == "An issue we follow."
    assert (item["status"], item["status_label"]) == ("active", "Active")
    assert item["figures"][0]["value"] == "1200.00"
    assert item["figures"][0]["value_to"] == "1500.00"
    assert [event["title"] for event in item["events"]] == [
        "Mayor signs the order",
        "Vote",
    ]
    assert "timeline" not in item
    get_json(client, f"/api/trackers/{draft.pk}/", status=404)


def test_tracker_detail_has_its_merged_timeline_newest_first(client, tracker):
    detail = get_json(client, f"/api/trackers/{tracker.pk}/")

    timeline = detail["timeline"]
    assert timeline["total_count"] == 3
    assert [item["kind"] for item in timeline["items"]] == [
        "story",
        "vote",
        "decision",
    ]
    vote = timeline["items"][1]
    assert vote["date"] == "2017-02-17"
    assert vote["permalink"].endswith(f"{tracker.url}?at={vote['anchor']}")
    assert timeline["timelinejs_url"].endswith(
        f"/trackers/{tracker.slug}/timeline.json"
    )


def test_stories_statements_and_requests_filter_by_tracker(
    client, story_index, tracker
):
    office = make_source("Office of the Mayor")
    make_statement(office, quote="Linked.", tracker=tracker)
    make_statement(office, quote="Not linked.")
    make_request(office, tracker=tracker, public_summary="Asked about it.")
    make_request(office, public_summary="Asked about something else.")
    make_story(story_index, "Elsewhere")

    def items(url):
        return get_json(client, f"{url}?tracker={tracker.pk}&fields=*")["items"]

    assert [s["title"] for s in items("/api/stories/")] == ["Calls rerouted"]
    assert [s["quote"] for s in items("/api/statements/")] == ["Linked."]
    assert [r["public_summary"] for r in items("/api/requests-for-comment/")] == [
        "Asked about it."
    ]


def test_an_unpublished_tracker_is_a_400_for_the_tracker_filter(client, tracker):
    tracker.unpublish()

    body = get_json(client, f"/api/stories/?tracker={tracker.pk}", status=400)

    assert "tracker" in body["message"]


@pytest.mark.slow
def test_tracker_detail_query_count_does_not_grow_with_the_timeline(
    client, home_page, story_index, django_assert_max_num_queries
):
    def tracker_with(count):
        tracker = make_tracker(
            home_page,
            events=[event_fields(datetime.date(2017, 1, 1))] * count,
            figures=[FIGURE] * count,
        )
        for _ in range(count):
            story = make_story(story_index)
            add_to_tracker(story, tracker)
            make_update(story, kind="correction")
        return tracker

    small, large = tracker_with(2), tracker_with(20)
    with django_assert_max_num_queries(16):
        get_json(client, f"/api/trackers/{small.pk}/")
    with django_assert_max_num_queries(16):
        assert (
            get_json(client, f"/api/trackers/{large.pk}/")["timeline"]["total_count"]
            == 60
        )
