"""Background tasks that are retried with backoff and never lost.

`@background_task` is Django's `@task` on the "background" backend (the queue
the worker runs; settings.TASKS) with one addition Django's tasks framework
leaves to the caller: a task that raises is enqueued again to run after
BACKGROUND_TASK_BACKOFF seconds, then twice that, and so on, up to
BACKGROUND_TASK_ATTEMPTS in all. Each attempt is its own task result, so the
worker's log and the result table keep every failure with its traceback; the
last one is listed for editors (participation's "Background tasks" report),
who can run it again.

`enqueue()` is how code outside a task starts one: with the database queue the
task row is written in the caller's transaction, so it exists exactly when the
change that caused it does; with any other backend (Redis) it waits for the
commit, so the worker never reads a change that is not there yet.
"""

import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.tasks import task, task_backends
from django.utils import timezone

logger = logging.getLogger("newsroom.background")

BACKEND = "background"


class GaveUp(Exception):
    """The last attempt of a task failed; its cause is the task's own error.

    The result of that attempt is stored with this class's path, which is how
    the editors' report finds the tasks that will not run again by themselves.
    """


def background_task(func=None, *, priority=0, queue_name="default"):
    """Decorate a module-level function as a retried background task.

    The function is called without the `attempt` keyword the retries carry.
    """

    def decorate(function):
        @functools.wraps(function)
        def run(*args, attempt=1, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception as error:
                if attempt < settings.BACKGROUND_TASK_ATTEMPTS:
                    delay = settings.BACKGROUND_TASK_BACKOFF * 2 ** (attempt - 1)
                    run_after = timezone.now() + datetime.timedelta(seconds=delay)
                    wrapped.using(run_after=run_after).enqueue(
                        *args, attempt=attempt + 1, **kwargs
                    )
                    logger.warning(
                        "%s failed (attempt %s of %s); trying again at %s",
                        wrapped.name,
                        attempt,
                        settings.BACKGROUND_TASK_ATTEMPTS,
                        run_after.isoformat(timespec="seconds"),
                    )
                    raise
                logger.error(
                    "%s failed %s times; listed for editors", wrapped.name, attempt
                )
                raise GaveUp(f"{wrapped.name} failed {attempt} times") from error

        wrapped = task(run, backend=BACKEND, priority=priority, queue_name=queue_name)
        return wrapped

    return decorate(func) if func is not None else decorate


def uses_database_queue():
    return task_backends[BACKEND].__class__.__module__.startswith("django_tasks_db")


def enqueue(task_, *args, **kwargs):
    """Enqueue `task_` for the change being made in the current transaction."""
    if uses_database_queue():
        task_.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task_.enqueue(*args, **kwargs), robust=False)


def enqueue_at(task_, run_after, *args, **kwargs):
    """As enqueue(), to run no earlier than `run_after`."""
    enqueue(task_.using(run_after=run_after), *args, **kwargs)
