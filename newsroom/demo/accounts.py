"""Demo accounts: one reporter and one editor."""

import os
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    group: str
    password_env: str


DEMO_ACCOUNTS = [
    DemoAccount("reporter", "Rosa", "Quintero", "Reporters", "DEMO_REPORTER_PASSWORD"),
    DemoAccount("editor", "Martin", "Okafor", "Editors", "DEMO_EDITOR_PASSWORD"),
]


def ensure_account(account):
    """Create the account if missing; return the password only when one was generated.

    A password given in the environment is applied whenever it differs, so a
    second run with the same environment changes nothing.
    """
    User = get_user_model()
    wanted = os.environ.get(account.password_env)
    user = User.objects.filter(username=account.username).first()
    generated = None
    if user is None:
        generated = None if wanted else secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=account.username,
            email=f"{account.username}@newsroom.invalid",
            first_name=account.first_name,
            last_name=account.last_name,
            password=wanted or generated,
        )
    elif wanted and not user.check_password(wanted):
        user.set_password(wanted)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=account.group))
    return generated
