"""schemathesis against /api/schema/: no operation of the API answers a 5xx.

Schemathesis reads the OpenAPI description the API publishes and generates
requests from it (valid values, then edge cases and values the schema does not
allow), sent through the real Django WSGI application and database. Every
response is checked: no server error, a status code and content type the
description lists, and a body that matches its response schema. A few dozen
examples per operation keep it to seconds.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import (
    make_request,
    make_source,
    make_statement,
    make_story,
    make_update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The description is built from the endpoints' declarations alone, without
# the database, so it can be read while the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())


@pytest.fixture(autouse=True)
def published(story_index):
    office = make_source("Mayor's office", slug="mayors-office")
    centre = make_source("311 centre", slug="311-centre")
    make_source("Spokesperson", slug="spokesperson", organisation=office)
    story = make_story(story_index, tags=["county"])
    statement = make_statement(office)
    make_statement(office, earlier_statement=statement, reversal_kind="reverses")
    make_request(office, story=story, outcome="referred", referred_to=centre)
    make_update(story, kind="correction")


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """Requests go through a bare WSGI handler, which closes the database
    connection when a request ends, and with it the test's transaction; Django's
    test client holds these signals off the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_api_operation_answers_a_server_error_or_breaks_its_schema(case):
    # Every other check runs: no server error, documented status codes and
    # content types, bodies that match their schemas. Not "valid data is
    # accepted": an id is a schema-valid integer yet may name nothing public,
    # and an empty or malformed date is a string; the API answers both with a
    # documented 400 and a message, which is what we want.
    # Asked for plainly: the bare WSGI transport does not decode a compressed
    # body, as an HTTP client does (compression: tests/performance).
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"},
        excluded_checks=[positive_data_acceptance],
    )
