"""Following a story or tracker by email: the forms, the links, the mail."""

import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from participation import tokens
from participation.forms import BOT_MESSAGE
from participation.models import Follow, FollowedChange, Subscriber
from stories.models import Update
from tests.background import run_background_tasks
from tests.factories import (
    add_to_tracker,
    event_fields,
    make_story,
    make_tracker,
    make_update,
    publish_new_version,
)
from tests.participation.follow_helpers import add_follower, add_followers
from trackers.models import TimelineEvent, TrackerFigure

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s<>\"]+")


@pytest.fixture
def story(story_index, editor):
    return make_story(
        story_index,
        "Office stops taking calls",
        paragraphs=["The office took calls until Tuesday."],
        editor=editor,
    )


@pytest.fixture
def tracker(home_page):
    return make_tracker(home_page, "Sanctuary policy reversal")


def links(message):
    return LINK.findall(message.body)


def link_to(message, route):
    prefix = reverse(route, args=["TOKEN"]).removesuffix("TOKEN/")
    (found,) = {link for link in links(message) if prefix in link}
    return found.removeprefix("http://testserver")


def html_part(message):
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return html


def follow_by_form(client, page, email):
    return client.post(reverse("follow", args=[page.pk]), {"email": email})


def confirm_by_mail(client, page, email):
    mail.outbox.clear()
    follow_by_form(client, page, email)
    run_background_tasks()
    (message,) = mail.outbox
    client.post(link_to(message, "follow_confirm"))
    mail.outbox.clear()
    return Follow.objects.get(subscriber__email=email, page=page)


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


# The form ----------------------------------------------------------------------


def test_a_story_and_a_tracker_each_offer_the_form(client, story, tracker):
    for page, what in ((story, "story"), (tracker, "tracker")):
        response = client.get(reverse("follow", args=[page.pk]))
        assert response.status_code == 200
        assert f"Follow this {what} by email" in response.text
        assert 'name="email"' in response.text
        assert "Leave this empty" in response.text  # the honeypot
        assert "no-cache" in response["Cache-Control"]


def test_a_page_readers_may_not_see_cannot_be_followed(
    client, story_index, editor, home_page
):
    draft = make_story(story_index, "Draft", publish=False)
    withdrawn = make_story(story_index, "Withdrawn", editor=editor)
    make_update(withdrawn, "We cannot stand by it.", kind="withdrawal", editor=editor)
    for page_id in (draft.pk, withdrawn.pk, home_page.pk, 999_999):
        response = client.get(reverse("follow", args=[page_id]))
        assert response.status_code == 404
        posted = client.post(reverse("follow", args=[page_id]), {"email": "a@b.org"})
        assert posted.status_code == 404
    assert not Subscriber.objects.exists()


def test_an_invalid_address_is_refused_with_a_message(client, story):
    response = follow_by_form(client, story, "not an address")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert not Subscriber.objects.exists()


def test_the_form_keeps_an_unconfirmed_follow_and_mails_a_link(client, story):
    response = follow_by_form(client, story, "Reader@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("follow_sent", args=[story.pk])
    follow = Follow.objects.get()
    # One subscriber per mailbox, whatever its capitals.
    assert follow.subscriber.email == "reader@example.org"
    assert follow.confirmed_at is None
    assert mail.outbox == []  # publishing... the form only enqueues
    page = client.get(response["Location"])
    assert "Check your inbox" in page.text
    assert "reader@example.org" not in page.text.lower()


def test_new_and_known_addresses_get_the_same_answer(client, story):
    add_follower(story, "known@example.org")
    new = follow_by_form(client, story, "new@example.org")
    known = follow_by_form(client, story, "known@example.org")
    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"]
    run_background_tasks()
    # The confirmed follower is not mailed again; the new one gets the link.
    assert [m.to for m in mail.outbox] == [["new@example.org"]]


def test_the_honeypot_refuses_a_bot_with_a_clear_message(client, story):
    response = client.post(
        reverse("follow", args=[story.pk]),
        {"email": "bot@example.org", "website": "http://spam.example"},
    )
    assert response.status_code == 400
    assert BOT_MESSAGE.split(".")[0] in response.text.replace("&#x27;", "'")
    assert not Subscriber.objects.exists()


def test_too_many_posts_from_one_address_are_refused(client, story, settings):
    settings.PARTICIPATION_RATE_LIMIT = "2/h"
    for n in range(2):
        assert follow_by_form(client, story, f"r{n}@example.org").status_code == 302
    refused = follow_by_form(client, story, "r3@example.org")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.text
    assert Subscriber.objects.count() == 2


# Confirming ------------------------------------------------------------------


def test_the_confirmation_mail_names_the_page_and_has_a_working_link(client, story):
    follow_by_form(client, story, "reader@example.org")
    run_background_tasks()
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "Office stops taking calls" in message.subject
    confirm = link_to(message, "follow_confirm")
    assert confirm in html_part(message)
    assert "Office stops taking calls" in html_part(message)

    page = client.get(confirm)
    assert page.status_code == 200
    assert "<button" in page.text and "Confirm" in page.text
    # Opening the link (as a mail system's link scanner does) confirms nothing.
    assert Follow.objects.get().confirmed_at is None

    done = client.post(confirm)
    assert done.status_code == 200
    assert "Confirmed" in done.text
    confirmed_at = Follow.objects.get().confirmed_at
    assert confirmed_at is not None
    # Confirming twice changes nothing.
    assert client.post(confirm).status_code == 200
    assert Follow.objects.get().confirmed_at == confirmed_at


def expired(dumps, days):
    """A token made `days` days ago."""
    past = time.time() - days * 86400
    with mock.patch("django.core.signing.time.time", return_value=past):
        return dumps()


@pytest.mark.parametrize("route", ["follow_confirm", "follow_unsubscribe"])
def test_made_up_and_altered_links_are_a_400_page(client, story, route):
    follow = add_follower(story, "reader@example.org", confirmed=False)
    good = (
        tokens.confirm_token(follow)
        if route == "follow_confirm"
        else tokens.unsubscribe_token(follow)
    )
    altered = good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb")
    other_purpose = tokens.manage_token(follow.subscriber)
    for token in ("made-up", altered, other_purpose, signing.dumps([1, 2])):
        for method in (client.get, client.post):
            response = method(reverse(route, args=[token]))
            assert response.status_code == 400, token
            assert "This link does not work" in response.text
            assert "not one we sent" in response.text
    assert Follow.objects.get().confirmed_at is None


def test_an_expired_confirmation_link_is_a_400_page(client, story, settings):
    settings.FOLLOW_CONFIRM_DAYS = 7
    follow = add_follower(story, "reader@example.org", confirmed=False)
    old = expired(lambda: tokens.confirm_token(follow), days=8)
    fresh = expired(lambda: tokens.confirm_token(follow), days=6)
    response = client.post(reverse("follow_confirm", args=[old]))
    assert response.status_code == 400
    assert "expired" in response.text
    assert Follow.objects.get().confirmed_at is None
    assert client.post(reverse("follow_confirm", args=[fresh])).status_code == 200


# Unsubscribing and managing ------------------------------------------------------


def test_unsubscribe_shows_a_button_then_one_click_stops_without_csrf(story):
    follow = add_follower(story, "reader@example.org")
    url = reverse("follow_unsubscribe", args=[tokens.unsubscribe_token(follow)])
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(url)
    assert page.status_code == 200
    assert "Stop following" in page.text
    assert "reader@example.org" not in page.text
    assert Follow.objects.exists()

    # What a mail client sends for RFC 8058's one-click unsubscribe.
    done = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert not Follow.objects.exists()
    # Nothing else was followed, so the address is not kept either.
    assert not Subscriber.objects.exists()
    # The link stops working with the follow it named.
    again = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 400
    assert "stopped already" in again.text


def test_an_unsubscribed_follower_gets_no_more_mail(client, story, editor):
    follow = add_follower(story, "gone@example.org")
    add_follower(story, "stays@example.org")
    url = reverse("follow_unsubscribe", args=[tokens.unsubscribe_token(follow)])
    Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    make_update(story, "The office reopened.", kind="correction", editor=editor)
    run_background_tasks()
    assert [m.to for m in mail.outbox] == [["stays@example.org"]]


def test_the_manage_form_answers_alike_and_mails_a_link(client, story, tracker):
    add_follower(story, "reader@example.org")
    add_follower(tracker, "reader@example.org", confirmed=False)
    known = client.post(
        reverse("follow_manage_request"), {"email": "READER@example.org"}
    )
    unknown = client.post(
        reverse("follow_manage_request"), {"email": "nobody@example.org"}
    )
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert "Check your inbox" in client.get(known["Location"]).text
    run_background_tasks()
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    manage = link_to(message, "follow_manage")

    page = client.get(manage)
    assert page.status_code == 200
    assert "Office stops taking calls" in page.text
    assert "Sanctuary policy reversal" in page.text
    assert "not confirmed" in page.text
    assert page.text.count("Stop following") == 2
    assert "Delete my address and all my follows" in page.text

    story_follow = Follow.objects.get(page=story)
    stopped = client.post(manage, {"stop": story_follow.pk})
    assert stopped.status_code == 302
    assert not Follow.objects.filter(pk=story_follow.pk).exists()
    assert "Office stops taking calls" not in client.get(manage).text

    deleted = client.post(manage, {"delete": "1"})
    assert deleted.status_code == 200
    assert "Deleted" in deleted.text
    assert not Subscriber.objects.exists()
    assert not Follow.objects.exists()
    assert client.get(manage).status_code == 400


def test_a_manage_link_expires_after_a_day(client, story):
    follow = add_follower(story, "reader@example.org")
    old = expired(lambda: tokens.manage_token(follow.subscriber), days=1.1)
    response = client.get(reverse("follow_manage", args=[old]))
    assert response.status_code == 400
    assert "expired" in response.text


def test_a_manage_link_stops_only_its_own_follows(client, story):
    mine = add_follower(story, "mine@example.org")
    theirs = add_follower(story, "theirs@example.org")
    manage = reverse("follow_manage", args=[tokens.manage_token(mine.subscriber)])
    client.post(manage, {"stop": theirs.pk})
    client.post(manage, {"stop": "not a number"})
    assert Follow.objects.filter(pk=theirs.pk).exists()


# The mail about changes ------------------------------------------------------


def test_a_correction_mails_each_follower_its_text_and_diff(client, story, editor):
    add_followers(story, 3)
    correction = make_update(
        story, "The office took calls until Monday.", kind="correction", publish=False
    )
    revision = publish_new_version(
        story, editor=editor, paragraphs=["The office took calls until Monday."]
    )
    assert mail.outbox == []  # publishing only enqueues
    run_background_tasks()

    assert sorted(m.to[0] for m in mail.outbox) == [
        f"reader{n}@example.org" for n in range(3)
    ]
    message = mail.outbox[0]
    assert message.subject == "Correction on “Office stops taking calls”"
    correction.refresh_from_db()
    previous = story.live_revision_id
    assert correction.story_revision_id == revision.pk
    diff = f"http://testserver{story.url}history/{previous}/{revision.pk}/"
    anchor = f"http://testserver{story.url}#update-{correction.pk}"
    for part in (message.body, html_part(message)):
        assert "The office took calls until Monday." in part
        assert diff in part
        assert anchor in part
    # RFC 8058 headers, and the same link in the footer.
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver/follow/unsubscribe/")
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    assert unsubscribe.strip("<>") in message.body
    assert unsubscribe.strip("<>") in html_part(message)
    assert "http://testserver/follow/manage/" in message.body
    # No tracking: every link is one of ours, as it is.
    assert all(link.startswith("http://testserver/") for link in links(message))
    assert "<img" not in html_part(message)
    assert FollowedChange.objects.get().sent_at is not None


def test_one_click_from_the_mail_header_stops_the_follow(story, editor):
    add_followers(story, 1)
    make_update(story, "A fact was wrong.", kind="correction", editor=editor)
    run_background_tasks()
    (message,) = mail.outbox
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(
        url.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not Follow.objects.exists()


def test_changes_within_the_window_go_out_as_one_mail(story, editor, settings):
    settings.FOLLOW_BATCH_SECONDS = 600
    add_followers(story, 2)
    make_update(story, "First fix.", kind="correction", editor=editor)
    make_update(story, "Second fix.", kind="clarification", editor=editor)
    # At most one send is pending for the page.
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_background_tasks()
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject == (
        "2 changes to “Office stops taking calls”: correction, clarification"
    )
    assert "First fix." in message.body and "Second fix." in message.body

    # A third within the window waits for the window's end...
    mail.outbox.clear()
    make_update(story, "Third fix.", kind="correction", editor=editor)
    run_background_tasks()
    assert mail.outbox == []
    waiting = DBTaskResult.objects.get(status="READY")
    last_sent = FollowedChange.objects.exclude(sent_at=None).first().sent_at
    assert waiting.run_after == last_sent + timezone.timedelta(seconds=600)
    # ...and then goes out as a second mail.
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    run_background_tasks()
    assert len(mail.outbox) == 2
    assert "Third fix." in mail.outbox[0].body
    assert "First fix." not in mail.outbox[0].body


def test_a_change_after_the_window_goes_out_at_once(story, editor, settings):
    settings.FOLLOW_BATCH_SECONDS = 600
    add_followers(story, 1)
    make_update(story, "First fix.", kind="correction", editor=editor)
    run_background_tasks()
    # The window has passed since the last mail.
    FollowedChange.objects.update(
        sent_at=timezone.now() - timezone.timedelta(seconds=601)
    )
    mail.outbox.clear()
    make_update(story, "Later fix.", kind="correction", editor=editor)
    run_background_tasks()
    (message,) = mail.outbox
    assert "Later fix." in message.body and "First fix." not in message.body


def test_unconfirmed_followers_get_nothing(story, editor):
    add_followers(story, 2, confirmed=False)
    add_follower(story, "confirmed@example.org")
    make_update(story, "A fact was wrong.", kind="correction", editor=editor)
    run_background_tasks()
    assert [m.to for m in mail.outbox] == [["confirmed@example.org"]]


def test_a_follower_hears_only_of_what_came_after_they_confirmed(story, editor):
    add_follower(story, "early@example.org")
    make_update(story, "Before.", kind="correction", editor=editor)
    late = add_follower(story, "late@example.org")
    Follow.objects.filter(pk=late.pk).update(confirmed_at=timezone.now())
    make_update(story, "After.", kind="update", editor=editor)
    run_background_tasks()
    (late_mail,) = sent_to("late@example.org")
    assert "After." in late_mail.body and "Before." not in late_mail.body
    (early_mail,) = sent_to("early@example.org")
    assert "After." in early_mail.body and "Before." in early_mail.body


def test_an_amended_update_is_not_news_again(story, editor):
    update = make_update(story, "A fact.", kind="correction", editor=editor)
    add_follower(story, "reader@example.org")
    update.text = "A fact, amended."
    update.save_revision(user=editor).publish(user=editor)
    run_background_tasks()
    assert mail.outbox == []


def test_a_withdrawal_and_an_editors_note_reach_followers(story, editor):
    add_follower(story, "reader@example.org")
    make_update(story, "A note.", kind=Update.Kind.EDITORS_NOTE, editor=editor)
    make_update(story, "We cannot stand by it.", kind="withdrawal", editor=editor)
    run_background_tasks()
    (message,) = mail.outbox
    assert "editor's note" in message.subject and "withdrawal" in message.subject
    assert "We cannot stand by it." in message.body


def test_nothing_is_recorded_for_a_page_nobody_follows(story, editor):
    make_update(story, "A fact was wrong.", kind="correction", editor=editor)
    assert not FollowedChange.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_tracker_followers_hear_of_events_figures_and_stories(tracker, story, editor):
    add_follower(tracker, "reader@example.org")
    add_follower(story, "story-only@example.org")
    live = tracker.get_latest_revision_as_object()
    live.events.add(
        TimelineEvent(
            **event_fields(
                timezone.now().date(),
                title="Commission votes",
                description="The vote was 7 to 6.",
            )
        )
    )
    live.figures.add(
        TrackerFigure(
            label="Calls to the office",
            value=1200,
            unit="calls",
            as_of=timezone.now().date(),
            source="County records",
        )
    )
    live.save_revision(user=editor).publish(user=editor)
    add_to_tracker(story, tracker, editor=editor)
    run_background_tasks()

    (message,) = sent_to("reader@example.org")
    assert message.subject == (
        "3 changes to “Sanctuary policy reversal”: new event, new figure, new story"
    )
    body = message.body
    assert "Commission votes" in body and "The vote was 7 to 6." in body
    assert "Calls to the office" in body and "1,200 calls" in body
    assert "Office stops taking calls" in body
    event = TimelineEvent.objects.get(tracker=tracker)
    assert f"http://testserver{tracker.url}?at=event-{event.pk}" in body
    assert f"http://testserver{story.url}" in body
    # Story followers are not told of the story joining a tracker.
    assert sent_to("story-only@example.org") == []


def test_a_new_story_on_a_tracker_reaches_its_followers(tracker, story_index, editor):
    add_follower(tracker, "reader@example.org")
    draft = make_story(story_index, "A new story on it", publish=False)
    draft = draft.get_latest_revision_as_object()
    draft.trackers = [tracker]
    draft.save_revision(user=editor).publish(user=editor)
    run_background_tasks()
    (message,) = mail.outbox
    assert message.subject == "New story on “Sanctuary policy reversal”"


def test_a_hidden_change_is_not_mailed(tracker, story_index, editor):
    add_follower(tracker, "reader@example.org")
    draft = make_story(story_index, "Still a draft", publish=False)
    draft = draft.get_latest_revision_as_object()
    draft.trackers = [tracker]
    draft.save_revision(user=editor)  # saved, not published
    run_background_tasks()
    assert mail.outbox == []
    assert not FollowedChange.objects.exists()


def publish_a_correction(story, editor):
    with CaptureQueriesContext(connection) as queries:
        make_update(story, "A fact was wrong.", kind="correction", editor=editor)
    return len(queries)


def test_publishing_takes_as_many_queries_with_10_or_1000_followers(
    story_index, editor
):
    few = make_story(story_index, "Few followers", editor=editor)
    many = make_story(story_index, "Many followers", editor=editor)
    add_followers(few, 10, prefix="few")
    add_followers(many, 1000, prefix="many")
    # The first publish on each warms caches; then, as if both were sent a
    # day ago, each publish schedules a send.
    publish_a_correction(few, editor)
    publish_a_correction(many, editor)
    FollowedChange.objects.update(sent_at=timezone.now() - timezone.timedelta(1))
    DBTaskResult.objects.all().delete()
    assert publish_a_correction(few, editor) == publish_a_correction(many, editor)
    # One send per page, nothing per follower.
    assert DBTaskResult.objects.count() == 2
    # With a send pending, a further publish adds nothing to the queue.
    assert publish_a_correction(few, editor) == publish_a_correction(many, editor)
    assert DBTaskResult.objects.count() == 2


@pytest.mark.parametrize("page_id", ["0", "99999999999999999999"])
def test_an_id_no_page_can_have_is_a_404(client, page_id):
    for path in [f"/follow/{page_id}/", f"/report/{page_id}/"]:
        assert client.get(path).status_code == 404
        assert client.post(path, {"email": "ana@example.org"}).status_code == 404
