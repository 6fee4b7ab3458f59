"""Login lock-outs: what a locked-out person sees, and how staff release a lock.

django-axes does the locking (settings: AXES_*): every login form goes
through Django's authenticate(), and after AXES_FAILURE_LIMIT failures for one
username from one client address that pair is refused, even with the right
password, until the cool-off passes. Its counts live in the shared cache,
keyed by a hash of the pair, so the cache alone cannot say who is locked out.
This module keeps that list beside the counts — each lock-out as axes
announces it — so that the release form can name them and release a username
from every address, or an address for every username.
"""

import logging

from axes.handlers.cache import AxesCacheHandler
from axes.helpers import (
    get_cache_timeout,
    get_client_cache_keys,
    get_client_ip_address,
    get_client_username,
    get_cool_off,
    get_failure_limit,
)
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

LOCKOUTS_KEY = "login-lockouts"


class LockoutCacheHandler(AxesCacheHandler):
    """django-axes' cache handler, for a cache that may be unreachable.

    core.cache.ResilientRedisCache answers an unreachable Redis as a cache
    that holds nothing, so incrementing a failure count raises ValueError, as
    for any missing key; axes would let that through as a 500 on every wrong
    password. Here the failure goes uncounted and the login form answers as
    usual: while the cache is down, logins are not locked out.
    """

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        try:
            super().user_login_failed(sender, credentials, request, **kwargs)
        except ValueError:
            logger.warning("Failed login not counted: the cache is unreachable.")


def client_address(request):
    """The client's address, as the lock-outs and the rate limits see it.

    django-ipware, configured by TRUSTED_PROXY_COUNT; REMOTE_ADDR when no
    address can be read from the proxy headers.
    """
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


def failure_limit():
    return get_failure_limit(None, None)


def cool_off_minutes(request=None):
    return max(1, round(get_cool_off(request).total_seconds() / 60))


def lockout_response(request, original_response, credentials):
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): a 429."""
    minutes = cool_off_minutes(request)
    response = render(
        request,
        "locked_out.html",
        {
            "username": get_client_username(request, credentials) or "",
            "failure_limit": get_failure_limit(request, credentials),
            "minutes": minutes,
        },
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    add_never_cache_headers(response)
    return response


def _is_locked(username, address):
    attempt = AccessAttempt(username=username, ip_address=address)
    return any(
        cache.get(key, 0) >= failure_limit()
        for key in get_client_cache_keys(attempt, None)
    )


@receiver(user_locked_out)
def remember_lockout(sender, request, username, ip_address, **kwargs):
    """Add a lock-out to the list the release form shows.

    Not atomic: two lock-outs at the same instant from two workers may keep
    only one in the list. Either can still be released by naming both the
    username and the address.
    """
    if not username or not ip_address:
        return
    lockouts = cache.get(LOCKOUTS_KEY, {})
    lockouts[f"{username}\n{ip_address}"] = {
        "username": username,
        "address": ip_address,
        "since": lockouts.get(f"{username}\n{ip_address}", {}).get("since")
        or timezone.now(),
    }
    cache.set(LOCKOUTS_KEY, lockouts, timeout=get_cache_timeout(request))


def current_lockouts():
    """Lock-outs in force now, oldest first, as dicts of username, address, since."""
    lockouts = [
        lockout
        for lockout in cache.get(LOCKOUTS_KEY, {}).values()
        if _is_locked(lockout["username"], lockout["address"])
    ]
    return sorted(lockouts, key=lambda lockout: lockout["since"])


def release(username="", address=""):
    """Release the lock-outs of a username, an address, or the pair.

    With both, the pair is released whether or not it is in the list; with
    one, every listed lock-out that matches it. Returns the pairs released.
    """
    if not username and not address:
        raise ValueError("Name a username, an address, or both.")
    lockouts = cache.get(LOCKOUTS_KEY, {})
    pairs = {
        (lockout["username"], lockout["address"])
        for lockout in lockouts.values()
        if (not username or lockout["username"] == username)
        and (not address or lockout["address"] == address)
    }
    if username and address:
        pairs.add((username, address))
    released = []
    for pair_username, pair_address in sorted(pairs):
        locked = _is_locked(pair_username, pair_address)
        reset(ip=pair_address, username=pair_username)
        lockouts.pop(f"{pair_username}\n{pair_address}", None)
        if locked:
            released.append((pair_username, pair_address))
    cache.set(LOCKOUTS_KEY, lockouts, timeout=get_cache_timeout())
    return released
