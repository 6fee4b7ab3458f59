"""Source pages in /sitemap.xml: every source readers may see."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap

from core.public_urls import base_url
from sources.models import Source


class SourceSitemap(Sitemap):
    # Django puts each location on the request's scheme and host; these put it
    # on BASE_URL's, as Wagtail's page sitemap does through its Site.
    def get_protocol(self, protocol=None):
        return urlsplit(base_url()).scheme

    def get_domain(self, site=None):
        return urlsplit(base_url()).netloc

    def items(self):
        return Source.objects.visible_to_readers().order_by("pk")

    def location(self, source):
        return source.get_absolute_url()

    def lastmod(self, source):
        # When readers last saw a change: a draft saved since does not count.
        return source.last_published_at
