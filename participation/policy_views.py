"""/corrections/policy/: the corrections policy with live figures on reader reports.

It shows counts only (participation.figures), never a reader's name, address
or words. Unlike other reader pages it is not kept by the page cache, whose
every entry a change to content retires: reports come from anyone, and a
stream of them must not empty every cached page on the site. Its figures are
kept in the shared cache for POLICY_FIGURES_SECONDS instead (a minute), so
they are at most that old, and the page costs a few queries a minute however
often it is read; a CDN may keep it as long.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.cache import cache
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from wagtail.models import Site

from core.public_urls import OnBaseUrl
from participation.figures import build_figures
from participation.models import CorrectionsPolicy

FIGURES_KEY = "corrections-policy-figures"


def current_figures():
    seconds = settings.POLICY_FIGURES_SECONDS
    if not (settings.PAGE_CACHE_ENABLED and seconds):
        return build_figures()
    return cache.get_or_set(FIGURES_KEY, build_figures, seconds)


def corrections_policy(request):
    # Read, never created: `for_site()` would write a row on a reader's GET.
    site = Site.find_for_request(request)
    policy = CorrectionsPolicy.objects.filter(site=site).first() if site else None
    response = render(
        request,
        "participation/corrections_policy.html",
        {
            "introduction": policy.introduction if policy else "",
            "retention": policy.retention if policy else "",
            "figures": current_figures(),
            "follow_confirm_days": settings.FOLLOW_CONFIRM_DAYS,
            "contact_retention_days": settings.REPORT_CONTACT_RETENTION_DAYS,
        },
    )
    # Caching of its own choosing, which the page cache leaves alone.
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=settings.POLICY_FIGURES_SECONDS
    )
    return response


class PolicySitemap(OnBaseUrl, Sitemap):
    """The policy page in /sitemap.xml, on BASE_URL as every other entry."""

    def items(self):
        return ["corrections_policy"]

    def location(self, item):
        return reverse(item)


urlpatterns = [
    path("corrections/policy/", corrections_policy, name="corrections_policy")
]
