"""A reusable RSS 2.0 + Atom pair on Django's syndication framework.

A feed subclasses `NewsroomFeed`, gives `title`, `link`, `description` and
`items()`, and the `item_*` hooks; `feed_urls()` then serves it as RSS at a
path and as Atom at `<path>atom/`. Every item's GUID is `urn:uuid:` plus a key
that never changes when the item is edited, retitled or moved.

Each call works on its own copy of the feed, which holds the request as
`self.request`: the instance in the URLconf is shared by every request.
"""

import copy

from django.contrib.syndication.views import Feed
from django.urls import path
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from core.page_cache import depends_on
from core.public_urls import absolute_url

FEED_LENGTH = 50


class NewsroomFeed(Feed):
    """RSS 2.0; `feed_urls()` derives the Atom twin."""

    feed_type = Rss201rev2Feed
    item_guid_is_permalink = False

    # What the feed lists, for the page cache (core.page_cache.depends_on);
    # empty: every change retires it.
    cache_dependencies = ()

    def __call__(self, request, *args, **kwargs):
        depends_on(*self.cache_dependencies)
        # The hooks need the request (absolute page URLs, the feed's own
        # address), but Django's hooks are not handed it. The instance in the
        # URLconf serves every request, on every thread at once, so the request
        # goes on a copy made for this call, never on the shared feed.
        feed = copy.copy(self)
        feed.request = request
        return super(NewsroomFeed, feed).__call__(request, *args, **kwargs)

    def feed_url(self):
        # On BASE_URL: Django would put a relative one on the request's host.
        return absolute_url(self.request.path)

    def item_stable_key(self, item):
        """A UUID that identifies the item for good; subclasses must give one."""
        raise NotImplementedError

    def item_guid(self, item):
        return f"urn:uuid:{self.item_stable_key(item)}"


def atom_twin(feed_class):
    """The same feed as Atom 1.0, its description as the Atom subtitle."""
    return type(
        f"{feed_class.__name__}Atom",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description},
    )


def feed_urls(route, feed_class, name):
    """RSS at `route` and Atom at `route + "atom/"`, named `name` and `name_atom`."""
    return [
        path(route, feed_class(), name=name),
        path(f"{route}atom/", atom_twin(feed_class)(), name=f"{name}_atom"),
    ]
