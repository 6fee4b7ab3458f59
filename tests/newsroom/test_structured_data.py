"""JSON-LD on story and source pages, read by a real JSON-LD processor (pyld)."""

import datetime
import json
import re

import pytest
from pyld import jsonld

from sources.models import SourceKind
from tests.factories import make_author, make_source, make_story, make_update

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"
# No network here: the schema.org context is served from memory.
SCHEMA_CONTEXT = {"@context": {"@vocab": SCHEMA}}
SECOND = datetime.timedelta(seconds=1)
JSON_LD = re.compile(
    r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.DOTALL
)


def load_document(url, options=None):
    assert url.rstrip("/") == SCHEMA.rstrip("/"), url
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}


def expand(data):
    [node] = jsonld.expand(data, {"documentLoader": load_document})
    return node


def page_json_ld(client, url):
    html = client.get(url).content.decode()
    [block] = JSON_LD.findall(html)
    return expand(json.loads(block))


def value(node, name):
    return [item.get("@value", item.get("@id")) for item in node[SCHEMA + name]]


def test_story_page_is_a_news_article_with_dates_authors_and_keywords(
    client, story_index
):
    author = make_author("Douglas Hanks")
    story = make_story(
        story_index,
        "Calls rerouted to 311",
        dek="The office stopped taking calls.",
        authors=[author],
        tags=["immigration"],
    )

    node = page_json_ld(client, story.url)

    assert node["@type"] == [SCHEMA + "NewsArticle"]
    assert value(node, "headline") == ["Calls rerouted to 311"]
    assert value(node, "keywords") == ["immigration"]
    published = datetime.datetime.fromisoformat(value(node, "datePublished")[0])
    assert abs(published - story.first_published_at) < datetime.timedelta(seconds=1)
    assert value(node, "dateModified")
    [person] = node[SCHEMA + "author"]
    assert person["@type"] == [SCHEMA + "Person"]
    assert value(person, "name") == ["Douglas Hanks"]
    assert value(person, "url")[0].endswith(author.get_absolute_url())
    [publisher] = node[SCHEMA + "publisher"]
    assert value(publisher, "name") == ["The County Ledger"]
    [main_entity] = node[SCHEMA + "mainEntityOfPage"]
    assert main_entity["@id"].endswith(story.url)


def test_text_that_closes_a_script_cannot_break_out_of_the_json_ld(client, story_index):
    story = make_story(story_index, "Headline </script><script>alert(1)</script>")

    html = client.get(story.url).content.decode()
    node = page_json_ld(client, story.url)

    assert "<script>alert(1)" not in html
    assert value(node, "headline") == ["Headline </script><script>alert(1)</script>"]


def test_public_corrections_and_clarifications_become_correction_comments(
    client, story_index
):
    story = make_story(story_index)
    correction = make_update(story, "We misstated the date.", kind="correction")
    clarification = make_update(story, "The office means 311.", kind="clarification")
    make_update(story, "The commission meets Friday.", kind="update")
    make_update(story, "Context for readers.", kind="editors_note")
    make_update(story, f"Draft {correction.pk}", kind="correction", publish=False)

    node = page_json_ld(client, story.url)

    comments = node[SCHEMA + "correction"]
    assert [comment["@type"] for comment in comments] == [
        [SCHEMA + "CorrectionComment"]
    ] * 2
    assert [value(comment, "text") for comment in comments] == [
        ["The office means 311."],
        ["We misstated the date."],
    ]
    published = datetime.datetime.fromisoformat(value(comments[1], "datePublished")[0])
    assert abs(published - correction.first_published_at) < SECOND
    modified = datetime.datetime.fromisoformat(value(node, "dateModified")[0])
    assert modified > clarification.first_published_at - SECOND
    assert modified > story.last_published_at


def test_an_amended_correction_moves_date_modified(client, story_index):
    story = make_story(story_index)
    correction = make_update(story, "We misstated the date.", kind="correction")
    correction.text = "We misstated the date of the vote."
    correction.save_revision().publish()
    correction.refresh_from_db()

    node = page_json_ld(client, story.url)

    [comment] = node[SCHEMA + "correction"]
    assert value(comment, "text") == ["We misstated the date of the vote."]
    modified = datetime.datetime.fromisoformat(value(node, "dateModified")[0])
    assert abs(modified - correction.last_published_at) < SECOND


def test_a_story_without_corrections_has_no_correction_property(client, story_index):
    story = make_story(story_index)
    make_update(story, "The commission meets Friday.")

    assert SCHEMA + "correction" not in page_json_ld(client, story.url)


def test_person_source_page_has_public_fields_only(client):
    office = make_source("Office of the Mayor", kind=SourceKind.OFFICE)
    person = make_source(
        "Michael A. Hernandez",
        kind=SourceKind.PERSON,
        role="Spokesperson",
        organisation=office,
        public_email="press@example.org",
        personal_email="private@example.org",
        personal_phone="305-555-0100",
        internal_notes="Prefers texts.",
    )

    node = page_json_ld(client, person.get_absolute_url())

    assert node["@type"] == [SCHEMA + "Person"]
    assert value(node, "name") == ["Michael A. Hernandez"]
    assert value(node, "jobTitle") == ["Spokesperson"]
    assert value(node, "email") == ["press@example.org"]
    [employer] = node[SCHEMA + "worksFor"]
    assert value(employer, "name") == ["Office of the Mayor"]
    flat = json.dumps(node)
    assert "private@example.org" not in flat and "555-0100" not in flat
    assert "Prefers texts" not in flat


def test_office_source_page_is_an_organization(client):
    office = make_source("Office of the Mayor", kind=SourceKind.OFFICE)

    node = page_json_ld(client, office.get_absolute_url())

    assert node["@type"] == [SCHEMA + "GovernmentOrganization"]


def test_story_and_source_pages_carry_open_graph_and_twitter_tags(client, story_index):
    story = make_story(story_index, "Calls rerouted", dek="Short summary.")
    source = make_source("Office of the Mayor", description="The executive.")

    story_html = client.get(story.url).content.decode()
    source_html = client.get(source.get_absolute_url()).content.decode()

    assert '<meta property="og:type" content="article">' in story_html
    assert '<meta property="og:title" content="Calls rerouted">' in story_html
    assert '<meta name="twitter:description" content="Short summary.">' in story_html
    assert '<meta property="og:title" content="Office of the Mayor">' in source_html
    assert '<meta name="twitter:card" content="summary">' in source_html
