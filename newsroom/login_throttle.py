"""Login throttling for the Wagtail admin, against password guessing.

Failed logins are counted per (username, client address) in the shared cache, so
every gunicorn worker and every host sees the same count. After
LOGIN_THROTTLE_ATTEMPTS failures, each within LOGIN_THROTTLE_WINDOW seconds of
the previous one, the pair is refused — even with the right password — until
the window passes. A successful login clears the count. Refused attempts are
not counted, so the lock-out ends on time however often a guesser keeps trying.

If the cache is unreachable nothing is counted (see core.cache): logins keep
working during a cache outage, unthrottled, and the outage is in the log.
"""

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from wagtail.admin.forms.auth import LoginForm


def client_address(request):
    # REMOTE_ADDR is the proxy's address behind a load balancer; the count is
    # then per username for everyone behind it, which still stops guessing.
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def attempts_key(username, address):
    digest = hashlib.sha256(f"{username.casefold()}\n{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


def is_locked_out(username, address):
    return cache.get(attempts_key(username, address), 0) >= (
        settings.LOGIN_THROTTLE_ATTEMPTS
    )


def record_failure(username, address):
    key = attempts_key(username, address)
    window = settings.LOGIN_THROTTLE_WINDOW
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:
        # Expired between add and incr, or the cache is unreachable.
        cache.set(key, 1, timeout=window)
    # Backends without an atomic incr store the new count with their default
    # timeout; the window restarts at every failure either way.
    cache.touch(key, timeout=window)


def clear_failures(username, address):
    cache.delete(attempts_key(username, address))


class ThrottledLoginForm(LoginForm):
    """Wagtail's login form, refusing a username and address locked out."""

    error_messages = {
        **LoginForm.error_messages,
        "too_many_attempts": (
            "Too many failed attempts to log in as this user from your address. "
            "Please wait %(minutes)d minutes and try again."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and is_locked_out(username, client_address(self.request)):
            raise forms.ValidationError(
                self.error_messages["too_many_attempts"],
                code="too_many_attempts",
                params={"minutes": max(1, settings.LOGIN_THROTTLE_WINDOW // 60)},
            )
        return super().clean()


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if username:
        record_failure(username, client_address(request))


@receiver(user_logged_in)
def clear_failed_logins(sender, request, user, **kwargs):
    clear_failures(user.get_username(), client_address(request))
