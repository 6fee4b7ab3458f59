"""Feeds of stories and updates, each RSS 2.0 with an Atom twin.

- /feeds/stories/: published stories;
- /feeds/updates/: updates, corrections and clarifications site-wide;
- /stories/<slug>/feed/: one story's updates (routes of StoryPage).

A tracker's timeline feed is in trackers.feeds.
"""

from django.conf import settings

from core.feeds import FEED_LENGTH, NewsroomFeed, atom_twin, feed_urls
from core.page_cache import STORIES, UPDATES
from core.public_urls import absolute_url
from stories.models import StoryPage, Update


class LatestStoriesFeed(NewsroomFeed):
    """Published stories, newest first by first publication."""

    cache_dependencies = (STORIES, UPDATES)

    def link(self):
        return absolute_url("/stories/")

    def title(self):
        return f"{settings.WAGTAIL_SITE_NAME}: stories"

    description = "The latest published stories, newest first."

    def items(self):
        return StoryPage.objects.for_listing().prefetch_related("tags")[:FEED_LENGTH]

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return story.dek

    def item_link(self, story):
        return story.get_full_url(self.request)

    def item_stable_key(self, story):
        # The translation key is made once per page and kept across every
        # revision, title or slug change.
        return story.translation_key

    def item_pubdate(self, story):
        return story.first_published_at

    def item_updateddate(self, story):
        return story.last_published_at

    def item_author_name(self, story):
        return ", ".join(author.name for author in story.authors) or None

    def item_categories(self, story):
        return [tag.name for tag in story.tags.all()]


urlpatterns = feed_urls("feeds/stories/", LatestStoriesFeed, "story_feed")


class LatestUpdatesFeed(NewsroomFeed):
    """Published updates, corrections and clarifications site-wide, newest first.

    Each item links to its story's update box, at the update's own anchor; an
    amended update keeps its GUID and shows the amendment as its update date.
    """

    cache_dependencies = (STORIES, UPDATES)

    def link(self):
        return absolute_url("/corrections/")

    description = (
        "Updates, corrections and clarifications to our stories, newest first."
    )

    def title(self):
        return f"{settings.WAGTAIL_SITE_NAME}: updates and corrections"

    def items(self):
        # The corrections log's queryset, less stories taken offline: their
        # links would lead nowhere. Withdrawn stories stay (a public tombstone).
        return Update.objects.for_log()[:FEED_LENGTH]

    def item_title(self, update):
        return f"{update.get_kind_display()}: {update.story.title}"

    def item_description(self, update):
        return update.text

    def item_link(self, update):
        return f"{update.story.get_full_url(self.request)}#update-{update.pk}"

    def item_stable_key(self, update):
        return update.guid

    def item_pubdate(self, update):
        return update.first_published_at

    def item_updateddate(self, update):
        return update.last_published_at

    def item_categories(self, update):
        return [update.get_kind_display()]


class StoryUpdatesFeed(LatestUpdatesFeed):
    """One story's published updates, for a reader following that story.

    Served by the story page's own routes (`feed/` and `feed/atom/`), which
    pass the story and answer for withdrawn stories themselves.
    """

    description = "Updates, corrections and clarifications to one story."
    # The story's routes have said what it shows (StoryPage.cache_dependencies).
    cache_dependencies = ()

    def get_object(self, request, story):
        return story

    def title(self, story):
        return f"{settings.WAGTAIL_SITE_NAME}: updates to “{story.title}”"

    def link(self, story):
        return story.get_full_url(self.request)

    def items(self, story):
        return Update.objects.for_story(story).select_related("story")[:FEED_LENGTH]


StoryUpdatesAtomFeed = atom_twin(StoryUpdatesFeed)


urlpatterns += [
    *feed_urls("feeds/updates/", LatestUpdatesFeed, "update_feed"),
]
