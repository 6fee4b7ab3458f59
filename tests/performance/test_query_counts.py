"""Reader pages cost the same number of queries whatever the amount of data.

Fills the pages the other suites measure at one size only, at two sizes ten
times apart: the bound is the same for both.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import (
    make_request,
    make_source,
    make_statement,
    make_story,
    make_tracker,
    make_update,
    publish_new_version,
)
from tests.stories.test_lead_image import make_image

BOUND = 16
# What lead images add to a page that lists stories, at any number of them:
# their renditions, and the collections under a view restriction
# (core.visibility). The images themselves are joined into the stories' query.
LEAD_IMAGE_QUERIES = 2
# A story page rendered afresh as `make bench` measures it uncached: the page
# cache on but bypassed, so the site, the sections and the view restrictions
# come from the shared cache, as on a running site. Its queries: the story
# (with its newest log entry, and whether it has requests for comment), its
# updates, trackers, tags, byline, quoted statements, requests for comment,
# their follow-ups, and related stories. A story without statements or
# requests runs six.
STORY_PAGE_BOUND = 9
# The lead image's renditions, for the page and its link previews.
STORY_LEAD_IMAGE_QUERIES = 1
BYPASS = "X-Bypass-Page-Cache"


@pytest.fixture
def rendered_afresh(settings):
    """`get(client, url)`: a story page as `make bench` gets it uncached. Call
    it once first, to fill the shared cache as on a running site."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_BYPASS_HEADER = BYPASS

    def get(client, url):
        return client.get(url, headers={BYPASS: "1"})

    return get


@pytest.mark.parametrize("count", [5, 50])
def test_source_index_runs_a_bounded_number_of_queries(
    client, db, count, django_assert_max_num_queries
):
    office = make_source("County office", slug="county-office")
    for n in range(count):
        make_source(f"Member {n}", organisation=office)

    with django_assert_max_num_queries(BOUND):
        response = client.get("/sources/")

    assert response.status_code == 200
    assert "Member 0" in response.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_history_and_diff_cost_the_same_at_any_number_of_versions(
    client, story_index, count, django_assert_max_num_queries
):
    story = make_story(story_index, paragraphs=["Version 1."])
    revisions = [
        publish_new_version(story, paragraphs=[f"Version {n}."])
        for n in range(2, count + 1)
    ]

    with django_assert_max_num_queries(BOUND):
        history = client.get(story.url + "history/")
    with django_assert_max_num_queries(BOUND):
        diff = client.get(f"{story.url}history/{revisions[0].pk}/{revisions[-1].pk}/")

    assert history.content.decode().count("Version ") >= count
    assert diff.status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_story_page_costs_the_same_at_any_number_of_updates_and_requests(
    client, story_index, count, django_assert_max_num_queries
):
    story = make_story(story_index)
    source = make_source()
    for n in range(count):
        make_update(story, f"Update number {n}.")
        make_request(source, story=story, public_summary=f"Request {n}.")

    with django_assert_max_num_queries(BOUND):
        response = client.get(story.url)

    assert response.content.decode().count("Update number") == count


def data_point(n):
    return {
        "value": Decimal(n + 1),
        "unit": "calls",
        "label": f"Data point {n}",
        "as_of": datetime.date(2017, 2, 6),
        "precision": "day",
        "source": "County records",
    }


@pytest.mark.parametrize("count", [2, 20])
def test_a_story_page_rendered_afresh_costs_the_same_at_any_amount_on_it(
    client,
    home_page,
    story_index,
    count,
    rendered_afresh,
    django_assert_max_num_queries,
):
    """Quoted statements, data points, requests for comment and follow-ups,
    updates, trackers, tags and related stories, all on one page."""
    source, centre = make_source(), make_source("The 311 centre")
    trackers = [make_tracker(home_page) for _ in range(count)]
    story = make_story(story_index, tags=[f"tag {n}" for n in range(count)])
    statements = [make_statement(source, quote=f"Said {n}.") for n in range(count)]
    publish_new_version(
        story,
        trackers=trackers,
        body=[
            *(("statement", statement) for statement in statements),
            *(("data_point", data_point(n)) for n in range(count)),
        ],
    )
    for n in range(count):
        make_update(story, f"Update number {n}.")
        referral = make_request(
            source,
            story=story,
            outcome="referred",
            referred_to=centre,
            answered_at=timezone.now(),
            public_summary=f"Request {n}.",
        )
        make_request(centre, story=story, follow_up_of=referral)
        other = make_story(story_index, f"Related {n}", tags=[f"tag {n}"])
        publish_new_version(other, trackers=trackers[n : n + 1])
    rendered_afresh(client, story.url)

    with django_assert_max_num_queries(STORY_PAGE_BOUND):
        response = rendered_afresh(client, story.url)

    html = response.content.decode()
    assert response["X-Cache"] == "MISS"
    assert html.count('class="statement"') == count
    assert html.count('class="data-point"') == count
    assert html.count("Update number") == count
    assert html.count("We followed up with") == count
    assert html.count('class="related__item"') == min(count, 5)


@pytest.mark.parametrize("count", [2, 20])
def test_a_story_without_statements_or_requests_rendered_afresh_runs_six_queries(
    client,
    home_page,
    story_index,
    count,
    rendered_afresh,
    django_assert_max_num_queries,
):
    tracker = make_tracker(home_page)
    story = make_story(story_index, tags=[f"tag {n}" for n in range(count)])
    publish_new_version(story, trackers=[tracker])
    for n in range(count):
        make_update(story, f"Update number {n}.")
        make_story(story_index, f"Related {n}", tags=[f"tag {n}"])
    rendered_afresh(client, story.url)

    with django_assert_max_num_queries(6):
        response = rendered_afresh(client, story.url)

    html = response.content.decode()
    assert html.count("Update number") == count
    assert html.count('class="related__item"') == min(count, 5)
    assert 'class="record-stamp"' in html


@pytest.mark.parametrize("count", [2, 20])
def test_a_story_page_rendered_afresh_adds_one_query_for_its_lead_image(
    client, story_index, count, rendered_afresh, django_assert_max_num_queries
):
    story = make_story(story_index, tags=["pictured"])
    for n in range(count):
        make_update(story, f"Update number {n}.")
        make_story(story_index, f"Related {n}", tags=["pictured"])
    publish_new_version(
        story,
        lead_image=make_image("Lead"),
        lead_image_alt="Alt",
        lead_image_caption="Caption",
        lead_image_credit="Credit",
    )
    rendered_afresh(client, story.url)

    with django_assert_max_num_queries(STORY_PAGE_BOUND + STORY_LEAD_IMAGE_QUERIES):
        response = rendered_afresh(client, story.url)

    html = response.content.decode()
    assert 'class="lead-image"' in html
    assert 'property="og:image"' in html


@pytest.mark.parametrize("count", [3, 30])
def test_source_page_costs_the_same_at_any_number_of_statements(
    client, db, count, django_assert_max_num_queries
):
    source = make_source()
    for n in range(count):
        make_statement(source, quote=f"Statement number {n}.")

    with django_assert_max_num_queries(BOUND):
        response = client.get(source.get_absolute_url())

    assert response.content.decode().count("Statement number") == count


@pytest.mark.parametrize("count", [2, 20])
def test_story_page_costs_the_same_at_any_number_of_trackers_and_related_stories(
    client, home_page, story_index, count, django_assert_max_num_queries
):
    trackers = [make_tracker(home_page) for _ in range(count)]
    story = make_story(story_index, tags=[f"tag {n}" for n in range(count)])
    publish_new_version(story, trackers=trackers)
    for n in range(count):
        other = make_story(story_index, f"Related {n}", tags=[f"tag {n}"])
        publish_new_version(other, trackers=trackers[n : n + 1])

    with django_assert_max_num_queries(BOUND):
        response = client.get(story.url)

    html = response.content.decode()
    assert html.count('class="related__item"') == min(count, 5)
    assert "Part of our tracking of" in html


@pytest.mark.parametrize("count", [2, 20])
def test_corrections_log_links_each_versions_diff_in_a_bounded_number_of_queries(
    client, story_index, count, django_assert_max_num_queries
):
    for n in range(count):
        story = make_story(story_index)
        make_update(story, f"Correction {n}.", kind="correction", publish=False)
        publish_new_version(story, paragraphs=[f"Fixed {n}."])

    with django_assert_max_num_queries(BOUND):
        response = client.get("/corrections/")

    assert response.content.decode().count("What changed in version 2") == count


@pytest.mark.parametrize("count", [2, 20])
def test_home_page_costs_the_same_at_any_amount_of_news(
    client, home_page, story_index, count, django_assert_max_num_queries
):
    source = make_source()
    for n in range(count):
        tracker = make_tracker(home_page, f"Tracker {n}")
        story = make_story(story_index, f"Story {n}")
        publish_new_version(story, trackers=[tracker])
        make_update(story, f"Correction {n}.", kind="correction")
        make_statement(source, quote=f"Statement {n}.", tracker=tracker)

    with django_assert_max_num_queries(BOUND):
        response = client.get("/")

    html = response.content.decode()
    assert html.count('class="story-list__item"') == min(count, 10)
    assert html.count('class="tracker-list__item"') == min(count, 5)
    assert html.count("<q>Statement ") == min(count, 5)
    assert html.count("#update-") == min(count, 5)


@pytest.mark.parametrize("count", [2, 20])
def test_story_lists_with_lead_images_cost_the_same_at_any_length(
    client, home_page, story_index, count, django_assert_max_num_queries
):
    tracker = make_tracker(home_page)
    for n in range(count):
        story = make_story(story_index, f"Pictured {n}", tags=["pictured"])
        publish_new_version(
            story,
            trackers=[tracker],
            lead_image=make_image(f"Image {n}"),
            lead_image_alt=f"Alt {n}",
            lead_image_caption=f"Caption {n}",
            lead_image_credit="Data desk",
        )
    lists = ["/", "/stories/", "/stories/?tag=pictured", "/tags/pictured/", tracker.url]
    for url in lists:
        client.get(url)  # the first visit makes the renditions; later ones reuse them

    for url in lists:
        with django_assert_max_num_queries(BOUND + LEAD_IMAGE_QUERIES):
            response = client.get(url)
        # The home page and a tracker show the latest ten.
        shown = min(count, 10) if url in ("/", tracker.url) else count
        assert response.content.decode().count("story-list__thumbnail") == shown, url


@pytest.mark.parametrize("count", [2, 20])
def test_a_story_page_with_a_lead_image_costs_the_same_at_any_number_of_updates(
    client, story_index, count, django_assert_max_num_queries
):
    story = make_story(story_index)
    for n in range(count):
        make_update(story, f"Update number {n}.")
    publish_new_version(
        story,
        lead_image=make_image("Lead"),
        lead_image_alt="Alt",
        lead_image_caption="Caption",
        lead_image_credit="Credit",
    )
    client.get(story.url)

    with django_assert_max_num_queries(BOUND + LEAD_IMAGE_QUERIES):
        response = client.get(story.url)

    assert 'class="lead-image"' in response.content.decode()


@pytest.mark.parametrize("count", [12, 120])
def test_tracker_timeline_surfaces_cost_the_same_at_any_timeline_length(
    client, home_page, story_index, count, django_assert_max_num_queries
):
    source = make_source()
    tracker = make_tracker(
        home_page,
        events=[
            {
                "kind": "letter",
                "title": f"Letter {n}",
                "start_date": datetime.date(2017, 1, 1),
            }
            for n in range(count // 2)
        ],
    )
    story = make_story(story_index)
    publish_new_version(story, trackers=[tracker])
    for n in range(count // 12):
        make_statement(source, quote=f"Statement {n}.", tracker=tracker)
        make_request(source, tracker=tracker, public_summary=f"Request {n}.")
    pages = [
        tracker.url,
        f"{tracker.url}?order=newest&kind=letter&kind=statement",
        f"{tracker.url}embed/",
        f"{tracker.url}feed/",
        f"/api/trackers/{tracker.pk}/",
    ]

    for url in pages:
        with django_assert_max_num_queries(BOUND):
            response = client.get(url)
        assert response.status_code == 200, url
    with django_assert_max_num_queries(BOUND):
        permalink = client.get(tracker.url, {"at": f"story-{story.pk}"})
    assert permalink.status_code == 302
