"""Source pages in /sitemap.xml: every source readers may see."""

from django.contrib.sitemaps import Sitemap

from core.public_urls import OnBaseUrl
from sources.models import Source


class SourceSitemap(OnBaseUrl, Sitemap):
    def items(self):
        return Source.objects.visible_to_readers().order_by("pk")

    def location(self, source):
        return source.get_absolute_url()

    def lastmod(self, source):
        # When readers last saw a change: a draft saved since does not count.
        return source.last_published_at
