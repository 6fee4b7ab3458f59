"""Background tasks for tests/core/test_background.py: they fail on purpose."""

from django.core.cache import cache
from django.core.mail import EmailMessage, mailers

from core.background import background_task


@background_task
def flaky(key, failures):
    """Fail the first `failures` times it runs under `key`, then succeed."""
    runs = cache.get(key, 0) + 1
    cache.set(key, runs)
    if runs <= failures:
        raise RuntimeError(f"run {runs} of {key} fails on purpose")
    return runs


@background_task
def say_hello(address):
    """One plain message to `address`, through the configured mailer."""
    message = EmailMessage("Hello", "A message from the worker.", to=[address])
    return mailers.default.send_messages([message])
