"""Ordinary input never answers 500: a superscript digit, a request's own page.

`"²".isdigit()` is true but `int("²")` fails, so every number read from a
query string is checked as ASCII digits first.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from sources.models import RequestForComment
from tests.factories import make_source, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


@pytest.mark.parametrize(
    "endpoint", ["stories", "sources", "statements", "requests-for-comment"]
)
def test_a_superscript_offset_is_a_400(client, demo, endpoint):
    assert client.get(f"/api/{endpoint}/?offset=²").status_code == 400


def test_a_superscript_page_on_a_tracker_is_a_4xx(client, demo):
    tracker = client.get("/api/trackers/").json()["items"][0]
    url = "/" + tracker["meta"]["html_url"].split("://", 1)[1].split("/", 1)[1]
    assert client.get(url).status_code == 200
    assert client.get(f"{url}?page=²").status_code in {400, 404}


def test_every_request_for_comment_has_an_api_page(client, demo):
    for request in RequestForComment.objects.visible_to_readers():
        for query in ["", "?fields=*"]:
            response = client.get(f"/api/requests-for-comment/{request.pk}/{query}")
            assert response.status_code == 200, (request.pk, query)
        assert request.get_absolute_url().endswith(f"#request-{request.pk}")


def test_a_superscript_source_in_the_prefill_is_ignored(client):
    client.force_login(make_user("eddie", group="Editors"))
    make_source("Miami-Dade County 311 call centre")
    url = reverse("wagtailsnippets_sources_requestforcomment:add")
    assert client.get(f"{url}?source=²").status_code == 200
