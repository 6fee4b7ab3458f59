"""Waiting for something to happen: poll for the condition, never sleep a fixed time.

A fixed sleep is too short on a loaded machine and too long on a quiet one.
Give `wait_until` a deadline that is generous for the slowest machine: it
returns as soon as the condition holds, so a generous deadline costs nothing
when things go well.
"""

import time

import pytest


def wait_until(condition, timeout, message, interval=0.1):
    """Poll `condition` until it returns something truthy, and return that.

    Fails the test with `message` if `timeout` seconds pass first.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            pytest.fail(f"Timed out after {timeout}s: {message}")
        time.sleep(interval)
