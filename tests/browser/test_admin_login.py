"""A person opens the site and logs into the admin as the demo editor."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_editor_logs_into_the_admin_and_sees_the_dashboard(
    live_server, page, monkeypatch
):
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "editor-pass-456")
    call_command("load_demo", stdout=StringIO())

    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text()

    page.goto(live_server.url + "/admin/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "editor-pass-456")
    page.click("button[type=submit]")

    page.wait_for_url(f"{live_server.url}/admin/")
    assert "Dashboard" in page.title()
