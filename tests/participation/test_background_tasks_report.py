"""Editors see the background work that gave up, and can run it again."""

import datetime
import uuid

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.background import enqueue
from tests.background import run_background_tasks
from tests.core.flaky_tasks import flaky

pytestmark = pytest.mark.django_db

URL = "/admin/background-tasks/"


@pytest.fixture
def gave_up(settings):
    settings.BACKGROUND_TASK_BACKOFF = 0
    settings.BACKGROUND_TASK_ATTEMPTS = 2
    key = uuid.uuid4().hex
    enqueue(flaky, key, 2)
    run_background_tasks()
    return DBTaskResult.objects.get(exception_class_path="core.background.GaveUp")


def test_editors_see_what_gave_up_with_its_error(editor_client, gave_up):
    html = editor_client.get(URL).content.decode()
    assert "tests.core.flaky_tasks.flaky" in html
    assert "fails on purpose" in html
    assert "Gave up" in html
    # The attempt before, which was retried, is not listed.
    assert html.count("Run again</button>") == 1


def test_a_task_whose_worker_died_is_listed_as_stuck(editor_client):
    enqueue(flaky, uuid.uuid4().hex, 0)
    DBTaskResult.objects.update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(hours=2)
    )
    html = editor_client.get(URL).content.decode()
    assert "Stuck: running since" in html


def test_running_it_again_starts_afresh_and_takes_it_off_the_list(
    editor_client, gave_up, settings
):
    response = editor_client.post(f"{URL}{gave_up.pk}/run-again/")
    assert response.status_code == 302
    assert not DBTaskResult.objects.filter(pk=gave_up.pk).exists()
    again = DBTaskResult.objects.get(status="READY")
    assert again.args_kwargs["args"] == gave_up.args_kwargs["args"]
    assert "attempt" not in again.args_kwargs["kwargs"]
    # The flaw is gone now (its two failures are used up): it succeeds.
    run_background_tasks()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    assert "Nothing: every task ran" in editor_client.get(URL).content.decode()


def test_reporters_neither_see_nor_run_it(reporter_client, gave_up):
    # Wagtail answers an admin view's refusal with a redirect and a message.
    response = reporter_client.get(URL)
    assert response.status_code == 302
    assert "flaky" not in response.content.decode()
    response = reporter_client.post(f"{URL}{gave_up.pk}/run-again/")
    assert response.status_code == 302
    assert DBTaskResult.objects.filter(pk=gave_up.pk).exists()


@pytest.mark.parametrize("role, shown", [("editor", True), ("reporter", False)])
def test_the_reports_menu_offers_it_to_editors_only(client, request, role, shown):
    client.force_login(request.getfixturevalue(role))
    label = '"label": "Background tasks"'  # in the sidebar's menu data
    assert (label in client.get("/admin/").content.decode()) is shown
