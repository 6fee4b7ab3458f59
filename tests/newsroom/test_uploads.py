"""Documents in a private collection reach only those allowed; images stay public."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

pytestmark = pytest.mark.django_db

SECRET = b"Informant: the deputy chief. Do not publish.\n"
PUBLIC = b"month,requests\n2017-01,27\n"


@pytest.fixture
def private_document():
    collection = Collection.get_first_root_node().add_child(name="Legal filings")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return get_document_model().objects.create(
        title="Tip sheet",
        collection=collection,
        file=ContentFile(SECRET, name="tip-sheet.txt"),
    )


@pytest.fixture
def public_document():
    return get_document_model().objects.create(
        title="Detainer figures", file=ContentFile(PUBLIC, name="detainers.csv")
    )


def direct_urls(document):
    """Every address the file itself could be fetched at, bypassing Wagtail."""
    name = document.file.name  # documents/tip-sheet.txt
    return [
        f"/media/{name}",
        f"/media/images/../{name}",
        f"/media/images/%2e%2e/{name}",
        f"/media//{name}",
        f"/media/./{name}",
    ]


def content(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_a_private_document_sends_readers_to_the_login(client, private_document):
    response = client.get(private_document.url)

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert private_document.url.startswith("/documents/")


def test_a_private_document_is_never_served_from_media(client, private_document):
    for url in direct_urls(private_document):
        response = client.get(url)
        assert response.status_code in {403, 404}, url
        assert SECRET not in content(response), url


def test_signed_in_staff_download_a_private_document(editor_client, private_document):
    response = editor_client.get(private_document.url)

    assert response.status_code == 200
    assert content(response) == SECRET
    assert "no-store" in response["Cache-Control"]


def test_a_public_document_downloads_through_wagtails_view(client, public_document):
    response = client.get(public_document.url)

    assert public_document.url == f"/documents/{public_document.pk}/detainers.csv"
    assert response.status_code == 200
    assert content(response) == PUBLIC
    assert client.get(f"/media/{public_document.file.name}").status_code == 404


def test_image_renditions_are_served_straight_from_media(client):
    pixels = io.BytesIO()
    PillowImage.new("RGB", (64, 36), (40, 90, 160)).save(pixels, "PNG")
    image = get_image_model().objects.create(
        title="Commission chamber", file=ImageFile(pixels, name="chamber.png")
    )
    rendition = image.get_rendition("width-32")

    response = client.get(rendition.url)

    assert rendition.url.startswith("/media/images/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
