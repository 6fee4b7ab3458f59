"""A reader clicks "next" on every paginated list and lands on its second page."""

import re

import pytest

from tests.factories import make_long_lists

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEXT = re.compile(r"^(Older|Next page)$")


def test_next_on_every_paginated_list_lands_on_page_two(
    live_server, page, home_page, story_index
):
    lists = make_long_lists(home_page, story_index)
    # Search starts from its overview: "see all" opens the full list of stories.
    lists["search"] = ("/search/?q=pelican", None)
    missed = {}
    for name, (address, marker) in lists.items():
        page.goto(live_server.url + address)
        if name == "search":
            page.get_by_role(
                "link", name=re.compile(r"^All \d+ stories matching")
            ).click()
            page.wait_for_url("**type=stories**")
        first = page.locator("main").inner_text()
        page.get_by_role("link", name=NEXT).click()
        page.wait_for_url("**page=2**")
        second = page.locator("main").inner_text()
        if "Page 2 of" not in second:
            missed[name] = f"{page.url} does not say it is page 2"
        elif marker and (marker not in second or marker in first):
            missed[name] = f"{marker!r} is not only on page 2 ({page.url})"
        elif first == second:
            missed[name] = f"page 2 shows what page 1 did ({page.url})"
    assert missed == {}
