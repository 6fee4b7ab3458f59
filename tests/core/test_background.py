"""Background tasks are retried with backoff, and the last failure is kept."""

import datetime
import uuid

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.background import GaveUp, enqueue
from tests.background import run_background_tasks
from tests.core.flaky_tasks import flaky

pytestmark = pytest.mark.django_db

GAVE_UP = f"{GaveUp.__module__}.{GaveUp.__qualname__}"


def results():
    return list(DBTaskResult.objects.order_by("enqueued_at", "run_after"))


def test_a_task_that_fails_runs_again_until_it_succeeds(settings):
    settings.BACKGROUND_TASK_BACKOFF = 0
    enqueue(flaky, key := uuid.uuid4().hex, 2)

    run_background_tasks()

    statuses = [r.status for r in results()]
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert results()[-1].return_value == 3
    assert [r.args_kwargs["kwargs"].get("attempt", 1) for r in results()] == [1, 2, 3]
    assert key in results()[0].args_kwargs["args"]


def test_each_retry_waits_twice_as_long_as_the_one_before(settings):
    settings.BACKGROUND_TASK_BACKOFF = 60
    enqueue(flaky, uuid.uuid4().hex, 5)
    run_background_tasks()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    wait = retry.run_after - timezone.now()
    assert datetime.timedelta(seconds=50) < wait <= datetime.timedelta(seconds=60)

    # Due now: it fails again and waits 120 seconds this time.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_background_tasks()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 3}
    wait = retry.run_after - timezone.now()
    assert datetime.timedelta(seconds=110) < wait <= datetime.timedelta(seconds=120)


def test_after_the_last_attempt_the_failure_is_kept_with_its_cause(settings):
    settings.BACKGROUND_TASK_BACKOFF = 0
    settings.BACKGROUND_TASK_ATTEMPTS = 3
    enqueue(flaky, uuid.uuid4().hex, 10)

    run_background_tasks()

    assert [r.status for r in results()] == ["FAILED"] * 3
    last = results()[-1]
    assert last.exception_class_path == GAVE_UP
    assert "fails on purpose" in last.traceback
    earlier = [r.exception_class_path for r in results()[:2]]
    assert earlier == ["builtins.RuntimeError"] * 2
