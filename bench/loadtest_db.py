"""The database side of the load test; runs inside Django (manage.py shell).

`prepare` makes the editor accounts and lists the pages users will visit;
`write_counts` counts what editors' writes leave behind, taken before and
after the run.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import PageLogEntry, Revision

from newsroom.demo.accounts import DemoAccount, ensure_account
from sources.models import Source
from stories.history import published_versions
from stories.models import StoryPage, Update
from trackers.models import TrackerPage

PASSWORD_ENV = "LOADTEST_EDITOR_PASSWORD"  # noqa: S105 - a variable's name


def prepare(editors, stories=200):
    """Editor accounts load-editor-N (password from LOADTEST_EDITOR_PASSWORD)
    and the pages to visit: generate_load's stories (whose bodies are plain
    paragraphs, which the editors' form handling expects), sources, a tracker.
    """
    usernames = [f"load-editor-{n}" for n in range(editors)]
    for username in usernames:
        ensure_account(DemoAccount(username, "Load", "Editor", "Editors", PASSWORD_ENV))
    live = StoryPage.objects.live().filter(slug__startswith="load-").order_by("path")
    ids = list(live.values_list("pk", flat=True))
    picked = live.filter(pk__in=ids[:: max(1, len(ids) // stories)])
    tracker = TrackerPage.objects.visible_to_readers().order_by("path").first()
    return {
        "editors": usernames,
        "stories": [
            {
                "id": story.pk,
                "url": story.url,
                "versions": [v.revision_id for v in published_versions(story)],
            }
            for story in picked
        ],
        "sources": list(
            Source.objects.visible_to_readers()
            .filter(slug__startswith="load-")
            .values_list("slug", flat=True)
        ),
        "tracker": tracker.url if tracker else None,
    }


def write_counts():
    """Rows that editors' writes add: updates, story revisions, publications."""
    story_type = ContentType.objects.get_for_model(StoryPage)
    return {
        "updates": Update.objects.count(),
        "story revisions": Revision.objects.filter(content_type=story_type).count(),
        "story publications": PageLogEntry.objects.filter(
            content_type=story_type, action="wagtail.publish"
        ).count(),
    }
