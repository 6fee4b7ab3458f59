"""generate_load builds a working, reproducible newsroom."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from stories.history import published_versions
from stories.models import StoryPage, Update
from trackers.models import TrackerPage


class Rollback(Exception):
    pass


def build(seed, stories=30):
    out = io.StringIO()
    call_command("generate_load", stories=stories, seed=seed, stdout=out)
    titles = list(
        StoryPage.objects.filter(slug__startswith=f"load-{seed}-")
        .order_by("path")
        .values_list("title", flat=True)
    )
    return titles, out.getvalue()


def test_the_same_seed_builds_the_same_stories(db):
    with pytest.raises(Rollback), transaction.atomic():
        first, _out = build(seed=7)
        raise Rollback

    second, out = build(seed=7)

    assert len(first) == 30
    assert first == second
    assert "[##############################] 30/30" in out


def test_a_generated_site_renders_with_history_and_diffs(client, db):
    build(seed=3)
    story = StoryPage.objects.live().filter(slug__startswith="load-3-").last()
    versions = published_versions(story)
    old, new = versions[0].revision_id, versions[-1].revision_id

    assert len(versions) == 3
    for url in ["/", "/stories/", story.url, "/corrections/", "/sources/"]:
        assert client.get(url).status_code == 200, url
    history = client.get(story.url + "history/").content.decode()
    assert history.count('<li class="version') == 3
    diff = client.get(f"{story.url}history/{old}/{new}/")
    assert diff.status_code == 200
    assert "<ins" in diff.content.decode()
    assert Update.objects.filter(story__slug__startswith="load-3-").exists()


def test_generated_trackers_have_events_and_stories_and_search_finds_stories(
    client, db
):
    build(seed=5)
    tracker = TrackerPage.objects.get(slug="load-5-tracker-0")

    assert tracker.events.count() == 40
    assert StoryPage.objects.filter(trackers=tracker).count() == 3
    assert client.get(tracker.url).status_code == 200
    results = client.get("/search/", {"q": "plan"}).content.decode()
    assert "/stories/load-5-" in results
