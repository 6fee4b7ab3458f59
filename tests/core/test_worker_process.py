"""The worker as `make run` starts it: a real process, a real SMTP server."""

import pytest
from django_tasks_db.models import DBTaskResult

from core.background import enqueue
from tests.background import smtp_server, worker_process
from tests.core.flaky_tasks import say_hello
from tests.servers import free_port
from tests.waiting import wait_until

pytestmark = [
    pytest.mark.servers,
    # Committed rows, for the processes; the rows migrations made are restored
    # after, as every transaction test here does, so later tests find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_worker_sends_what_was_enqueued(tmp_path):
    with smtp_server() as smtp, worker_process(tmp_path, **smtp.env()) as worker:
        enqueue(say_hello, "reader@example.org")
        (message,) = smtp.wait_for("reader@example.org")
    assert message["Subject"] == "Hello"
    # Each task is in the worker's log, as `make run` shows it.
    assert "tests.core.flaky_tasks.say_hello" in worker.output()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_mail_that_cannot_go_out_is_tried_again_until_the_server_answers(tmp_path):
    port = free_port()
    env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_USE_TLS": "false"}
    with worker_process(tmp_path, BACKGROUND_TASK_ATTEMPTS="50", **env) as worker:
        enqueue(say_hello, "reader@example.org")
        wait_until(
            lambda: DBTaskResult.objects.filter(status="FAILED").exists(),
            60,
            "the first attempt to fail",
        )
        with smtp_server(port=port) as smtp:
            smtp.wait_for("reader@example.org")
    successes = DBTaskResult.objects.filter(status="SUCCESSFUL")
    assert successes.count() == 1, worker.output()
    assert "trying again" in worker.output()
