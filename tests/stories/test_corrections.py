"""The corrections log lists every published update; withdrawn stories stay in it."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from stories.models import Update
from tests.factories import make_story, make_update


@pytest.fixture
def story(story_index, editor):
    return make_story(story_index, "Calls story", editor=editor)


def test_log_lists_updates_newest_first_with_links_to_their_story(
    client, story, editor
):
    make_update(story, "Older update.", editor=editor)
    make_update(story, "Newer correction.", kind="correction", editor=editor)
    make_update(story, "Still a draft.", editor=editor, publish=False)

    html = client.get("/corrections/").content.decode()

    assert html.index("Newer correction.") < html.index("Older update.")
    assert "Still a draft." not in html
    assert f'href="{story.url}"' in html


def test_log_filters_by_kind_and_refuses_unknown_kinds(client, story, editor):
    make_update(story, "An update.", editor=editor)
    make_update(story, "A correction.", kind="correction", editor=editor)

    html = client.get("/corrections/?kind=correction").content.decode()

    assert "A correction." in html and "An update." not in html
    assert client.get("/corrections/?kind=nonsense").status_code == 404
    assert client.get("/corrections/?page=99").status_code == 404


def test_withdrawn_story_answers_410_with_its_reason_and_stays_in_the_log(
    client, story, story_index, editor
):
    make_update(story, "An earlier correction.", kind="correction", editor=editor)
    make_update(
        story, "We could not confirm the account.", kind="withdrawal", editor=editor
    )

    response = client.get(story.url)
    html = response.content.decode()
    log = client.get("/corrections/").content.decode()

    assert response.status_code == 410
    assert "We could not confirm the account." in html
    assert f"{story.url}history/" in html
    assert client.get(story.url + "history/").status_code == 200
    assert (
        "An earlier correction." in log and "We could not confirm the account." in log
    )
    assert "Calls story" not in client.get("/stories/").content.decode()


def test_a_withdrawal_needs_a_public_reason(editor_client, story):
    response = editor_client.post(
        reverse("wagtailsnippets_stories_update:add"),
        nested_form_data(
            {"story": story.pk, "kind": "withdrawal", "text": "", "action-publish": "1"}
        ),
    )

    assert response.status_code == 200
    assert not Update.objects.exists()


@pytest.mark.parametrize("count", [1, pytest.param(50, marks=pytest.mark.slow)])
def test_log_runs_a_bounded_number_of_queries(
    client, story_index, editor, count, django_assert_max_num_queries
):
    for n in range(count):
        make_update(
            make_story(story_index, editor=editor), f"Update {n}.", editor=editor
        )

    with django_assert_max_num_queries(8):
        response = client.get("/corrections/")

    assert response.content.decode().count('class="update update--') == min(count, 25)
