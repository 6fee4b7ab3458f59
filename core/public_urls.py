"""The newsroom's one public root, BASE_URL, and absolute URLs on it.

Every absolute link the site writes (feeds, the sitemap, JSON-LD, Open Graph,
canonical links, the API, TimelineJS data, the record) starts with BASE_URL,
never with the host a request happened to arrive on: behind a proxy, a load
balancer or on a loopback demo, that host is not the address readers use.

Wagtail builds its own absolute URLs (`Page.get_full_url`, the sitemap, the
API's `detail_url` and `html_url`) from its Site's hostname and port, so
`manage.py set_site_url` gives the Site those of BASE_URL (`site_address`).
"""

from urllib.parse import urlsplit

from django.conf import settings

DEFAULT_PORTS = {"http": 80, "https": 443}


class BaseUrlError(ValueError):
    """BASE_URL is not an address a Wagtail Site can stand for."""


def base_url():
    """BASE_URL without its trailing slash, e.g. `https://news.example.org`."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(url):
    """`url` on BASE_URL when it is a path; an absolute URL comes back as it is.

    Media on object storage, or a link to another site, are absolute already.
    """
    if urlsplit(url).scheme or url.startswith("//"):
        return url
    return base_url() + ("" if url.startswith("/") else "/") + url


def site_address(url=None):
    """The (hostname, port) that make a Wagtail Site's `root_url` equal `url`.

    `url` defaults to BASE_URL. Wagtail writes `https://` for port 443 and
    `http://` for any other, and a Site has no path, so BASE_URL must be a
    scheme and a host (and a port), nothing more.
    """
    url = url or base_url()
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise BaseUrlError(
            f"BASE_URL {url!r} must start with http:// or https:// and name a host."
        )
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise BaseUrlError(
            f"BASE_URL {url!r} must be the site's root, with no path: "
            "the site is served at the root of its host."
        )
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as error:
        raise BaseUrlError(f"BASE_URL {url!r} has a bad port.") from error
    if (parts.scheme == "https") != (port == DEFAULT_PORTS["https"]):
        raise BaseUrlError(
            f"BASE_URL {url!r}: Wagtail's Site serves https on port 443 only, "
            "and plain http on any other port."
        )
    return parts.hostname, port


class OnBaseUrl:
    """For a Django Sitemap: entries on BASE_URL's scheme and host, as
    Wagtail's page sitemap puts them through its Site, not the request's."""

    def get_protocol(self, protocol=None):
        return urlsplit(base_url()).scheme

    def get_domain(self, site=None):
        return urlsplit(base_url()).netloc
