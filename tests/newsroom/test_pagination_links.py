"""Every paginated reader list's links reach the page they name.

Django's `{% querystring %}` starts with "?" itself; a template that wrote
`href="?{% querystring %}"` made `??page=2`, which every list read as page 1.
"""

import re
from html import unescape
from urllib.parse import urljoin

import pytest

from tests.factories import make_long_lists

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HREF = re.compile(r'href="([^"]*)"')
NEXT = re.compile(r'<a rel="next" href="([^"]*)"')
# A search hit, by the address it links to (its title may carry highlights).
HIT = re.compile(r'class="search__title" href="([^"]*)"')
SEE_ALL = re.compile(r'<a href="([^"]*)">All \d+ stories matching')


@pytest.fixture
def long_lists(home_page, story_index):
    lists = make_long_lists(home_page, story_index)
    # Search starts from its overview, whose "see all" link opens the list.
    lists["search"] = ("/search/?q=pelican", None)
    return lists


def get(client, address):
    response = client.get(address)
    assert response.status_code == 200, f"{address} answered {response.status_code}"
    return response.content.decode()


def follow(address, html, pattern):
    """The address a link matching `pattern` on the page at `address` goes to."""
    found = pattern.search(html)
    assert found, f"{address} has no link matching {pattern.pattern!r}"
    return urljoin(urljoin("http://testserver/", address), unescape(found.group(1)))


def test_no_link_on_a_paginated_list_has_a_doubled_question_mark(client, long_lists):
    pages = [address for address, _marker in long_lists.values()]
    pages += [
        f"{address}{'&' if '?' in address else '?'}page=2"
        for address, _marker in long_lists.values()
        if address != "/search/?q=pelican"
    ]
    pages.append("/search/?q=pelican&type=stories")
    doubled = {
        address: [href for href in HREF.findall(get(client, address)) if "??" in href]
        for address in pages
    }
    assert {address: hrefs for address, hrefs in doubled.items() if hrefs} == {}


def test_next_on_every_paginated_list_opens_its_second_page(client, long_lists):
    for name, (address, marker) in long_lists.items():
        html = get(client, address)
        if name == "search":
            address = follow(address, html, SEE_ALL)
            assert "type=stories" in address
            html = get(client, address)
        second_address = follow(address, html, NEXT)
        second = get(client, second_address)
        assert "page=2" in second_address, name
        assert "Page 2 of" in second, f"{name}: {second_address} is not page 2"
        if marker:
            assert marker in second, f"{name}: {marker!r} is not on page 2"
            assert marker not in html, f"{name}: {marker!r} is on page 1 too"
        else:
            first_hits = set(HIT.findall(html))
            second_hits = set(HIT.findall(second))
            assert second_hits, f"{name}: page 2 lists nothing"
            assert not first_hits & second_hits, f"{name}: page 2 repeats page 1"
