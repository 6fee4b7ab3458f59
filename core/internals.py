"""Every use of another package's private attributes, in one place.

Each one saves work that the public API cannot (a query per request, a
hand-copied schema) and each can vanish in any release. They are used only
through the names below, and tests/core/test_internals.py fails loudly when
one is gone, so an upgrade shows at once what to look at.

Checked against Wagtail 8.0.1, django-treebeard 5.3.1, Django 6.1.3 and
drf-spectacular 0.30.0:

- `request._wagtail_site` (Wagtail, `Site.find_for_request`): the site found
  for a request, which we keep in the shared cache;
- `"specific"` in `vars(page)` (Wagtail, the `Page.specific` cached property):
  whether a page's specific type is loaded;
- `page._cached_parent_obj` (treebeard, `MP_Node.get_parent`): routing hands a
  page its parent, saving a query;
- `MP_Node._str2int`, `_get_path`, `steplen` (treebeard): tree paths for pages
  that generate_load inserts in bulk;
- `instance._prefetched_objects_cache` (Django, `prefetch_related`): whether a
  relation is prefetched already;
- `AutoSchema._map_serializer`, `_is_list_view`, `_get_response_bodies`
  (drf-spectacular): the OpenAPI description of Wagtail's endpoints;
- `Serializer._init_options` (Django's serializers): overridden where it must
  be, in core.exact_jsonl, and checked here all the same.
"""

from drf_spectacular.openapi import AutoSchema
from wagtail.models import Page

# -- Wagtail and treebeard ------------------------------------------------------


def request_site(request):
    """The Site that `Site.find_for_request` found for `request`, or None."""
    return getattr(request, "_wagtail_site", None)


def set_request_site(request, site):
    """Make `Site.find_for_request(request)` answer `site` without a query."""
    request._wagtail_site = site


def has_specific(page):
    """Whether `page.specific` is loaded already (asking would not query)."""
    return "specific" in vars(page)


def set_parent(page, parent):
    """Make `page.get_parent()` answer `parent` without a query."""
    page._cached_parent_obj = parent


def child_paths(parent_path, depth, last_child_path, count):
    """Tree paths for `count` new children after the child at `last_child_path`."""
    step = Page._str2int(last_child_path[-Page.steplen :]) if last_child_path else 0
    return [Page._get_path(parent_path, depth, step + n + 1) for n in range(count)]


# -- Django ---------------------------------------------------------------------


def is_prefetched(instance, relation):
    """Whether `relation` of `instance` came with a `prefetch_related`."""
    return relation in getattr(instance, "_prefetched_objects_cache", {})


# -- drf-spectacular ------------------------------------------------------------


def map_serializer_plainly(auto_schema, serializer, direction):
    """drf-spectacular's own schema of `serializer`, without our extensions."""
    return auto_schema._map_serializer(serializer, direction, bypass_extensions=True)


class PublicAutoSchema(AutoSchema):
    """AutoSchema whose private hooks we override, under public names.

    Subclasses override `is_list_view(serializer)` and
    `response_bodies(bodies, direction)` instead of the private methods.
    """

    def is_list_view(self, serializer=None):
        return super()._is_list_view(serializer)

    def response_bodies(self, bodies, direction):
        return bodies

    def _is_list_view(self, serializer=None):
        return self.is_list_view(serializer)

    def _get_response_bodies(self, direction="response"):
        return self.response_bodies(super()._get_response_bodies(direction), direction)
