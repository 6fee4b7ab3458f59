"""A story's lead image: what the editor must give with it, and where readers
see it (page, lists, link previews, the API), as core.visibility allows."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction

from stories.diff import document_text
from stories.history import published_versions
from stories.models import StoryPage
from tests.factories import make_image, make_story, publish_new_version
from tests.stories.admin_forms import story_form

pytestmark = pytest.mark.django_db

ALT = "Jail entrance on NW 13th Street at dusk"
CAPTION = "The county's main jail, where detainer requests arrive."
CREDIT = "Photo: Data desk"
WEBP_SOURCE = re.compile(r'<source [^>]*type="image/webp"')


def with_lead_image(story, image, **overrides):
    fields = {
        "lead_image": image,
        "lead_image_alt": ALT,
        "lead_image_caption": CAPTION,
        "lead_image_credit": CREDIT,
        **overrides,
    }
    publish_new_version(story, **fields)
    return StoryPage.objects.get(pk=story.pk)


def restricted_collection():
    staff = Collection.get_first_root_node().add_child(name="Staff only")
    CollectionViewRestriction.objects.create(
        collection=staff, restriction_type=CollectionViewRestriction.LOGIN
    )
    return staff


@pytest.mark.parametrize(
    ("missing", "words"),
    [
        ("lead_image_alt", "alt text"),
        ("lead_image_caption", "a caption"),
        ("lead_image_credit", "a credit"),
    ],
)
def test_a_lead_image_without_alt_caption_or_credit_is_refused(
    story_index, missing, words
):
    story = make_story(story_index)
    story.lead_image = make_image()
    story.lead_image_alt, story.lead_image_caption = ALT, CAPTION
    story.lead_image_credit = CREDIT
    setattr(story, missing, "  ")

    with pytest.raises(ValidationError) as refused:
        story.full_clean()

    messages = refused.value.message_dict
    assert list(messages) == [missing]
    assert f"A lead image needs {words}" in messages[missing][0]


def test_a_story_without_a_lead_image_needs_none_of_its_fields(story_index):
    make_story(story_index).full_clean()


def test_the_story_page_shows_the_lead_image_as_a_responsive_picture(
    client, story_index
):
    story = with_lead_image(make_story(story_index), make_image())

    html = client.get(story.url).content.decode()

    figure = re.search(r'<figure class="lead-image">(.*?)</figure>', html, re.S)[1]
    assert WEBP_SOURCE.search(figure)
    assert re.search(r'srcset="[^"]+\.webp 480w, [^"]+\.webp 960w"', figure)
    # The fallback for browsers without WebP: a JPEG <img>, with the alt text.
    img = re.search(r"<img [^>]*>", figure)[0]
    assert f'alt="{ALT}"' in img
    assert re.search(r'src="[^"]+\.jpg"', img)
    assert 'sizes="' in figure
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", figure, re.S)[1]
    assert CAPTION.replace("'", "&#x27;") in caption and CREDIT in caption


def test_link_previews_and_json_ld_use_the_lead_image_at_an_absolute_url(
    client, story_index, settings
):
    story = with_lead_image(make_story(story_index), make_image())

    html = client.get(story.url).content.decode()

    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html)[1]
    assert og_image.startswith(settings.WAGTAILADMIN_BASE_URL + "/media/images/")
    data = json.loads(
        re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html)[1]
    )
    assert data["image"] == [og_image]


def test_story_lists_show_a_thumbnail_without_repeating_the_headline(
    client, story_index
):
    with_lead_image(make_story(story_index, "With a picture"), make_image())

    html = client.get("/stories/").content.decode()

    thumbnail = re.search(r'<img[^>]*class="story-list__thumbnail"[^>]*>', html)[0]
    assert 'alt=""' in thumbnail
    assert WEBP_SOURCE.search(html)


def test_an_image_in_a_restricted_collection_is_shown_nowhere(client, story_index):
    image = make_image("Staff photo", collection=restricted_collection())
    story = with_lead_image(make_story(story_index), image)

    page = client.get(story.url).content.decode()
    listing = client.get("/stories/").content.decode()
    api = client.get(f"/api/stories/{story.pk}/").json()

    assert "lead-image" not in page and ALT not in page and CREDIT not in page
    assert "og:image" not in page
    assert "story-list__thumbnail" not in listing
    assert api["lead_image"] is None


def test_the_api_gives_the_lead_image_with_its_words_and_size(client, story_index):
    story = with_lead_image(make_story(story_index), make_image(size=(1600, 900)))
    plain = make_story(story_index)

    detail = client.get(f"/api/stories/{story.pk}/").json()["lead_image"]
    listing = {
        item["id"]: item["lead_image"]
        for item in client.get("/api/stories/").json()["items"]
    }

    assert detail["url"].startswith("http") and detail["url"].endswith(".jpg")
    assert (detail["width"], detail["height"]) == (960, 540)
    assert (detail["alt"], detail["caption"], detail["credit"]) == (
        ALT,
        CAPTION,
        CREDIT,
    )
    assert listing[story.pk] == detail
    assert listing[plain.pk] is None


def test_an_editor_adds_a_lead_image_in_the_admin_and_readers_see_it(
    editor_client, client, story_index
):
    story = make_story(story_index)
    image = make_image()
    url = reverse("wagtailadmin_pages:edit", args=[story.id])
    form = story_form(story.title, story.slug, action_publish=True)

    refused = editor_client.post(url, {**form, "lead_image": image.pk})
    published = editor_client.post(
        url,
        {
            **form,
            "lead_image": image.pk,
            "lead_image_alt": ALT,
            "lead_image_caption": CAPTION,
            "lead_image_credit": CREDIT,
        },
    )

    assert refused.status_code == 200
    assert "A lead image needs alt text" in refused.content.decode()
    assert published.status_code == 302
    story.refresh_from_db()
    assert story.lead_image == image
    assert f'alt="{ALT}"' in client.get(story.url).content.decode()


def test_a_lead_image_changed_after_publishing_is_a_public_change(client, story_index):
    """Published means frozen: each version's record keeps the picture readers
    saw and its words, and the diff shows a re-captioned or swapped picture."""
    story = with_lead_image(make_story(story_index), make_image())
    with_lead_image(
        story, make_image("Jail gate", size=(1200, 900)), lead_image_caption="The gate."
    )
    *_, before, after = published_versions(story)

    old, new = (
        client.get(f"{story.url}history/{v.number}.json").json()["lead_image"]
        for v in (before, after)
    )
    url = f"{story.url}history/{before.revision_id}/{after.revision_id}/"
    diff = client.get(url).content.decode()

    assert old["caption"] == CAPTION and new["caption"] == "The gate."
    assert old["file_hash"] != new["file_hash"]
    assert {old["alt"], new["alt"]} == {ALT}
    assert f"<del>{old['file_hash'][:8]})" in diff
    assert "<ins>gate.</ins>" in diff


def test_versions_recorded_before_lead_images_still_read():
    text = document_text({"headline": "H", "dek": "D", "body": []})

    assert text.body == ()
