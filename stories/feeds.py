"""Feeds of stories: /feeds/stories/ (RSS 2.0) and /feeds/stories/atom/."""

from django.conf import settings

from newsroom.feeds import FEED_LENGTH, NewsroomFeed, feed_urls
from stories.models import StoryPage


class LatestStoriesFeed(NewsroomFeed):
    """Published stories, newest first by first publication."""

    link = "/stories/"

    def title(self):
        return f"{settings.WAGTAIL_SITE_NAME}: stories"

    description = "The latest published stories, newest first."

    def items(self):
        return StoryPage.objects.for_listing()[:FEED_LENGTH]

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
