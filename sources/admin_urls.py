"""Links into the admin that open a request-for-comment form already filled in."""

from urllib.parse import urlencode

from django.urls import reverse

PREFILL_PARAMS = ("source", "story", "follow_up_of")


def add_request_url(source=None, story=None, follow_up_of=None):
    """The "add request for comment" URL with the given objects chosen."""
    chosen = {"source": source, "story": story, "follow_up_of": follow_up_of}
    query = {name: obj.pk for name, obj in chosen.items() if obj is not None}
    url = reverse("wagtailsnippets_sources_requestforcomment:add")
    return f"{url}?{urlencode(query)}" if query else url
