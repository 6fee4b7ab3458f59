"""/corrections/policy/: the corrections policy with live figures on reader reports.

A reader page like the others: no form and nothing per person, so the page
cache keeps it; a change to the policy's words or to any report retires the
cached copy (PAGE_CACHE_CONTENT_MODELS). It shows counts only
(participation.figures), never a reader's name, address or words.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.shortcuts import render
from django.urls import path, reverse
from wagtail.models import Site

from core.public_urls import base_url
from participation.figures import build_figures
from participation.models import CorrectionsPolicy


def corrections_policy(request):
    # Read, never created: `for_site()` would write a row on a reader's GET.
    site = Site.find_for_request(request)
    policy = CorrectionsPolicy.objects.filter(site=site).first() if site else None
    return render(
        request,
        "participation/corrections_policy.html",
        {
            "introduction": policy.introduction if policy else "",
            "retention": policy.retention if policy else "",
            "figures": build_figures(),
            "follow_confirm_days": settings.FOLLOW_CONFIRM_DAYS,
            "contact_retention_days": settings.REPORT_CONTACT_RETENTION_DAYS,
        },
    )


class PolicySitemap(Sitemap):
    """The policy page in /sitemap.xml, on BASE_URL as every other entry."""

    def get_protocol(self, protocol=None):
        return urlsplit(base_url()).scheme

    def get_domain(self, site=None):
        return urlsplit(base_url()).netloc

    def items(self):
        return ["corrections_policy"]

    def location(self, item):
        return reverse(item)


urlpatterns = [
    path("corrections/policy/", corrections_policy, name="corrections_policy")
]
