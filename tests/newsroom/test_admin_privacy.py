"""The admin makes no request to a third party on its users' behalf."""

import pytest

from tests.factories import make_story, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_with_email(client):
    # Gravatar URLs are made from an email address: a user without one would
    # prove nothing.
    user = make_user("eddie", group="Editors", email="eddie@example.org")
    client.force_login(user)
    return user


def test_admin_pages_show_no_gravatar(client, editor_with_email, story_index):
    story = make_story(story_index, "Mayor drops sanctuary policy")
    story.save_revision(user=editor_with_email).publish()

    for url in [
        "/admin/",
        "/admin/account/",
        f"/admin/pages/{story.pk}/history/",
        "/admin/reports/site-history/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "gravatar" not in response.content.decode().lower(), url
