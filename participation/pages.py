"""The pages readers take part on: a story or a tracker they may see.

Both forms (report an error, follow by email) take a page id from the address;
this is where an id becomes a page, or a 404 in the view, whatever the id.
"""

from stories.models import StoryPage
from trackers.models import TrackerPage

# Past this a database integer overflows; no page has such an id.
MAX_ID = 2**63 - 1


def reportable(page_id):
    """(page, "story" or "tracker") for a live story or tracker readers may
    see, withdrawn stories included (their tombstone is public); else None."""
    if not 0 < page_id <= MAX_ID:
        return None
    for model, what in ((StoryPage, "story"), (TrackerPage, "tracker")):
        page = model.objects.visible_to_readers().filter(pk=page_id).first()
        if page is not None:
            return page, what
    return None


def followable(page_id):
    """The story or tracker readers may follow: a visible tracker, or a
    visible story that is not withdrawn. Else None."""
    if not 0 < page_id <= MAX_ID:
        return None
    story = StoryPage.objects.listed().filter(pk=page_id).first()
    if story is not None:
        return story
    return TrackerPage.objects.visible_to_readers().filter(pk=page_id).first()
