"""The reader pages of participation cost the same at any size: the forms
whatever the number of stories, reports and followers, and an address's page
of follows whatever the number it follows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from participation import tokens
from participation.models import CorrectionRequest, Follow, Subscriber
from tests.factories import make_story

BOUND = 8

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[2, 40])
def newsroom(request, story_index):
    """`count` stories, each with a report and a confirmed follower, and one
    address following every one of them."""
    stories = [make_story(story_index, f"Story {n}") for n in range(request.param)]
    reader = Subscriber.objects.create(email="ana@example.org")
    for n, story in enumerate(stories):
        CorrectionRequest.objects.create(page=story, what_is_wrong=f"Error {n}")
        other = Subscriber.objects.create(email=f"reader{n}@example.org")
        for subscriber in (reader, other):
            Follow.objects.create(
                subscriber=subscriber, page=story, confirmed_at=timezone.now()
            )
    return stories, reader


def test_the_forms_cost_the_same_at_any_size(
    client, newsroom, django_assert_max_num_queries
):
    stories, _ = newsroom
    for name in ["report_error", "follow"]:
        with django_assert_max_num_queries(BOUND):
            response = client.get(reverse(name, args=[stories[-1].pk]))
        assert response.status_code == 200


def test_the_page_of_an_addresss_follows_costs_the_same_at_any_number(
    client, newsroom, django_assert_max_num_queries
):
    stories, reader = newsroom
    url = reverse("follow_manage", args=[tokens.manage_token(reader)])

    with django_assert_max_num_queries(BOUND):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("Story ") >= len(stories)
