"""`make bench-follow`: publishing to 10,000 followers costs the publisher nothing.

On a scratch SQLite database (Django's test database machinery, test
settings, the locmem mailer), it times publishing a correction on a story
nobody follows and on one with 10,000 confirmed followers, RUNS times each,
interleaved, and compares the medians: the publish only records the change and
enqueues one task, so the followed story must publish within 10 % of the
other, or this exits 1. Before each timed publish the previous sends are
marked as long done, so every publish on the followed story takes the slowest
path (record, then enqueue a send now).

Then it runs the worker in this process (tests.background's
run_background_tasks, the db_worker's own claim-and-run steps) over one more
correction and checks that every follower got exactly one mail, printing how
long the sending took. Writes bench/follow.md.
"""

import logging
import os
import statistics
import sys
import time
from pathlib import Path

FOLLOWERS = int(os.environ.get("BENCH_FOLLOWERS", "10000"))
RUNS = int(os.environ.get("BENCH_FOLLOW_RUNS", "9"))
LIMIT = 1.10
RESULTS = Path(__file__).resolve().parent / "follow.md"


def setup_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    import django  # noqa: PLC0415

    django.setup()
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import setup_test_environment  # noqa: PLC0415

    setup_test_environment()
    # Wagtail's own tasks run immediately and log each run; the numbers matter.
    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    connection.creation.create_test_db(verbosity=0, serialize=False)
    return connection


def build(followers):
    """Two published stories; the second with `followers` confirmed followers."""
    from django.utils import timezone  # noqa: PLC0415
    from wagtail.rich_text import RichText  # noqa: PLC0415

    from newsroom.scaffold import ensure_home_page  # noqa: PLC0415
    from participation.models import Follow, Subscriber  # noqa: PLC0415
    from stories.models import StoryIndexPage, StoryPage  # noqa: PLC0415

    home, _ = ensure_home_page()
    index = home.add_child(instance=StoryIndexPage(title="Stories", slug="stories"))
    index.save_revision().publish()
    stories = []
    for slug in ("nobody-follows", "ten-thousand-follow"):
        story = StoryPage(
            title=slug.replace("-", " ").capitalize(),
            slug=slug,
            live=False,
            body=[("paragraph", RichText("<p>What the office said.</p>"))],
        )
        index.add_child(instance=story)
        story.save_revision().publish()
        story.refresh_from_db()
        stories.append(story)
    subscribers = Subscriber.objects.bulk_create(
        (Subscriber(email=f"reader{n}@example.org") for n in range(followers)),
        batch_size=1000,
    )
    confirmed = timezone.now() - timezone.timedelta(days=1)
    Follow.objects.bulk_create(
        (
            Follow(subscriber=s, page=stories[1], confirmed_at=confirmed)
            for s in subscribers
        ),
        batch_size=1000,
    )
    return stories


def publish_correction(story, n):
    """Append and publish a correction, as the update snippet's Publish does."""
    from stories.models import Update  # noqa: PLC0415

    start = time.perf_counter()
    update = Update.objects.create(
        story=story, kind="correction", text=f"Correction {n}.", live=False
    )
    update.save_revision().publish()
    return time.perf_counter() - start


def as_if_sent_long_ago():
    from django.utils import timezone  # noqa: PLC0415
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    from participation.models import FollowedChange  # noqa: PLC0415

    FollowedChange.objects.update(sent_at=timezone.now() - timezone.timedelta(1))
    DBTaskResult.objects.all().delete()


def main():
    connection = setup_django()
    lines = []

    def say(line=""):
        print(line, flush=True)
        lines.append(line)

    try:
        from django.core import mail  # noqa: PLC0415

        from bench.server import machine  # noqa: PLC0415
        from tests.background import run_background_tasks  # noqa: PLC0415

        quiet, followed = build(FOLLOWERS)
        publish_correction(quiet, 0)  # warm caches
        publish_correction(followed, 0)
        times = {"quiet": [], "followed": []}
        for n in range(1, RUNS + 1):
            as_if_sent_long_ago()
            times["quiet"].append(publish_correction(quiet, n))
            times["followed"].append(publish_correction(followed, n))
        quiet_ms = statistics.median(times["quiet"]) * 1000
        followed_ms = statistics.median(times["followed"]) * 1000
        ratio = followed_ms / quiet_ms

        as_if_sent_long_ago()
        mail.outbox = []
        publish_correction(followed, RUNS + 1)
        start = time.perf_counter()
        tasks = run_background_tasks()
        sending = time.perf_counter() - start
        recipients = [address for message in mail.outbox for address in message.to]

        say("## Publishing to followers (`make bench-follow`)")
        say()
        say(f"{machine()}; SQLite, test settings, locmem mailer.")
        say()
        say(f"Median of {RUNS} publishes of a correction, each run interleaved:")
        say()
        say("| story | followers | median ms |")
        say("| --- | ---: | ---: |")
        say(f"| nobody follows | 0 | {quiet_ms:.1f} |")
        say(f"| followed | {FOLLOWERS:,} | {followed_ms:.1f} |")
        say()
        say(f"Ratio {ratio:.3f} (limit {LIMIT:.2f}).")
        say()
        say(
            f"The worker sent {len(mail.outbox):,} mails to {len(set(recipients)):,} "
            f"followers in {tasks} tasks, in {sending:.1f} s "
            f"({len(mail.outbox) / sending:,.0f} mails/s)."
        )
        RESULTS.write_text("\n".join(lines) + "\n")
        failures = []
        if ratio > LIMIT:
            failures.append(f"publishing to followers is {ratio:.2f}x slower")
        if sorted(recipients) != sorted(
            f"reader{n}@example.org" for n in range(FOLLOWERS)
        ):
            failures.append("not every follower got exactly one mail")
        for failure in failures:
            print(f"FAIL: {failure}", file=sys.stderr)
        return 1 if failures else 0
    finally:
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0
        )


if __name__ == "__main__":
    sys.exit(main())
