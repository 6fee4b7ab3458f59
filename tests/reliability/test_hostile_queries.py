"""Any text in any public query parameter or path gets an answer, never a 5xx.

Property-based: hypothesis throws unicode, huge strings, NUL bytes and markup
at every reader URL and parameter that exists, through the real Django stack.
Input no page can use gets a clear 4xx.
"""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_author, make_source, make_statement, make_story

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def published(story_index):
    author = make_author("Hostile Input Author", slug="hostile-author")
    story = make_story(story_index, authors=[author], tags=["county"])
    office = make_source("Mayor's office", slug="mayors-office")
    make_source("Spokesperson", slug="spokesperson", organisation=office)
    make_statement(office)
    return {"story": story, "author": author, "source": office}


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
