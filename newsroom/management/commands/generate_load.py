"""Build a synthetic newsroom of any size, for benchmarks and load tests.

    manage.py generate_load --stories 20000 --seed 1

Stories get several published versions each, with the revisions and audit-log
entries a real publish writes (so history and diffs work), updates and
corrections with their own revisions, tags and bylines; sources get statements
and requests for comment; trackers get dated events and every tenth story, and
the search index is filled at the end (`--no-index` skips it). Everything is
drawn from one seeded random generator and dated from a fixed start, so the
same seed builds the same site.

Rows are written with bulk_create in batches. Pages are Wagtail tree nodes:
their materialised paths are computed here (treebeard's scheme), the Page rows
bulk-created and the StoryPage rows inserted beside them with the same ids.
Trackers are few, so they are made through Wagtail's own publish; their events
and story links are bulk-created.
"""

import datetime
import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from modelcluster.models import (
    get_all_child_m2m_relations,
    get_all_child_relations,
    get_serializable_data_for_fields,
)
from taggit.models import Tag
from wagtail.models import Locale, ModelLogEntry, Page, PageLogEntry, Revision
from wagtail.rich_text import RichText

from core.internals import child_paths
from core.page_cache import bump_generation
from newsroom.scaffold import ensure_home_page, ensure_tracker_index
from sources.models import (
    Outcome,
    RequestChannel,
    RequestForComment,
    Source,
    SourceKind,
    Statement,
    StatementChannel,
)
from stories.models import (
    Author,
    StoryIndexPage,
    StoryPage,
    StoryPageAuthor,
    StoryPageTag,
    Update,
    record,
)
from trackers.models import EventKind, Precision, TimelineEvent, TrackerPage

START = datetime.datetime(2024, 1, 1, 8, tzinfo=datetime.UTC)
WORDS = (
    "county mayor office policy council budget sheriff vote residents calls "
    "shelter transit school audit contract records hearing permit water clinic "
    "housing police library court election tax bridge park zoning union"
).split()
VERBS = "drops reverses approves delays defends questions cuts expands".split()
# Two hundred surnames, one named in each statement, so that a search for one
# matches a realistic few records rather than every other one.
SURNAMES = [
    head + tail
    for head in "bel cas dor fen gal har kin lor mar nov ost pel quin ros sal tor "
    "ul ven wil yar".split()
    for tail in "a ez i o son ton ski er an ova".split()
]

# A new story's child relations and many-to-many fields, as its
# serializable_data() gives them before it has any.
EMPTY_RELATIONS = {
    **{rel.get_accessor_name(): [] for rel in get_all_child_relations(StoryPage)},
    **{f.name: [] for f in get_all_child_m2m_relations(StoryPage) if f.serialize},
}


class Command(BaseCommand):
    help = "Build a synthetic newsroom: stories with versions, updates, sources."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--versions-per-story", type=int, default=3)
        parser.add_argument("--updates-per-story", type=int, default=2)
        parser.add_argument("--sources", type=int, help="default: stories / 20")
        parser.add_argument("--statements-per-source", type=int, default=5)
        parser.add_argument("--requests-per-source", type=int, default=5)
        parser.add_argument("--tags", type=int, default=50)
        parser.add_argument("--trackers", type=int, help="default: stories / 500")
        parser.add_argument("--events-per-tracker", type=int, default=40)
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="leave the search index alone (search will not find the stories)",
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):
        # Reproducible filler text, not secrets: a seeded generator is the point.
        self.rng = random.Random(options["seed"])  # noqa: S311
        self.prefix = f"load-{options['seed']}"
        if StoryPage.objects.filter(slug__startswith=f"{self.prefix}-").exists():
            raise CommandError(
                f"Stories of seed {options['seed']} exist already; use another seed."
            )
        self.options = options
        home, _created = ensure_home_page()
        self.index = self._story_index(home)
        self.cts = {
            model: ContentType.objects.get_for_model(model)
            for model in (Page, StoryPage, Update)
        }
        self.locale = Locale.get_default()
        self.tags = self._make_tags(options["tags"])
        self.authors = self._make_authors()

        total = options["stories"]
        batch = options["batch_size"]
        for start in range(0, total, batch):
            with transaction.atomic():
                self._make_stories(start, min(batch, total - start))
            self._progress("stories", min(start + batch, total), total)
        self._fix_numchild()

        sources = options["sources"] or max(1, total // 20)
        for start in range(0, sources, batch):
            with transaction.atomic():
                self._make_sources(start, min(batch, sources - start))
            self._progress("sources", min(start + batch, sources), sources)

        trackers = options["trackers"] or max(1, total // 500)
        with transaction.atomic():
            self._make_trackers(home, trackers)
        self._progress("trackers", trackers, trackers)
        # Versions and updates were written in bulk, with their audit log
        # entries: the record is made from those, as for an old database.
        recorded = record.backfill()
        self._progress("record entries", recorded, recorded)
        if not options["no_index"]:
            call_command("update_index", stdout=self.stdout, verbosity=0)
        # Bulk writes send no signals: empty the page cache once, at the end.
        bump_generation()
        self.stdout.write(self.style.SUCCESS(f"Built {total} stories."))

    def _progress(self, what, done, total, width=30):
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        ending = "\n" if done == total else ""
        self.stdout.write(f"\r{what:8} [{bar}] {done}/{total}", ending=ending)
        self.stdout.flush()

    def _story_index(self, home):
        index = StoryIndexPage.objects.child_of(home).first()
        if index is None:
            index = home.add_child(
                instance=StoryIndexPage(title="Stories", slug="stories")
            )
            index.save_revision().publish()
        return index

    def _make_tags(self, count):
        names = [f"{self.rng.choice(WORDS)} {n}" for n in range(count)]
        Tag.objects.bulk_create(
            [Tag(name=name, slug=name.replace(" ", "-")) for name in names],
            ignore_conflicts=True,
        )
        return list(Tag.objects.filter(name__in=names).order_by("name"))

    def _make_authors(self):
        authors = [
            Author(name=f"Reporter {self.prefix} {n}", slug=f"{self.prefix}-author-{n}")
            for n in range(20)
        ]
        Author.objects.bulk_create(authors, ignore_conflicts=True)
        return list(Author.objects.filter(slug__startswith=f"{self.prefix}-author-"))

    def _headline(self):
        words = self.rng.sample(WORDS, 3)
        return f"{words[0].title()} {self.rng.choice(VERBS)} {words[1]} {words[2]} plan"

    def _paragraphs(self, count):
        return [
            " ".join(self.rng.choices(WORDS, k=self.rng.randint(15, 40))).capitalize()
            + "."
            for _ in range(count)
        ]

    def _next_paths(self, count):
        """Tree paths for `count` new children of the index, after its last child."""
        last = (
            Page.objects.filter(
                path__startswith=self.index.path, depth=self.index.depth + 1
            )
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        return child_paths(self.index.path, self.index.depth + 1, last, count)

    def _make_stories(self, start, count):
        published = [
            START + datetime.timedelta(minutes=37 * (start + n)) for n in range(count)
        ]
        pages = [
            Page(
                title=self._headline(),
                slug=f"{self.prefix}-{start + n}",
                path=path,
                depth=self.index.depth + 1,
                numchild=0,
                url_path=f"{self.index.url_path}{self.prefix}-{start + n}/",
                content_type=self.cts[StoryPage],
                locale=self.locale,
                translation_key=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                live=True,
                first_published_at=published[n],
                last_published_at=published[n],
                latest_revision_created_at=published[n],
            )
            for n, path in enumerate(self._next_paths(count))
        ]
        for page in pages:
            page.draft_title = page.title
        Page.objects.bulk_create(pages)
        stories = [self._story_row(page) for page in pages]
        self._insert_story_rows(stories)
        revisions = self._make_versions(stories)
        self._make_updates(stories, revisions)
        StoryPageTag.objects.bulk_create(
            StoryPageTag(content_object_id=story.pk, tag=tag)
            for story in stories
            for tag in self.rng.sample(self.tags, min(2, len(self.tags)))
        )
        StoryPageAuthor.objects.bulk_create(
            StoryPageAuthor(page_id=story.pk, author=author, sort_order=i)
            for story in stories
            for i, author in enumerate(self.rng.sample(self.authors, 2))
        )

    def _story_row(self, page):
        story = StoryPage(page_ptr=page, dek=" ".join(self.rng.sample(WORDS, 8)))
        story.__dict__.update(
            {f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields}
        )
        story.body = [
            ("paragraph", RichText(f"<p>{text}</p>")) for text in self._paragraphs(4)
        ]
        return story

    def _insert_story_rows(self, stories):
        """The StoryPage table's own columns, with the ids of their Page rows."""
        fields = StoryPage._meta.local_concrete_fields
        table = connection.ops.quote_name(StoryPage._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                [
                    [
                        f.get_db_prep_save(getattr(story, f.attname), connection)
                        for f in fields
                    ]
                    for story in stories
                ],
            )

    def _make_versions(self, stories):
        """Published revisions and their audit-log entries; the last one is live."""
        versions = self.options["versions_per_story"]
        revisions = []
        body_field = StoryPage._meta.get_field("body")
        for story in stories:
            # What a publish stores, story.serializable_data(), built from the
            # columns: a page with an id would query each child relation, all
            # still empty here, once per version.
            columns = {**get_serializable_data_for_fields(story), **EMPTY_RELATIONS}
            when = story.first_published_at
            for number in range(versions):
                if number:
                    # Each later version rewrites one paragraph.
                    body = list(story.body.raw_data)
                    body[number % len(body)] = {
                        "type": "paragraph",
                        "value": f"<p>{self._paragraphs(1)[0]}</p>",
                        "id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                    }
                    story.body = body
                    when = when + datetime.timedelta(hours=self.rng.randint(1, 48))
                revisions.append(
                    Revision(
                        content_type=self.cts[StoryPage],
                        base_content_type=self.cts[Page],
                        object_id=str(story.pk),
                        created_at=when,
                        content={**columns, "body": body_field.value_to_string(story)},
                        object_str=story.title,
                    )
                )
            story.last_published_at = when
        Revision.objects.bulk_create(revisions)
        PageLogEntry.objects.bulk_create(
            PageLogEntry(
                content_type=self.cts[StoryPage],
                page_id=int(revision.object_id),
                revision=revision,
                action="wagtail.publish",
                label=revision.object_str,
                timestamp=revision.created_at,
                content_changed=True,
            )
            for revision in revisions
        )
        latest = {int(r.object_id): r for r in revisions}
        for story in stories:
            story.live_revision_id = story.latest_revision_id = latest[story.pk].pk
            story.latest_revision_created_at = story.last_published_at
        Page.objects.bulk_update(
            stories,
            [
                "live_revision",
                "latest_revision",
                "last_published_at",
                "latest_revision_created_at",
            ],
        )
        return latest

    def _make_updates(self, stories, revisions):
        kinds = [Update.Kind.UPDATE, Update.Kind.CORRECTION, Update.Kind.CLARIFICATION]
        updates = []
        for story in stories:
            for n in range(self.rng.randint(0, self.options["updates_per_story"])):
                when = story.last_published_at + datetime.timedelta(minutes=n)
                updates.append(
                    Update(
                        story_id=story.pk,
                        kind=self.rng.choice(kinds),
                        text=self._paragraphs(1)[0],
                        live=True,
                        first_published_at=when,
                        last_published_at=when,
                        story_revision=revisions[story.pk],
                    )
                )
        Update.objects.bulk_create(updates)
        update_revisions = Revision.objects.bulk_create(
            Revision(
                content_type=self.cts[Update],
                base_content_type=self.cts[Update],
                object_id=str(update.pk),
                created_at=update.first_published_at,
                content=update.serializable_data(),
                object_str=str(update.text[:60]),
            )
            for update in updates
        )
        ModelLogEntry.objects.bulk_create(
            ModelLogEntry(
                content_type=self.cts[Update],
                object_id=revision.object_id,
                revision=revision,
                action="wagtail.publish",
                label=revision.object_str,
                timestamp=revision.created_at,
                content_changed=True,
            )
            for revision in update_revisions
        )
        for update, revision in zip(updates, update_revisions, strict=True):
            update.live_revision = update.latest_revision = revision
        Update.objects.bulk_update(updates, ["live_revision", "latest_revision"])

    def _fix_numchild(self):
        numchild = Page.objects.filter(
            path__startswith=self.index.path, depth=self.index.depth + 1
        ).count()
        Page.objects.filter(pk=self.index.pk).update(numchild=numchild)

    def _make_trackers(self, home, count):
        """Trackers with dated events; every tenth story joins one of them."""
        index = ensure_tracker_index(home)
        trackers = []
        for n in range(count):
            tracker = TrackerPage(
                title=f"{self._headline()} tracker",
                slug=f"{self.prefix}-tracker-{n}",
                summary=self._paragraphs(1)[0],
            )
            index.add_child(instance=tracker)
            tracker.save_revision().publish()
            trackers.append(tracker)
        stories = StoryPage.objects.filter(slug__startswith=f"{self.prefix}-")
        story_ids = list(stories.order_by("path").values_list("pk", flat=True))
        TimelineEvent.objects.bulk_create(
            self._event(tracker, n, story_ids)
            for tracker in trackers
            for n in range(self.options["events_per_tracker"])
        )
        StoryPage.trackers.through.objects.bulk_create(
            StoryPage.trackers.through(
                storypage_id=story_id, trackerpage_id=trackers[n // 10 % count].pk
            )
            for n, story_id in enumerate(story_ids)
            if n % 10 == 0
        )

    def _event(self, tracker, n, story_ids):
        precision = self.rng.choice(
            [Precision.YEAR, Precision.MONTH, Precision.DAY, Precision.DAY]
        )
        return TimelineEvent(
            tracker=tracker,
            sort_order=n,
            kind=self.rng.choice(EventKind.values),
            precision=precision,
            start_date=(START + datetime.timedelta(days=9 * n)).date(),
            title=self._headline(),
            description=self._paragraphs(1)[0],
            story_id=self.rng.choice(story_ids) if n % 4 == 0 else None,
        )

    def _make_sources(self, start, count):
        sources = Source.objects.bulk_create(
            Source(
                name=f"{self.rng.choice(WORDS).title()} office {start + n}",
                slug=f"{self.prefix}-source-{start + n}",
                kind=self.rng.choice(SourceKind.values),
                role="Spokesperson",
                description=self._paragraphs(1)[0],
            )
            for n in range(count)
        )
        statements, requests = [], []
        for n, source in enumerate(sources):
            base = START + datetime.timedelta(hours=5 * (start + n))
            statements += [
                Statement(
                    source=source,
                    said_at=base + datetime.timedelta(days=i),
                    channel=self.rng.choice(StatementChannel.values),
                    quote=f"{self._paragraphs(1)[0]} "
                    f"Councillor {self.rng.choice(SURNAMES).title()} disagreed.",
                    live=True,
                    first_published_at=base + datetime.timedelta(days=i),
                    last_published_at=base + datetime.timedelta(days=i),
                )
                for i in range(self.options["statements_per_source"])
            ]
            requests += [
                self._request(source, base + datetime.timedelta(days=i))
                for i in range(self.options["requests_per_source"])
            ]
        Statement.objects.bulk_create(statements)
        RequestForComment.objects.bulk_create(requests)

    def _request(self, source, asked_at):
        outcome = self.rng.choice(
            [Outcome.RESPONDED, Outcome.DECLINED, Outcome.NO_RESPONSE, Outcome.PENDING]
        )
        answered = outcome in {Outcome.RESPONDED, Outcome.DECLINED}
        return RequestForComment(
            source=source,
            asked_at=asked_at,
            channel=self.rng.choice(RequestChannel.values),
            outcome=outcome,
            answered_at=asked_at + datetime.timedelta(hours=3) if answered else None,
            public_summary=f"We asked {source.name} about {self.rng.choice(WORDS)}.",
            # Dated from a fixed start, never "now": the same seed, the same site.
            deadline=asked_at + datetime.timedelta(days=1),
        )
