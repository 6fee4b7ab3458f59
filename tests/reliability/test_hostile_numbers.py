"""Every number a reader or API client sends gets a 4xx when it is no number
the page can use, never a 5xx.

Python's `int()` reads more than ASCII digits (`int("\u0663")` is 3, `int("²")`
raises although `"²".isdigit()` is true), and a number past 64 bits makes the
database raise rather than find nothing. Each public numeric parameter, in a
query string or a path, is swept with those.
"""

import datetime
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.endpoints import ENDPOINTS
from api.filters import PublicObject
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

pytestmark = pytest.mark.django_db

NUMBERS = [
    "²",
    "\u0663",  # ARABIC-INDIC DIGIT THREE: int() reads it as 3
    "\u0661\u0662",
    "\u09e9",  # BENGALI DIGIT THREE
    "\uff13",  # FULLWIDTH DIGIT THREE
    "\U0001d7d7",  # MATHEMATICAL BOLD DIGIT NINE
    str(10**30),
    str(2**63),
    str(2**63 - 1),
    "9" * 19,
    "9" * 400,
    "-1",
    "-0",
    "+1",
    "0",
    "00000000000000000000001",
    "1.5",
    "1e3",
    "1e400",
    "0x10",
    "1_000",
    " 1",
    "1 ",
    "NaN",
    "inf",
    "-" + "9" * 30,
    "",
]


@pytest.fixture
def published(story_index, home_page):
    author = make_author("Numbers Author", slug="numbers-author")
    story = make_story(story_index, authors=[author], tags=["county"])
    source = make_source("Numbers Office", slug="numbers-office")
    make_statement(source)
    make_request(source, story=story)
    make_update(story, kind="correction")
    tracker = make_tracker(home_page, events=[event_fields(datetime.date(2024, 5, 1))])
    publish_new_version(story, paragraphs=["A second version."], trackers=[tracker])
    return {"story": story, "tracker": tracker}


def reader_urls(published, number):
    """Every public address that reads a number, with `number` in its place."""
    story = published["story"].url
    tracker = published["tracker"].url
    page = urlencode({"page": number})
    in_path = quote(number, safe="")
    return [
        f"/stories/?{page}",
        f"/tags/county/?{page}",
        f"/authors/numbers-author/?{page}",
        f"/sources/?{page}",
        f"/sources/?q=office&{page}",
        f"/sources/numbers-office/?{page}",
        f"/corrections/?{page}",
        f"/corrections/?kind=correction&{page}",
        f"/search/?q=office&type=sources&{page}",
        f"/search/?q=story&type=stories&{page}",
        f"{tracker}?{page}",
        f"{tracker}?{urlencode({'at': f'event-{number}'})}",
        f"/record/?{page}",
        f"/record/?{urlencode({'after': number})}",
        f"/record/log.json?{urlencode({'after': number})}",
        f"/feeds/stories/?{page}",
        f"{story}history/{in_path}/1/",
        f"{story}history/1/{in_path}/",
        f"{story}history/{in_path}.json/",
        f"{story}?{page}",
    ]


def api_urls(number):
    value = quote(number, safe="")
    for endpoint, view in ENDPOINTS.items():
        yield f"/api/{endpoint}/?limit={value}"
        yield f"/api/{endpoint}/?offset={value}"
        yield f"/api/{endpoint}/{value}/"
        for query_filter in view.query_filters:
            if isinstance(query_filter, PublicObject):
                yield f"/api/{endpoint}/?{query_filter.parameter}={value}"


def assert_no_server_error(client, url):
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    return response


# About 1,500 requests: over 30 s.
@pytest.mark.slow
def test_no_number_in_a_public_address_is_a_server_error(client, published):
    for number in NUMBERS:
        for url in [*reader_urls(published, number), *api_urls(number)]:
            assert_no_server_error(client, url)


NOT_PLAIN_DIGITS = ["²", "\u0663", "\uff13", "-1", "1.5", "0x10", " 1", "1e3"]


def test_a_number_that_is_not_plain_digits_is_refused(client, published):
    for number in NOT_PLAIN_DIGITS:
        value = quote(number, safe="")
        for endpoint in ENDPOINTS:
            for parameter in ["limit", "offset"]:
                url = f"/api/{endpoint}/?{parameter}={value}"
                assert assert_no_server_error(client, url).status_code == 400, url
        url = f"/record/log.json?after={value}"
        assert assert_no_server_error(client, url).status_code == 400, url
        for url in ["/stories/", "/sources/", "/corrections/", "/record/"]:
            response = assert_no_server_error(client, f"{url}?page={value}")
            assert response.status_code == 404, (url, number)


def test_a_number_past_64_bits_is_a_4xx(client, published):
    huge = str(10**30)
    story = published["story"].url
    for url in [
        f"/record/log.json?after={huge}",
        f"/record/?page={huge}",
        f"/stories/?page={huge}",
        f"{story}history/{huge}/1/",
        f"{story}history/{huge}.json/",
        f"/api/stories/?offset={huge}",
        f"/api/sources/{huge}/",
        f"/api/stories/?source={huge}",
    ]:
        assert 400 <= assert_no_server_error(client, url).status_code < 500, url


def test_every_api_endpoint_answers_every_field(client, published):
    for endpoint in ENDPOINTS:
        response = client.get(f"/api/{endpoint}/?fields=*")
        assert response.status_code == 200, endpoint
        for item in response.json()["items"]:
            detail = client.get(f"/api/{endpoint}/{item['id']}/?fields=*")
            assert detail.status_code == 200, (endpoint, item["id"])


# Hypothesis: about 60 addresses for each of its examples.
@pytest.mark.slow
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    number=st.one_of(
        st.integers(min_value=-(2**100), max_value=2**100).map(str),
        st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1),
        st.sampled_from(NUMBERS),
    )
)
def test_any_number_anywhere_is_never_a_server_error(client, published, number):
    for url in [*reader_urls(published, number), *api_urls(number)]:
        assert_no_server_error(client, url)
