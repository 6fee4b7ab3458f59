"""Password guessing on the admin login is throttled per username and address."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from newsroom.login_throttle import attempts_key
from tests.factories import make_user
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
REFUSED = "Too many failed attempts to log in as this user"


@pytest.fixture
def editor_account():
    return make_user("guarded", group="Editors")


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


def guess(client, username, times, address="203.0.113.7"):
    for _ in range(times):
        response = log_in(client, username, "wrong-guess", address)
        assert response.status_code == 200
        assert REFUSED not in response.content.decode()


def test_the_right_password_is_refused_after_five_wrong_guesses(client, editor_account):
    guess(client, "guarded", 5)

    response = log_in(client, "guarded", "pass-guarded")

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not is_logged_in(client)


def test_the_count_lives_in_the_shared_cache(client, editor_account):
    guess(client, "guarded", 3)

    assert cache.get(attempts_key("guarded", "203.0.113.7")) == 3


def test_another_user_and_another_address_are_not_locked_out(client, editor_account):
    make_user("colleague", group="Editors")
    guess(client, "guarded", 5)

    response = log_in(client, "guarded", "pass-guarded", address="198.51.100.9")
    assert response.status_code == 302
    client.logout()

    response = log_in(client, "colleague", "pass-colleague")
    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, editor_account):
    guess(client, "guarded", 4)
    assert log_in(client, "guarded", "pass-guarded").status_code == 302
    client.logout()

    guess(client, "guarded", 4)

    assert log_in(client, "guarded", "pass-guarded").status_code == 302


@override_settings(LOGIN_THROTTLE_WINDOW=1)
def test_the_lock_out_ends_when_the_window_passes(client, editor_account):
    guess(client, "guarded", 5)
    assert REFUSED in log_in(client, "guarded", "pass-guarded").content.decode()

    # Trying again and again while locked out counts for nothing: the right
    # password gets in once the one-second window has passed.
    wait_until(
        lambda: log_in(client, "guarded", "pass-guarded").status_code == 302,
        timeout=30,
        message="the lock-out to end after its one-second window",
    )
