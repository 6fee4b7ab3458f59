"""Source pages in /sitemap.xml: every source readers may see."""

from django.contrib.sitemaps import Sitemap

from sources.models import Source


class SourceSitemap(Sitemap):
    def items(self):
        return Source.objects.public().select_related("latest_revision").order_by("pk")

    def location(self, source):
        return source.get_absolute_url()

    def lastmod(self, source):
        revision = source.latest_revision
        return revision.created_at if revision else None
