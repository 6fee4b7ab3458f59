"""Reading feeds in tests: parse one strictly, and compare its dates."""

import datetime

import feedparser


def parse(client, url):
    """The feed at `url`, which must answer 200 and parse without complaint."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def moment(parsed):
    return datetime.datetime(*parsed[:6], tzinfo=datetime.UTC)


def by_id(feed):
    return {entry.id: entry for entry in feed.entries}
