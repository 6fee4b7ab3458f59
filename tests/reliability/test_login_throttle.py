"""Password guessing is throttled on every login path, and on the other password forms.

django-axes locks a username out from one client address after five failed
logins, on any form that logs in (the admin's, Wagtail's front-end one), in
every process that shares the cache. Page passwords and password-reset
requests are rate-limited per address. Staff release a lock from the admin.
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from wagtail.models import PageViewRestriction

from newsroom import lockouts
from tests.factories import make_story, make_user
from tests.servers import Reply, database_url, gunicorn
from tests.waiting import wait_until

ADMIN_LOGIN = "/admin/login/"
SITE_LOGIN = "/_util/login/"
ADDRESS = "203.0.113.7"
LOCKED = "too many failed attempts to log in"
FAILURES = 6  # one more than the limit of five


@pytest.fixture
def editor_account(db):
    return make_user("guarded", group="Editors")


def log_in(client, path, password, username="guarded", address=ADDRESS):
    return client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def guess(client, path, times, username="guarded", address=ADDRESS):
    for _ in range(times):
        response = log_in(client, path, "wrong-guess", username, address)
        assert "_auth_user_id" not in client.session
    return response


def is_logged_in(client):
    return "_auth_user_id" in client.session


def assert_locked_out(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "Please wait 15 minutes" in page
    assert "ask a site administrator" in page


def test_six_wrong_passwords_then_the_right_one_is_refused_on_the_site_login(
    client, editor_account
):
    guess(client, SITE_LOGIN, FAILURES)

    response = log_in(client, SITE_LOGIN, "pass-guarded")

    assert_locked_out(response)
    assert response["Retry-After"] == "900"
    assert not is_logged_in(client)


def test_the_fifth_wrong_password_already_shows_the_lock_out_page(
    client, editor_account
):
    assert guess(client, ADMIN_LOGIN, 4).status_code == 200

    assert_locked_out(guess(client, ADMIN_LOGIN, 1))


@pytest.mark.parametrize(
    ("guessed_at", "logged_in_at"),
    [(SITE_LOGIN, ADMIN_LOGIN), (ADMIN_LOGIN, SITE_LOGIN)],
)
def test_a_lock_out_on_one_login_form_holds_on_the_other(
    client, editor_account, guessed_at, logged_in_at
):
    guess(client, guessed_at, FAILURES)

    assert_locked_out(log_in(client, logged_in_at, "pass-guarded"))
    assert not is_logged_in(client)


def test_the_right_password_does_not_clear_a_lock_out_in_force(client, editor_account):
    # The old bug: ten wrong passwords, then the right one opened a session
    # and cleared the count.
    guess(client, SITE_LOGIN, 10)
    for path in (SITE_LOGIN, ADMIN_LOGIN, SITE_LOGIN):
        assert_locked_out(log_in(client, path, "pass-guarded"))

    assert not is_logged_in(client)
    assert lockouts.current_lockouts()[0]["username"] == "guarded"


def test_another_user_and_another_address_are_not_locked_out(client, editor_account):
    make_user("colleague", group="Editors")
    guess(client, ADMIN_LOGIN, FAILURES)

    response = log_in(client, ADMIN_LOGIN, "pass-guarded", address="198.51.100.9")
    assert response.status_code == 302
    client.logout()

    assert log_in(client, ADMIN_LOGIN, "pass-colleague", "colleague").status_code == 302


def test_a_successful_login_before_the_limit_starts_the_count_again(
    client, editor_account
):
    guess(client, ADMIN_LOGIN, 4)
    assert log_in(client, ADMIN_LOGIN, "pass-guarded").status_code == 302
    client.logout()

    guess(client, ADMIN_LOGIN, 4)

    assert log_in(client, ADMIN_LOGIN, "pass-guarded").status_code == 302


def test_the_lock_out_ends_when_the_cool_off_passes(client, editor_account, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    guess(client, SITE_LOGIN, FAILURES)
    assert log_in(client, SITE_LOGIN, "pass-guarded").status_code == 429

    # Refused attempts do not extend the lock-out: trying again and again,
    # the right password gets in once the one-second cool-off has passed.
    wait_until(
        lambda: log_in(client, SITE_LOGIN, "pass-guarded").status_code == 302,
        timeout=30,
        message="the lock-out to end after its one-second cool-off",
    )


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(
    client, editor_account, settings
):
    # As TRUSTED_PROXY_COUNT=1 sets them: the address the proxy appended to
    # X-Forwarded-For, whatever the client wrote before it.
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.IPWARE_STRICT = False
    proxy = "10.0.0.2"

    for spoofed in range(FAILURES):
        client.post(
            ADMIN_LOGIN,
            {"username": "guarded", "password": "wrong-guess"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{spoofed}, {ADDRESS}",
        )

    refused = client.post(
        ADMIN_LOGIN,
        {"username": "guarded", "password": "pass-guarded"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=ADDRESS,
    )
    assert refused.status_code == 429
    elsewhere = client.post(
        ADMIN_LOGIN,
        {"username": "guarded", "password": "pass-guarded"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert elsewhere.status_code == 302


@pytest.fixture
def unreachable_cache():
    """Redis down: port 1 on loopback refuses at once."""
    unreachable = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    # axes keeps one handler, holding its cache, until told to make another.
    try:
        with override_settings(CACHES=unreachable):
            AxesProxyHandler.get_implementation(force=True)
            yield
    finally:
        AxesProxyHandler.get_implementation(force=True)


def test_logins_keep_working_unthrottled_while_the_cache_is_unreachable(
    client, editor_account, unreachable_cache
):
    for _ in range(FAILURES):
        response = log_in(client, ADMIN_LOGIN, "wrong-guess")
        assert response.status_code == 200
        assert "and password didn" in response.content.decode()

    assert log_in(client, ADMIN_LOGIN, "pass-guarded").status_code == 302


# The admin view that releases a lock-out.

LOCKOUTS = "/admin/lockouts/"


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root", is_superuser=True))
    return client


def lock_out(client, username="guarded", address=ADDRESS):
    guess(client, SITE_LOGIN, FAILURES, username, address)
    client.logout()


def test_the_release_view_lists_lock_outs_and_unlocks_the_pair(client, editor_account):
    lock_out(client)
    client.force_login(make_user("root", is_superuser=True))

    page = client.get(LOCKOUTS)
    assert page.status_code == 200
    assert "guarded" in page.content.decode()
    assert ADDRESS in page.content.decode()

    response = client.post(
        LOCKOUTS, {"username": "guarded", "address": ADDRESS}, follow=True
    )
    assert f"Released: guarded from {ADDRESS}." in response.content.decode()
    assert "No one is locked out." in response.content.decode()
    client.logout()

    assert log_in(client, SITE_LOGIN, "pass-guarded").status_code == 302


def test_releasing_a_username_unlocks_it_from_every_address(client, editor_account):
    lock_out(client, address=ADDRESS)
    lock_out(client, address="198.51.100.9")
    client.force_login(make_user("root", is_superuser=True))

    client.post(LOCKOUTS, {"username": "guarded"})
    client.logout()

    for address in (ADDRESS, "198.51.100.9"):
        response = log_in(client, ADMIN_LOGIN, "pass-guarded", address=address)
        assert response.status_code == 302
        client.logout()


def test_releasing_an_address_unlocks_every_username_from_it(client, editor_account):
    make_user("colleague", group="Editors")
    lock_out(client, "guarded")
    lock_out(client, "colleague")
    client.force_login(make_user("root", is_superuser=True))

    client.post(LOCKOUTS, {"address": ADDRESS})
    client.logout()

    assert log_in(client, ADMIN_LOGIN, "pass-guarded").status_code == 302
    client.logout()
    assert log_in(client, ADMIN_LOGIN, "pass-colleague", "colleague").status_code == 302


def test_the_release_form_needs_a_username_or_an_address(admin_client):
    response = admin_client.post(LOCKOUTS, {"username": "", "address": ""})

    assert response.status_code == 200
    assert "Name a username, an address, or both." in response.content.decode()


def test_the_release_view_is_under_settings_for_superusers_only(admin_client, editor):
    assert "Login lock-outs" in admin_client.get("/admin/").content.decode()
    admin_client.force_login(editor)

    assert "Login lock-outs" not in admin_client.get("/admin/").content.decode()
    assert admin_client.get(LOCKOUTS).status_code in (302, 403)
    admin_client.post(LOCKOUTS, {"username": "guarded", "address": ADDRESS})
    assert admin_client.get(LOCKOUTS).status_code in (302, 403)


# The other password forms: rate-limited per client address.


@pytest.fixture
def protected_story(story_index):
    story = make_story(story_index, "Council budget leak")
    restriction = PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    return story, restriction


def rate(setting):
    return int(getattr(settings, setting).split("/")[0])


def test_page_passwords_are_rate_limited_per_address(client, protected_story):
    story, restriction = protected_story
    url = reverse(
        "wagtailcore_authenticate_with_password", args=[restriction.id, story.id]
    )

    def try_password(password, address=ADDRESS):
        return client.post(
            url, {"password": password, "return_url": story.url}, REMOTE_ADDR=address
        )

    for _ in range(rate("PAGE_PASSWORD_RATE_LIMIT")):
        assert try_password("wrong").status_code == 200

    refused = try_password("s3cret")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert "Please wait a few minutes" in refused.content.decode()
    # Another address is not held back.
    assert try_password("s3cret", address="198.51.100.9").status_code == 302


def test_password_reset_requests_are_rate_limited_per_address(client, editor_account):
    editor_account.email = "guarded@example.org"
    editor_account.save()
    url = reverse("wagtailadmin_password_reset")
    assert url == "/admin/password_reset/"

    def request_reset(address=ADDRESS):
        return client.post(url, {"email": "guarded@example.org"}, REMOTE_ADDR=address)

    allowed = rate("PASSWORD_RESET_RATE_LIMIT")
    for _ in range(allowed):
        assert request_reset().status_code == 302

    refused = request_reset()
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert len(mail.outbox) == allowed
    assert request_reset(address="198.51.100.9").status_code == 302


# Across processes: two gunicorn servers sharing the database and the cache.


class Browser:
    """A person's browser against one server: cookies kept, redirects not followed."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self.NoRedirects()
        )

    def open(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, body, timeout=30) as response:
                return Reply(response.status, response.read(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read(), dict(error.headers))

    def log_in(self, path, password):
        form = self.open(path)
        assert form.status == 200, form.body[:500]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        return self.open(
            path,
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": "guarded",
                "password": password,
            },
        )


@pytest.mark.servers
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_lock_out_on_one_server_holds_on_another_sharing_the_cache(tmp_path):
    make_user("guarded", group="Editors")
    environment = {
        "DJANGO_SETTINGS_MODULE": "tests.performance.server_settings",
        "DATABASE_URL": database_url(),
        "CACHE_URL": f"file://{tmp_path / 'shared-cache'}",
        "WEB_CONCURRENCY": "1",
    }
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    with (
        gunicorn(tmp_path / "one", **environment) as one,
        gunicorn(tmp_path / "two", **environment) as two,
    ):
        wait_until(lambda: one.workers() and two.workers(), 60, "both workers")
        assert one.workers().isdisjoint(two.workers())
        first, second = Browser(one.url), Browser(two.url)

        replies = [first.log_in(SITE_LOGIN, "wrong-guess") for _ in range(FAILURES)]
        refused = second.log_in(ADMIN_LOGIN, "pass-guarded")

        assert [reply.status for reply in replies] == [200] * 4 + [429] * 2
        assert refused.status == 429
        assert LOCKED.encode() in refused.body
        assert "sessionid" not in {cookie.name for cookie in second.cookies}
