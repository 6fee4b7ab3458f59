"""An editor gives a story a lead image in the admin; a reader on a phone sees it
as a WebP picture, with its caption and credit, under the strict CSP."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from tests.browser.test_story_workflow import log_in
from tests.factories import make_story, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

IMAGE_TITLE = "Jail intake desk"
ALT = "The intake desk of the county jail, empty at night"
CAPTION = "Detainer requests are handled at the jail's intake desk."
CREDIT = "Photo: Data desk"


def make_image():
    pixels = io.BytesIO()
    PillowImage.new("RGB", (1600, 900), (90, 110, 130)).save(pixels, "PNG")
    return get_image_model().objects.create(
        title=IMAGE_TITLE, file=ImageFile(pixels, name="intake.png")
    )


def test_editor_adds_a_lead_image_and_a_reader_sees_it(
    live_server, page, csp_violations, story_index
):
    base = live_server.url
    story = make_story(story_index, "Jail intake slows under new detainer policy")
    make_image()
    editor = make_user("martin", group="Editors")

    log_in(page, base, editor)
    page.goto(f"{base}/admin/pages/{story.id}/edit/")
    page.get_by_role("button", name="Choose an image").click()
    page.get_by_role("link", name=IMAGE_TITLE).click()
    page.wait_for_selector(".modal", state="detached")
    page.fill("#id_lead_image_alt", ALT)
    page.fill("#id_lead_image_caption", CAPTION)
    page.fill("#id_lead_image_credit", CREDIT)
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    page.context.clear_cookies()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + story.url)
    picture = page.locator("figure.lead-image img")
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )

    assert picture.get_attribute("alt") == ALT
    # Chromium takes the WebP source, at the width a 390px screen needs.
    assert picture.evaluate("img => img.currentSrc").endswith(".webp")
    caption = page.locator("figure.lead-image figcaption").inner_text()
    assert CAPTION in caption and CREDIT.upper() in caption.upper()
    assert not csp_violations, csp_violations
