"""Pages in /sitemap.xml: every page readers may see, but not a withdrawn
story, whose address is a tombstone now (core.visibility)."""

from wagtail.contrib.sitemaps import Sitemap

from core import visibility
from stories.models import StoryPage


class PageSitemap(Sitemap):
    def items(self):
        withdrawn = StoryPage.objects.filter(visibility.withdrawn()).values("pk")
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .filter(visibility.page())
            .exclude(pk__in=withdrawn)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
