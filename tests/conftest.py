"""Fixtures shared by the whole suite."""

import os
import shutil
from pathlib import Path

import pytest

from stories.demo import ensure_home_page
from tests.factories import make_story_index, make_user

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


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
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django keeps connections per async context, and Playwright's sync API
    # runs later tests in a context of its own. The snapshot of the migrated
    # database that serialized_rollback restores lives on the first context's
    # connection; carry it over so transactional tests get their groups and
    # root page back after the database is flushed.
    snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            if snapshot and not hasattr(
                connections[alias], "_test_serialized_contents"
            ):
                connections[alias]._test_serialized_contents = snapshot
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
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
