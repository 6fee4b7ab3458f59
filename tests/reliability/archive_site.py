"""Run inside a site's own `manage.py shell` by tests/reliability/test_archive.py.

`build()` makes the site that is archived: the demo, a few generated stories,
an image and a document shown to readers, and a story waiting in review.
"""

import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from participation.models import CorrectionRequest, Follow, Subscriber
from stories.models import Author, StoryPage

DEMO_STORY = "mayors-office-stops-taking-calls-on-sanctuary-reversal"


def build():
    quiet = io.StringIO()
    call_command("load_demo", stdout=quiet)
    call_command("generate_load", stories=4, seed=9, stdout=quiet)
    editor = get_user_model().objects.get(username="editor")
    image, document = add_uploads()
    author = Author.objects.order_by("pk").first()
    author.photo = image
    author.save()

    story = StoryPage.objects.get(slug=DEMO_STORY)
    story.body.append(("image", {"image": image, "caption": "The chamber"}))
    story.body.append(
        (
            "paragraph",
            RichText(
                f'<p>Read <a linktype="document" id="{document.pk}">the '
                "figures</a> the county released.</p>"
            ),
        )
    )
    story.save_revision(user=editor).publish(user=editor)

    reporter = get_user_model().objects.get(username="reporter")
    waiting = StoryPage.objects.filter(slug__startswith="load-9-").first()
    waiting.dek = "A new dek, waiting for an editor."
    waiting.save_revision(user=reporter)
    waiting.get_workflow().start(waiting, reporter)

    add_reader_data(story)

    # generate_load leaves the search index to update_index.
    call_command("update_index", stdout=quiet)


# What readers sent, which --without-personal-data leaves out.
PERSONAL = ["Reader Marisol Ortega", "ortega@example.org", "The 311 date is off"]


def add_reader_data(story):
    report = CorrectionRequest.objects.create(
        page=story,
        page_url=story.url,
        what_is_wrong=PERSONAL[2],
        name=PERSONAL[0],
        email=PERSONAL[1],
    )
    report.notes.create(
        author=get_user_model().objects.get(username="reporter"),
        text="Checked against the county's release.",
    )
    follower = Subscriber.objects.create(email=PERSONAL[1])
    Follow.objects.create(
        subscriber=follower, page=story, confirmed_at=report.received_at
    )


def add_uploads():
    pixels = io.BytesIO()
    PillowImage.new("RGB", (640, 360), (40, 90, 160)).save(pixels, "PNG")
    image = get_image_model().objects.create(
        title="Commission chamber", file=ImageFile(pixels, name="chamber.png")
    )
    document = get_document_model().objects.create(
        title="Detainer figures",
        file=ContentFile(b"month,requests\n2017-01,27\n", name="detainers.csv"),
    )
    return image, document
