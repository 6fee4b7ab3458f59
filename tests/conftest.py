"""Fixtures shared by the whole suite."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connections
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import sync_playwright

from core import visibility
from newsroom.scaffold import ensure_home_page
from tests import servers
from tests.factories import make_story_index, make_user

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"

# CI runs the property-based tests on a fixed sequence of examples, so a run
# that lands is a run that can be repeated; local runs keep exploring anew.
hypothesis_settings.register_profile("ci", derandomize=True)
if IN_CI:
    hypothesis_settings.load_profile("ci")

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Markers (declared in pyproject.toml; `make test-fast` leaves out all three):
# - `browser` is added here to every test using the `browser` fixture (directly
#   or through `page`), so a browser test cannot miss it;
# - `servers` is set by hand, and tests/servers.py fails a test that starts
#   gunicorn, PostgreSQL or Redis without it;
# - `slow` is set by hand on any other test that takes more than about 2 s
#   (`pytest --durations=20` shows the slowest).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Tell tests/servers.py which test is running, to check its marker."""
    servers.current_test = item
    try:
        return (yield)
    finally:
        servers.current_test = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep serialized rollbacks working once Playwright has started.

    Playwright's sync API runs the rest of the session in a greenlet whose
    context gets fresh Django connection objects, which lack the snapshot of the
    migrated data that transactional tests restore. Holding the snapshot on the
    connection class lets every new connection object find it.
    """
    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    # A rolled-back test deletes view restrictions without a signal.
    visibility.forget()


@pytest.fixture
def home_page(db):
    page, _created = ensure_home_page()
    return page


@pytest.fixture
def story_index(home_page):
    return make_story_index(home_page)


@pytest.fixture
def reporter(db):
    return make_user("rita", group="Reporters")


@pytest.fixture
def editor(db):
    return make_user("eddie", group="Editors")


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright.

    Skips where Chromium is missing, except in CI, where a skipped browser test
    would hide a broken check, so it fails instead.
    """
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reason = (
            f"Chromium not found at {CHROMIUM} "
            "(set CHROMIUM_PATH, or apt-get install chromium)"
        )
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    # Every wait for an element or a page has this generous deadline.
    tab.set_default_timeout(30_000)
    yield tab
    context.close()
