"""Locust users for `make loadtest` (readers and editors) and `make bench` (one
page, and the newsroom day's readers).

Readers browse every kind of public page. Editors log in through the admin's
login form (in their first task, so the first write follows even a slow login)
and write through the admin's own forms, as a person in a browser
would: fetch the form, send back every field it holds (CSRF token, revision
markers, bylines, tags) with their change, and publish. After each write they
open the story as an anonymous reader, through the page cache, and expect to
see it.

The pages to visit come from the JSON file named by LOADTEST_TARGETS (written
by bench/loadtest_db.py); editors' password from LOADTEST_EDITOR_PASSWORD.
"""

import collections
import functools
import itertools
import json
import os
import random
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, events, task
from locust.contrib.fasthttp import FastHttpSession
from locust.exception import StopUser

from bench.zipf import pick

SEARCH_WORDS = ["county", "mayor", "policy", "budget", "311"]
UPDATE_KINDS = ["update", "correction", "clarification"]
FORM_POST = {"Content-Type": "application/x-www-form-urlencoded"}
# What a browser accepts: cached pages are stored compressed (core/encodings.py).
BROWSER = {"Accept-Encoding": "br, gzip"}

# X-Cache answers per page name: HIT, MISS, or "first MISS" for the first
# request of a URL in the run, which no invalidation could have served.
cache_tally = collections.defaultdict(collections.Counter)
_seen = set()


@events.test_stop.add_listener
def write_report(environment, **_kwargs):
    """Statistics for the runner, once every user has finished its last task.

    locust's own CSV files are written on a timer and can miss the requests
    that users complete after the run time is up; this is written last.
    """
    stats = environment.runner.stats
    report = {
        "pages": [
            {
                "name": entry.name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "rate": entry.total_rps,
                "p50": entry.get_response_time_percentile(0.5),
                "p99": entry.get_response_time_percentile(0.99),
            }
            for entry in [*stats.entries.values(), stats.total]
        ],
        "failures": [
            f"{error.occurrences}x {error.method} {error.name}: {error.error}"
            for error in stats.errors.values()
        ],
        "cache": cache_tally,
    }
    Path(os.environ["LOCUST_REPORT"]).write_text(json.dumps(report))


@functools.cache
def targets():
    return json.loads(Path(os.environ["LOADTEST_TARGETS"]).read_text())


class ReaderUser(FastHttpUser):
    """An anonymous reader: stories above all, then everything around them."""

    wait_time = between(0.5, 1.5)

    @task(10)
    def story(self):
        self.client.get(random.choice(targets()["stories"])["url"], name="story")

    @task(4)
    def home(self):
        self.client.get("/", name="home")

    @task(3)
    def story_index(self):
        self.client.get("/stories/", name="story index")

    @task(2)
    def history(self):
        story = random.choice(targets()["stories"])
        self.client.get(story["url"] + "history/", name="history")

    @task(2)
    def diff(self):
        story = random.choice(targets()["stories"])
        old, new = story["versions"][0], story["versions"][-1]
        self.client.get(f"{story['url']}history/{old}/{new}/", name="diff")

    @task(1)
    def tracker(self):
        if targets()["tracker"]:
            self.client.get(targets()["tracker"], name="tracker")

    @task(2)
    def source(self):
        slug = random.choice(targets()["sources"])
        self.client.get(f"/sources/{slug}/", name="source")

    @task(2)
    def corrections_log(self):
        self.client.get("/corrections/", name="corrections log")

    @task(2)
    def search(self):
        word = random.choice(SEARCH_WORDS)
        self.client.get(f"/search/?q={word}", name="search")

    @task(1)
    def feed(self):
        self.client.get("/feeds/updates/", name="feed")

    @task(2)
    def api_list(self):
        self.client.get("/api/stories/", name="API list")


_editor_numbers = itertools.count()


class EditorUser(FastHttpUser):
    """An editor appending updates and publishing new versions in the admin.

    Each editor account keeps to its own share of the stories, as a desk
    would, so two of them never edit one story at the same moment (Wagtail
    would rightly refuse the second save as a conflict).
    """

    fixed_count = int(os.environ.get("LOADTEST_EDITORS", "3"))
    # A busy desk: a write every ten seconds or so per editor, each of which
    # empties the whole page cache.
    wait_time = between(5, 15)

    def on_start(self):
        editors = targets()["editors"]
        number = next(_editor_numbers) % len(editors)
        self.username = editors[number]
        self.logged_in = False
        self.stories = targets()["stories"][number :: len(editors)]
        self.reader = FastHttpSession(
            self.host, request_event=self.environment.events.request, user=self
        )

    def log_in(self):
        """Log in through the admin's login form, in the first task.

        In a task rather than in on_start: when the run time is up, locust lets
        the task in progress finish but starts none after an on_start that ends
        late. So however slow the login, an editor who started saves once, and
        every run, however short, checks at least one write.
        """
        if self.logged_in:
            return
        form = self.form("/admin/login/", "admin: login form", "password")
        form.update(
            username=self.username,
            password=os.environ["LOADTEST_EDITOR_PASSWORD"],
            next="/admin/",
        )
        if not self.submit("/admin/login/", form, "admin: log in"):
            raise StopUser
        self.logged_in = True

    @task(3)
    def append_update(self):
        self.log_in()
        story = random.choice(self.stories)
        url = "/admin/snippets/stories/update/add/"
        form = self.form(url, "admin: update form", "text")
        marker = f"Load-test note {uuid.uuid4().hex}"
        form.update(
            {
                "story": str(story["id"]),
                "kind": random.choice(UPDATE_KINDS),
                "text": f"{marker}: the office answered our questions.",
                "action-publish": "action-publish",
            }
        )
        if self.submit(url, form, "admin: append update"):
            self.expect_public(story["url"], marker)

    @task(1)
    def publish_version(self):
        self.log_in()
        story = random.choice(self.stories)
        url = f"/admin/pages/{story['id']}/edit/"
        page = self.client.get(url, name="admin: story edit form")
        form = EditorForm(page.text, "title")
        marker = f"Load-test revision {uuid.uuid4().hex}"
        body = form.stream("body")
        body[random.randrange(len(body))]["value"] = paragraph(
            f"{marker}: the county has since published the figures."
        )
        form.set_stream("body", body)
        form.update({"action-publish": "action-publish"})
        if self.submit(url, form, "admin: publish version"):
            self.expect_public(story["url"], marker)

    def form(self, url, name, field):
        return EditorForm(self.client.get(url, name=name).text, field)

    def submit(self, url, form, name):
        """POST the form; success is Wagtail's redirect away from it."""
        with self.client.post(
            url,
            data=form.encoded(),
            headers=FORM_POST,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location") or ""
            if response.status_code == 302 and "/login/" not in location:
                response.success()
                return True
            response.failure(f"{response.status_code}, not a redirect after saving")
            return False

    def expect_public(self, url, marker):
        with self.reader.get(
            url, name="story after a write", catch_response=True
        ) as response:
            if response.status_code == 200 and marker not in response.text:
                response.failure("readers do not see the write (stale page)")


class OnePageUser(FastHttpUser):
    """`make bench` without wrk: one page as fast as it will go."""

    wait_time = constant(0)

    @task
    def page(self):
        header = os.environ.get("BENCH_HEADER")
        headers = dict([header.split(": ", 1)]) if header else {}
        self.client.get(
            os.environ["BENCH_PATH"], headers=BROWSER | headers, name="page"
        )


class NewsroomDayReader(FastHttpUser):
    """`make bench-day`: a newsroom's readers, as its analytics show them.

    Stories, trackers and sources are chosen by popularity (bench.zipf), the
    newest first; stories the editor publishes during the run lead the list.
    Targets from BENCH_DAY_TARGETS (bench.day_editor), new stories from
    BENCH_DAY_NEW_STORIES.
    """

    wait_time = constant(0)

    def read(self, path, name):
        response = self.client.get(path, headers=BROWSER, name=name)
        state = response.headers.get("X-Cache") or "none"
        if state == "MISS" and path not in _seen:
            state = "first MISS"
        _seen.add(path)
        cache_tally[name][state] += 1

    @task(12)
    def home(self):
        self.read("/", "home")

    @task(3)
    def story_index(self):
        self.read("/stories/", "story index")

    @task(65)
    def story(self):
        self.read(pick(day_stories()), "story")

    @task(8)
    def tracker(self):
        if day_targets()["trackers"]:
            self.read(pick(day_targets()["trackers"]), "tracker")

    @task(3)
    def corrections_log(self):
        self.read("/corrections/", "corrections log")

    @task(4)
    def source(self):
        self.read(pick(day_targets()["sources"]), "source")

    @task(5)
    def feed(self):
        self.read(random.choice(["/feeds/updates/", "/feeds/stories/"]), "feed")


@functools.cache
def day_targets():
    return json.loads(Path(os.environ["BENCH_DAY_TARGETS"]).read_text())


_new_stories = {"version": None, "stories": []}


def day_stories():
    """Story URLs, most read first: those published during the run, newest
    first, then the site's own; the editor's list is re-read when it changes."""
    path = Path(os.environ["BENCH_DAY_NEW_STORIES"])
    version = path.stat().st_mtime_ns if path.exists() else None
    if version != _new_stories["version"] or not _new_stories["stories"]:
        new = path.read_text().split() if version else []
        old = [url for _pk, url in day_targets()["stories"]]
        _new_stories.update(version=version, stories=new + old)
    return _new_stories["stories"]


def paragraph(text):
    """A rich-text block's value as the admin's editor (Draftail) sends it."""
    block = {
        "key": uuid.uuid4().hex[:5],
        "type": "unstyled",
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [],
        "entityRanges": [],
    }
    return json.dumps({"blocks": [block], "entityMap": {}})


class EditorForm:
    """The fields a browser would submit from the admin form holding `field`.

    StreamFields are drawn by the admin's JavaScript from a JSON description in
    the page; `stream()` reads the blocks from it and `set_stream()` writes them
    back as the fields that JavaScript would have posted.
    """

    def __init__(self, html, field):
        parser = _FormParser()
        parser.feed(html)
        self.fields = next(form for form in parser.forms if field in dict(form))
        self.streams = parser.streams

    def update(self, values=(), **more):
        values = {**dict(values), **more}
        self.fields = [(k, v) for k, v in self.fields if k not in values]
        self.fields += list(values.items())

    def stream(self, name):
        return [dict(block) for block in self.streams[name][0]]

    def set_stream(self, name, blocks):
        fields = {f"{name}-count": str(len(blocks))}
        for i, block in enumerate(blocks):
            if not isinstance(block["value"], str):
                raise ValueError(f"{block['type']} blocks are not supported")
            fields |= {
                f"{name}-{i}-type": block["type"],
                f"{name}-{i}-value": block["value"],
                f"{name}-{i}-id": block["id"],
                f"{name}-{i}-deleted": "",
                f"{name}-{i}-order": str(i),
            }
        self.update(fields)

    def encoded(self):
        return urlencode(self.fields)


class _FormParser(HTMLParser):
    """Forms' successful controls, by the HTML rules browsers follow."""

    SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.streams = {}
        # <template> holds the blank rows the admin clones; browsers never send it.
        self.in_template = 0
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if "data-w-block-arguments-value" in attrs:
            self.streams[attrs["id"]] = json.loads(
                attrs["data-w-block-arguments-value"]
            )
        if tag == "form":
            self.forms.append([])
        elif tag == "option" and self.select is not None:
            self.select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select["chosen"].append(attrs.get("value", ""))
        elif self.forms and "name" in attrs and "disabled" not in attrs:
            self._control(tag, attrs)

    def _control(self, tag, attrs):
        name = attrs["name"]
        if tag == "textarea":
            self.textarea = [name, ""]
        elif tag == "select":
            self.select = {"name": name, "multiple": "multiple" in attrs}
            self.select |= {"options": [], "chosen": []}
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in self.SKIPPED_INPUTS:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self.forms[-1].append((name, attrs.get("value") or default))

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1
        elif tag == "textarea" and self.textarea:
            name, text = self.textarea
            # The HTML parser drops a newline right after <textarea>; so do we.
            self.forms[-1].append((name, text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"]:
                chosen = self.select["options"][:1]
            self.forms[-1] += [(self.select["name"], value) for value in chosen]
            self.select = None
