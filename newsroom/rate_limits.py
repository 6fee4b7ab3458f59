"""Rate limits on the password forms that are not logins, per client address.

A page's view password (Wagtail's PageViewRestriction form) and a request to
reset an admin password (which sends mail) are not logins, so django-axes does
not see them. django-ratelimit counts their POSTs per client address in the
shared cache — the address as the lock-outs see it
(newsroom.lockouts.client_address, through RATELIMIT_IP_META_KEY) — and past
the rate in settings (PAGE_PASSWORD_RATE_LIMIT, PASSWORD_RESET_RATE_LIMIT,
"count/period") the form answers 429 until the period's window ends.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django_ratelimit.decorators import ratelimit


def _limited(group, setting):
    # The rate is read at each request, so tests and settings may change it.
    return ratelimit(
        group=group,
        key="ip",
        rate=lambda group, request: getattr(settings, setting),
        method="POST",
    )


page_password = _limited("page-password", "PAGE_PASSWORD_RATE_LIMIT")
password_reset = _limited("password-reset", "PASSWORD_RESET_RATE_LIMIT")


def too_many_requests(request, exception):
    """The 429 page of a rate-limited form (RATELIMIT_VIEW)."""
    response = render(request, "429.html", status=429)
    add_never_cache_headers(response)
    return response
