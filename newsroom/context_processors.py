from django.conf import settings

# The masthead's sections: label, address, and the addresses that belong to
# the section (a story's tag and author pages are part of Stories).
SECTIONS = [
    ("Stories", "/stories/", ("/stories/", "/tags/", "/authors/")),
    ("Trackers", "/trackers/", ("/trackers/",)),
    ("Sources", "/sources/", ("/sources/",)),
    ("Corrections", "/corrections/", ("/corrections/",)),
    ("Record", "/record/", ("/record/",)),
]


def site(request):
    """The newsroom's name and contact, for the masthead, titles and footer, and
    the masthead's sections with the one the reader is in marked current."""
    path = getattr(request, "path", "")
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "contact_email": settings.NEWSROOM_CONTACT_EMAIL,
        "sections": [
            {"label": label, "url": url, "current": path.startswith(prefixes)}
            for label, url, prefixes in SECTIONS
        ],
    }
