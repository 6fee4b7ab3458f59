"""Any text in any public query parameter or path gets an answer, never a 5xx.

Property-based: hypothesis throws unicode, huge strings, NUL bytes and markup
at every reader URL and parameter that exists, through the real Django stack.
Input no page can use gets a clear 4xx.
"""

import datetime
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.endpoints import ENDPOINTS
from tests.factories import (
    event_fields,
    make_author,
    make_request,
    make_source,
    make_statement,
    make_story,
    make_tracker,
    make_update,
    publish_new_version,
)

# Hypothesis tries dozens of inputs on every parameter: over 20 s in all.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HOSTILE = [
    "",
    "\x00",
    "a\x00b",
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "javascript:alert(1)",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "-1",
    "0",
    "1e400",
    "9" * 5000,
    "NaN",
    "\u202e\u0000\ufeff",
    "😀" * 100,
    "& | ! : * ( ) <->",
]

any_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=80),
    st.builds(
        lambda chunk, times: chunk * times,
        st.text(min_size=1, max_size=4),
        st.integers(min_value=100, max_value=20_000),
    ),
)
fuzz = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


# Ids as a client may send them: real-looking, zero, negative, and past the
# range of a database integer.
any_id = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    any_text,
)


@pytest.fixture
def published(story_index, home_page):
    author = make_author("Hostile Input Author", slug="hostile-author")
    story = make_story(story_index, authors=[author], tags=["county"])
    office = make_source("Mayor's office", slug="mayors-office")
    make_source("Spokesperson", slug="spokesperson", organisation=office)
    make_statement(office)
    make_request(office, story=story)
    make_update(story, kind="correction")
    tracker = make_tracker(home_page, events=[event_fields(datetime.date(2024, 5, 1))])
    publish_new_version(story, paragraphs=["A second version."], trackers=[tracker])
    return {"story": story, "author": author, "source": office, "tracker": tracker}


def assert_answered(client, url, params=None):
    if params:
        url = f"{url}?{urlencode(params)}"
    response = client.get(url)
    assert response.status_code < 500, (url[:300], response.status_code)
    return response


@fuzz
@given(page=any_text, tag=any_text)
def test_story_index_parameters_never_fail(client, published, page, tag):
    assert_answered(client, "/stories/", {"page": page, "tag": tag})


@fuzz
@given(tag=any_text, page=any_text)
def test_tag_pages_never_fail(client, published, tag, page):
    assert_answered(client, f"/tags/{quote(tag, safe='')}/", {"page": page})


@fuzz
@given(slug=any_text, page=any_text)
def test_author_pages_never_fail(client, published, slug, page):
    assert_answered(client, f"/authors/{quote(slug, safe='')}/", {"page": page})
    assert_answered(client, "/authors/hostile-author/", {"page": page})


@fuzz
@given(kind=any_text, organisation=any_text, q=any_text, page=any_text)
def test_source_index_parameters_never_fail(
    client, published, kind, organisation, q, page
):
    params = {"kind": kind, "organisation": organisation, "q": q, "page": page}
    assert_answered(client, "/sources/", params)
    assert_answered(client, "/sources/", {"q": q})


@fuzz
@given(slug=any_text, period=any_text, page=any_text)
def test_source_pages_never_fail(client, published, slug, period, page):
    assert_answered(client, f"/sources/{quote(slug, safe='')}/")
    assert_answered(client, "/sources/mayors-office/", {"period": period, "page": page})


@fuzz
@given(path=st.lists(any_text, min_size=1, max_size=3), extra=any_text)
def test_wagtail_page_paths_never_fail(client, published, path, extra):
    segments = "/".join(quote(segment, safe="") for segment in path)
    assert_answered(client, f"/{segments}/", {"x": extra})
    assert_answered(client, f"/stories/{segments}/")
    assert_answered(client, published["story"].url, {"page": extra})


@fuzz
@given(q=any_text, kind=any_text, page=any_text)
def test_site_search_parameters_never_fail(client, published, q, kind, page):
    assert_answered(client, "/search/", {"q": q, "type": kind, "page": page})
    for group in ("stories", "statements", "sources"):
        assert_answered(client, "/search/", {"q": q, "type": group, "page": page})


@fuzz
@given(kind=any_text, page=any_text)
def test_corrections_log_parameters_never_fail(client, published, kind, page):
    assert_answered(client, "/corrections/", {"kind": kind, "page": page})
    assert_answered(client, "/corrections/", {"kind": "correction", "page": page})


@fuzz
@given(old=any_id, new=any_id, extra=any_text)
def test_history_and_diff_with_any_ids_never_fail(client, published, old, new, extra):
    story_url = published["story"].url
    assert_answered(client, f"{story_url}history/", {"x": extra})
    assert_answered(
        client, f"{story_url}history/{quote(old, safe='')}/{quote(new, safe='')}/"
    )


@fuzz
@given(
    kinds=st.lists(any_text, max_size=3),
    order=any_text,
    page=any_text,
    at=any_text,
    anchor_id=any_id,
)
def test_tracker_timeline_parameters_never_fail(
    client, published, kinds, order, page, at, anchor_id
):
    url = published["tracker"].url
    for params in [
        {"kind": kinds, "order": order, "page": page, "at": at},
        {"kind": kinds},
        {"order": order},
        {"page": page},
        {"at": at},
        {"at": f"event-{anchor_id}"},
    ]:
        assert_answered(client, f"{url}?{urlencode(params, doseq=True)}")


@fuzz
@given(slug=any_text, extra=any_text)
def test_tracker_timelinejs_export_never_fails(client, published, slug, extra):
    assert_answered(client, f"/trackers/{quote(slug, safe='')}/timeline.json")
    tracker_slug = published["tracker"].slug
    assert_answered(client, f"/trackers/{tracker_slug}/timeline.json", {"x": extra})


@fuzz
@given(extra=any_text, tail=any_text)
def test_feeds_never_fail(client, published, extra, tail):
    for url in ["/feeds/stories/", "/feeds/stories/atom/"]:
        assert_answered(client, url, {"page": extra, "x": extra})
    assert_answered(client, f"/feeds/{quote(tail, safe='')}/")


def _api_parameters():
    parameters = {"limit", "offset", "fields", "order", "rich_text_format"}
    for endpoint in ENDPOINTS.values():
        for query_filter in endpoint.query_filters:
            parameters.update(query_filter.parameters)
    return sorted(parameters)


@fuzz
@given(
    endpoint=st.sampled_from(sorted(ENDPOINTS)),
    filters=st.dictionaries(
        st.sampled_from(_api_parameters()), st.one_of(any_id, any_text), max_size=3
    ),
)
def test_api_listing_filters_never_fail(client, published, endpoint, filters):
    response = assert_answered(client, f"/api/{endpoint}/", filters)
    assert response["Content-Type"].startswith("application/json")


@fuzz
@given(endpoint=st.sampled_from(sorted(ENDPOINTS)), pk=any_id)
def test_api_detail_with_any_id_never_fails(client, published, endpoint, pk):
    assert_answered(client, f"/api/{endpoint}/{quote(pk, safe='')}/")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "/search/?q=mayor&type=planets",
            "Choose stories, statements, sources, events or trackers",
        ),
        (f"/search/?q={'word ' * 60}", "too long"),
        ("/corrections/?kind=retraction", "Page not found"),
        ("/api/statements/?said_after=2024-13-45", "must be an ISO 8601 date"),
        ("/api/stories/?source=99999999999999999999999", "must be a numeric id"),
        ("/api/stories/?source=123456", "no public source with id 123456"),
        ("/api/sources/?kind=planet", "kind must be one of"),
        ("/api/stories/?colour=red", "unknown query parameter"),
    ],
)
def test_malformed_dates_and_unknown_ids_get_a_clear_4xx(
    client, published, url, message
):
    response = client.get(url)

    assert 400 <= response.status_code < 500, (url, response.status_code)
    assert message in response.content.decode()


def test_an_unknown_version_in_a_diff_is_a_404(client, published):
    response = client.get(f"{published['story'].url}history/1/99999999999/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=rumour", "There is no kind of event called"),
        ("order=sideways", "The order must be"),
        ("page=-3", "is not a page number"),
        ("page=999", "This timeline has no page 999"),
        ("at=event-99999999999999999999", "event"),
        ("at=<script>", "is not the name of a timeline event"),
    ],
)
def test_bad_tracker_parameters_get_a_clear_4xx(client, published, query, message):
    response = client.get(f"{published['tracker'].url}?{query}")

    assert 400 <= response.status_code < 500, (query, response.status_code)
    assert message in response.content.decode()


def test_an_oversized_api_id_is_a_404_not_a_database_error(client, published):
    for endpoint in ENDPOINTS:
        response = client.get(f"/api/{endpoint}/99999999999999999999999/")
        assert response.status_code == 404, endpoint


def test_a_huge_api_offset_is_a_400_not_a_database_error(client, published):
    for endpoint in ENDPOINTS:
        response = client.get(f"/api/{endpoint}/?offset=1384862695680687982247936")
        assert response.status_code == 400, endpoint
        assert "offset cannot be higher" in response.json()["message"]


def test_an_api_address_with_a_newline_is_a_json_404(client, published):
    response = client.get("/api/statements/a%0Ab/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_the_api_refuses_a_nul_byte_in_json(client, published):
    response = client.get("/api/sources/?kind=a%00b")

    assert response.status_code == 400
    assert "not allowed" in response.json()["message"]


def test_an_oversized_search_gets_a_clear_400(client, published):
    response = client.get("/sources/", {"q": "mayor " * 200})

    assert response.status_code == 400
    assert "longer than 500 characters" in response.content.decode()


def test_a_nul_byte_in_a_parameter_or_path_gets_a_clear_400(client, published):
    for url in ["/sources/?q=a%00b", "/stories/%00/", "/tags/a%00/"]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert "not allowed" in response.content.decode()


def test_a_malformed_period_gets_a_clear_400(client, published):
    response = client.get("/sources/mayors-office/", {"period": "2024-13-45"})

    assert response.status_code == 400
    assert "Unknown period" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/sources/no-such-source/",
        "/authors/no-such-author/",
        "/tags/no-such-tag/",
        "/stories/no-such-story/",
        "/stories/?page=999",
        "/sources/?kind=planet",
    ],
)
def test_unknown_ids_get_a_404_page(client, published, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("q", ["window.__xss", 'say "hi', "a:b", "<>", "AND OR NOT"])
def test_search_punctuation_is_not_query_syntax(client, published, q):
    response = client.get("/sources/", {"q": q})

    assert response.status_code == 200


@fuzz
@given(page_id=any_id, token=any_text, text=any_text, email=any_text, extra=any_text)
def test_reader_participation_never_fails(
    client, published, page_id, token, text, email, extra, settings
):
    settings.PARTICIPATION_RATE_LIMIT = "10000/m"
    pk = quote(page_id, safe="")
    story_pk = published["story"].pk
    report = {"what_is_wrong": text, "where": extra, "email": email, "website": ""}
    follow = {"email": email, "website": extra}
    for path, data in [
        (f"/report/{pk}/", report),
        (f"/report/{story_pk}/", report),
        (f"/follow/{pk}/", follow),
        (f"/follow/{story_pk}/", follow),
        (f"/follow/confirm/{quote(token, safe='')}/", {}),
        (f"/follow/unsubscribe/{quote(token, safe='')}/", {"List-Unsubscribe": text}),
        (f"/follow/manage/{quote(token, safe='')}/", {"follow": extra}),
        ("/follow/manage/", follow),
    ]:
        assert_answered(client, path, {"x": extra})
        response = client.post(path, data)
        assert response.status_code < 500, (path[:300], response.status_code)
    assert_answered(client, "/report/sent/", {"page": page_id, "ack": extra})
    assert_answered(client, "/corrections/policy/", {"page": extra})
