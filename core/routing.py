"""Page routes whose code lives above the page models.

A Wagtail page model declares its own URLs (`serve`, RoutablePageMixin's
`@path`), but rendering a page needs the read modules (history, timeline) and
the delivery code (templates, feeds) that sit above the models. A page method
therefore names its view by dotted path, as settings name middleware, and the
import happens here at request time, so no model imports upward. See
docs/architecture.md, "Layers".
"""

from functools import cache

from django.utils.module_loading import import_string

from core.page_cache import depends_on


@cache
def _view(dotted_path):
    return import_string(dotted_path)


def route(dotted_path, request, page, *args, **kwargs):
    """Answer `request` for `page` with the view function at `dotted_path`.

    The view is called as `view(request, page, *args, **kwargs)`. A page
    that names what its pages show (`cache_dependencies`) tells the page
    cache, so that changes elsewhere leave them cached.
    """
    dependencies = getattr(page, "cache_dependencies", None)
    if dependencies is not None:
        depends_on(*dependencies())
    return _view(dotted_path)(request, page, *args, **kwargs)
