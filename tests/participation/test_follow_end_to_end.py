"""Following by email, end to end: a real worker process and SMTP server."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from participation.models import Follow
from tests.background import smtp_server, worker_process
from tests.factories import make_story, make_update, make_user
from tests.servers import SERVER_SECRET_KEY

pytestmark = [
    pytest.mark.servers,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

READERS = ["ana@example.org", "ben@example.org", "cy@example.org"]


def path_of(url):
    parts = urlsplit(url)
    return parts.path


def confirm_link(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    (link,) = [word for word in text.split() if "/follow/confirm/" in word]
    return path_of(link)


def test_follow_confirm_correct_unsubscribe_with_a_real_worker(
    tmp_path, story_index, settings
):
    # Changes a second apart are not batched into the mail before them.
    settings.FOLLOW_BATCH_SECONDS = 1
    # The worker signs the links; this process checks them, as the site would.
    settings.SECRET_KEY = SERVER_SECRET_KEY
    editor = make_user("editor", group="Editors")
    story = make_story(story_index, "Office stops taking calls", editor=editor)
    client = Client()
    with (
        smtp_server() as smtp,
        worker_process(tmp_path, FOLLOW_BATCH_SECONDS="1", **smtp.env()) as worker,
    ):
        for address in READERS:
            response = client.post(
                reverse("follow", args=[story.pk]), {"email": address}
            )
            assert response.status_code == 302
        for address in READERS:
            (confirmation,) = smtp.wait_for(address)
            assert client.post(confirm_link(confirmation)).status_code == 200
        assert Follow.objects.confirmed().count() == 3

        make_update(
            story,
            "The office took calls until Monday.",
            kind="correction",
            editor=editor,
        )
        for address in READERS:
            smtp.wait_for(address, count=2)
        for address in READERS:
            (_confirmation, correction) = smtp.received.to(address)
            assert correction["Subject"] == "Correction on “Office stops taking calls”"
            assert (
                "The office took calls until Monday."
                in correction.get_body(preferencelist=("plain",)).get_content()
            )
            assert correction.get_body(preferencelist=("html",)) is not None

        # Ana unsubscribes as her mail client does: one POST, no cookie.
        (_confirmation, correction) = smtp.received.to(READERS[0])
        assert correction["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = path_of(correction["List-Unsubscribe"].strip("<>"))
        response = Client(enforce_csrf_checks=True).post(
            unsubscribe, {"List-Unsubscribe": "One-Click"}
        )
        assert response.status_code == 200

        make_update(story, "And it reopened on Friday.", kind="update", editor=editor)
        for address in READERS[1:]:
            messages = smtp.wait_for(address, count=3)
            assert (
                "And it reopened on Friday."
                in messages[-1].get_body(preferencelist=("plain",)).get_content()
            )
        # The second change went out to both remaining followers in one task;
        # Ana was not among them.
        assert len(smtp.received.to(READERS[0])) == 2, worker.output()
    assert "participation.follow_tasks.mail_follow_batch" in worker.output()
