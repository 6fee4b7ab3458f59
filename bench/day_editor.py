"""The newsroom day's Django side: what readers may open, and the editor.

Run in `manage.py shell` (bench.day does) with the served site's environment
(bench.server.site_env), so that the editor's publishes invalidate the page
cache gunicorn reads. The editor publishes as an editor does in the admin,
through Wagtail's revisions (`save_revision().publish()`), which send the
signals the page cache and the public record listen to; no shortcut around them.
"""

import json
import os
import random
import statistics
import time
import uuid
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Site
from wagtail.rich_text import RichText

from bench.zipf import pick
from sources.models import Source
from stories.models import (
    Author,
    StoryIndexPage,
    StoryPage,
    StoryPageAuthor,
    Update,
)
from trackers.models import TrackerPage

EDITOR = "bench-day-editor"


def write_targets(path):
    """The pages readers may open, most read first: the newest stories (and
    trackers) lead, sources in the order they were added."""
    stories = StoryPage.objects.visible_to_readers().order_by(
        "-first_published_at", "-path"
    )
    trackers = TrackerPage.objects.visible_to_readers().order_by(
        "-first_published_at", "-path"
    )
    root = _site_root_path()
    targets = {
        "stories": [
            [pk, _url(root, url_path)]
            for pk, url_path in stories.values_list("pk", "url_path")
        ],
        "trackers": [
            _url(root, p) for p in trackers.values_list("url_path", flat=True)
        ],
        "sources": [
            f"/sources/{slug}/"
            for slug in Source.objects.visible_to_readers()
            .order_by("pk")
            .values_list("slug", flat=True)
        ],
    }
    Path(path).write_text(json.dumps(targets))


def _site_root_path():
    return Site.objects.get(is_default_site=True).root_page.url_path


def _url(root, url_path):
    # A page's URL from its tree path without a Site look-up per page.
    return "/" + url_path.removeprefix(root)


class Desk:
    """One editor publishing on Zipf-chosen stories, newest first."""

    def __init__(self, targets, new_stories):
        self.stories = [pk for pk, _url in targets["stories"]]
        self.new_stories = Path(new_stories)
        self.new_urls = []
        # Seeded: both runs of a day make the same edits in the same order.
        self.rng = random.Random(1)
        self.user, _ = get_user_model().objects.get_or_create(username=EDITOR)
        self.user.groups.add(Group.objects.get(name="Editors"))
        self.index = StoryIndexPage.objects.order_by("path").first()
        self.author = Author.objects.order_by("pk").first()
        self.published = {"update": 0, "correction": 0, "story": 0}
        self.seconds = []

    def append_update(self):
        kind = self.rng.choice(["update", "correction"])
        update = Update.objects.create(
            story_id=pick(self.stories, self.rng),
            kind=kind,
            text=f"Newsroom day {kind}: the office has since answered.",
            live=False,
        )
        update.save_revision(user=self.user).publish(user=self.user)
        self.published[kind] += 1

    def publish_story(self):
        slug = f"day-{uuid.uuid4().hex[:12]}"
        story = StoryPage(
            title=f"Newsroom day story {slug}",
            slug=slug,
            dek="A story published during the benchmark's newsroom day.",
            live=False,
            body=[("paragraph", RichText("<p>What we learnt today.</p>"))],
        )
        story.story_authors.add(StoryPageAuthor(author=self.author))
        self.index.add_child(instance=story)
        story.save_revision(user=self.user).publish(user=self.user)
        self.stories.insert(0, story.pk)
        self.new_urls.insert(0, story.url)
        # Replaced whole, so readers never read half a list.
        partial = self.new_stories.with_suffix(".tmp")
        partial.write_text("\n".join(self.new_urls))
        os.replace(partial, self.new_stories)
        self.published["story"] += 1

    def timed(self, publish):
        start = time.perf_counter()
        publish()
        self.seconds.append(time.perf_counter() - start)

    def run(self, seconds, update_every, story_every):
        """Publish an update every `update_every` seconds and a story every
        `story_every` until `seconds` have passed."""
        start = time.monotonic()
        next_update, next_story = update_every, story_every
        while min(next_update, next_story) < seconds:
            due = min(next_update, next_story)
            time.sleep(max(0, start + due - time.monotonic()))
            if due == next_story:
                self.timed(self.publish_story)
                next_story += story_every
            else:
                self.timed(self.append_update)
                next_update += update_every
        return {
            **self.published,
            "publish_p50_ms": statistics.median(self.seconds) * 1000
            if self.seconds
            else 0,
        }


def edit(targets, new_stories, seconds, update_every, story_every):
    """Publish for `seconds`; print what was published, as the last line."""
    desk = Desk(json.loads(Path(targets).read_text()), new_stories)
    print(json.dumps(desk.run(seconds, update_every, story_every)))
