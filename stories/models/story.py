"""Stories and the section that lists them."""

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from core import visibility
from core.internals import is_prefetched, set_parent
from core.page_cache import (
    STORIES,
    UPDATES,
    CachedViewRestrictionsMixin,
    depends_on,
    link_changed,
)
from core.pagination import paginate
from core.revisions import FrozenPublishedRevisionsMixin
from core.routing import route
from stories.blocks import StoryBodyBlock
from stories.models.record import RecordEntry
from stories.models.update import Update, credit_publisher
from stories.panels import StoryRecordPanel

STORIES_PER_PAGE = 20
# A story page offers this many related stories at most.
RELATED_COUNT = 5
# The renditions a lead image is shown at, as the templates' `{% picture %}`
# tags expand them: the story page's two widths in WebP with a JPEG fallback
# (stories/lead_image.html), and the thumbnail on story lists. Listings
# prefetch exactly these, so a list costs the same queries at any length.
LEAD_IMAGE_SPECS = (
    "format-webp|width-480",
    "format-webp|width-960",
    "format-jpeg|width-480",
    "format-jpeg|width-960",
    "fill-160x100|format-webp",
    "fill-160x100|format-jpeg",
)
# The crop link previews and the JSON-LD show (newsroom.structured_data).
PREVIEW_IMAGE_SPEC = "fill-1200x630"
# What a story's own page shows of its lead image: the page's two widths in
# both formats, and the preview crop.
STORY_PAGE_IMAGE_SPECS = (*LEAD_IMAGE_SPECS[:4], PREVIEW_IMAGE_SPEC)
LEAD_IMAGE_REQUIRES = "A lead image needs {what}: readers see it with the image."
STORY_UNPUBLISH_REFUSED = (
    "A story that has been published stays at its address: withdraw it "
    "instead, with a public reason, and its page becomes a tombstone."
)


class StoryUnpublishError(Exception):
    """A once-published story cannot be unpublished; it can only be withdrawn."""


class StoryPageQuerySet(visibility.VisibleQuerySetMixin, PageQuerySet):
    def listed(self):
        """Stories readers are offered (core.visibility.listed_story): withdrawn
        ones are left out; their address is a tombstone now, and they stay in
        the corrections log instead."""
        return self.filter(visibility.listed_story())

    def for_listing(self):
        """Everything a list of stories shows, in a fixed number of queries."""
        return (
            self.listed()
            .with_byline()
            .with_lead_image()
            # Ties broken by tree path, a column of the same table, so that the
            # (first_published_at, path) index serves the whole ordering.
            .order_by("-first_published_at", "-path")
        )

    def for_search(self):
        """The stories of `for_listing()`, in a form the search backend can filter.

        The backend only takes lookups on indexed fields, not the subquery that
        finds withdrawn stories, so those are left out by id instead.
        """
        withdrawn = StoryPage.objects.filter(visibility.withdrawn()).values_list(
            "pk", flat=True
        )
        return self.visible_to_readers().exclude(pk__in=list(withdrawn)).with_byline()

    def related_to(self, story, trackers, tags, limit=RELATED_COUNT):
        """Up to `limit` listed stories related to `story`, in one query: those
        sharing one of `trackers` first (more shared trackers first), then
        those sharing more of `tags`, newest first among equals. `trackers`
        and `tags` are what readers see of `story`'s. Only titles, addresses
        and dates are shown, so no bylines or images come with them."""
        tracker_ids = [tracker.pk for tracker in trackers]
        tag_ids = [tag.pk for tag in tags]
        if not (tracker_ids or tag_ids):
            return self.none()
        in_trackers = StoryPage.trackers.through.objects.filter(
            trackerpage_id__in=tracker_ids
        )
        with_tags = StoryPageTag.objects.filter(tag_id__in=tag_ids)
        return (
            self.listed()
            .defer_streamfields()
            .exclude(pk=story.pk)
            .filter(
                Q(pk__in=in_trackers.values("storypage_id"))
                | Q(pk__in=with_tags.values("content_object_id"))
            )
            .annotate(
                shared_trackers=_count(in_trackers, "storypage_id"),
                shared_tags=_count(with_tags, "content_object_id"),
            )
            .order_by(
                "-shared_trackers", "-shared_tags", "-first_published_at", "-path"
            )[:limit]
        )

    def with_lead_image(self):
        """The lead image and its collection (for core.visibility) joined in,
        and the renditions lists and pages show in one more query, for any
        number of stories."""
        return self.select_related("lead_image__collection").prefetch_related(
            lead_image_renditions(LEAD_IMAGE_SPECS)
        )

    def for_story_page(self):
        """What a story's own page shows besides its fields, joined into the
        query that routes to it: whether readers may see a request for comment
        made for it (`has_requests_for_comment`; most stories have none, and
        their page then skips the query that would list them), and the newest
        log entry about it (`record_seq` and `record_hash`, None before any)."""
        requests = apps.get_model("sources", "RequestForComment").objects
        entries = RecordEntry.objects.filter(snapshot__story=OuterRef("pk"))
        newest = entries.order_by("-seq")[:1]
        return self.annotate(
            has_requests_for_comment=Exists(
                requests.visible_to_readers().filter(story=OuterRef("pk"))
            ),
            record_seq=Subquery(newest.values("seq")),
            record_hash=Subquery(newest.values("hash")),
        )

    def with_byline(self):
        """Listings show bylines but not tags; feeds and the API add "tags"."""
        return self.prefetch_related(
            Prefetch(
                "story_authors",
                queryset=StoryPageAuthor.objects.select_related("author"),
            )
        )


def lead_image_renditions(specs):
    """A prefetch of the lead image's renditions at `specs`, put where Wagtail's
    Image.get_renditions() looks first: found there, they are neither read from
    nor written back to the shared cache."""
    renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    )
    return Prefetch(
        "lead_image__renditions",
        queryset=renditions,
        to_attr="prefetched_renditions",
    )


def _count(rows, story_field):
    """How many of `rows` (a queryset with a story id in `story_field`) are
    about the story of the outer query, as a subquery."""
    counted = (
        rows.filter(**{story_field: OuterRef("pk")})
        .order_by()
        .values(story_field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted), 0)


class StoryPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "stories.StoryPage", related_name="tagged_items", on_delete=models.CASCADE
    )

    def cache_tags(self, change):
        """A tag put on or taken off a story changes the tag's related coverage."""
        tags = {UPDATES, f"story:{self.content_object_id}"}
        if change in ("created", "deleted"):
            tags |= {STORIES, f"tag:{self.tag_id}"}
        return tags


class StoryPageAuthor(Orderable):
    """One name in a story's byline, in the order the byline reads."""

    page = ParentalKey(
        "stories.StoryPage", related_name="story_authors", on_delete=models.CASCADE
    )
    author = models.ForeignKey(
        "stories.Author", related_name="story_links", on_delete=models.PROTECT
    )

    panels = [FieldPanel("author")]

    def cache_tags(self, change):
        """A name added to or taken off a byline changes every list of the story."""
        tags = {UPDATES, f"story:{self.page_id}"}
        if change in ("created", "deleted"):
            tags |= self.page.listed_in()
        return tags

    class Meta(Orderable.Meta):
        # Names added in code rather than through the editor have no
        # sort_order; they read in the order they were added, on every database.
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "author"], name="unique_author_per_story"
            )
        ]


class StoryIndexPage(FrozenPublishedRevisionsMixin, CachedViewRestrictionsMixin, Page):
    """A section of stories: /stories/, newest first, filterable by tag."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.StoryPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        depends_on(STORIES)
        stories = StoryPage.objects.child_of(self).for_listing()
        tag = request.GET.get("tag")
        if tag:
            stories = stories.filter(tags__slug=tag)
        context["stories"] = paginate(request, stories, STORIES_PER_PAGE)
        if tag and not context["stories"].object_list:
            raise Http404(f"No stories are tagged {tag!r}.")
        context["tag"] = tag
        return context

    def route(self, request, path_components):
        """Find a story, with its lead image, in one joined query.

        Wagtail's default loads the child as a plain Page, then again as its
        specific type; every child here is a StoryPage (`subpage_types`).
        """
        if not path_components:
            return super().route(request, path_components)
        stories = (
            StoryPage.objects.child_of(self)
            .filter(slug=path_components[0])
            .select_related("lead_image__collection")
        )
        if len(path_components) == 1:
            # The story itself; its history, feeds and diffs need none of it.
            stories = stories.for_story_page()
        story = stories.first()
        if story is None:
            raise Http404
        set_parent(story, self)
        return story.route(request, path_components[1:])


class StoryPage(
    visibility.VisibleMixin,
    FrozenPublishedRevisionsMixin,
    CachedViewRestrictionsMixin,
    RoutablePageMixin,
    Page,
):
    """A story: headline (the page title), dek, byline, tags and a body.

    Its public history lives under it: `history/` lists the published versions
    and `history/<a>/<b>/` compares two of them.
    """

    dek = models.TextField(
        max_length=400, blank=True, help_text="The summary line under the headline."
    )
    body = StreamField(StoryBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=StoryPageTag, blank=True)
    trackers = ParentalManyToManyField(
        "trackers.TrackerPage",
        blank=True,
        related_name="stories",
        help_text="The accountability issues this story follows.",
    )

    # PROTECT, not SET_NULL: published means frozen, and a published revision
    # stores this image's id. Deleting the image would silently take it off
    # the live story and break every earlier version that showed it; Wagtail's
    # delete view lists the stories using it and refuses instead.
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Shown above the story, on story lists and in link previews.",
    )
    lead_image_alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="What the image shows, for readers who cannot see it, said "
        "for this story (the image's title is not enough).",
    )
    lead_image_caption = models.CharField("caption", max_length=400, blank=True)
    lead_image_credit = models.CharField(
        "credit", max_length=120, blank=True, help_text="Who made the image."
    )

    objects = PageManager.from_queryset(StoryPageQuerySet)()

    content_panels = [
        StoryRecordPanel(),
        TitleFieldPanel("title", heading="Headline"),
        FieldPanel("dek"),
        InlinePanel("story_authors", heading="Byline", label="Author"),
        FieldPanel("tags"),
        FieldPanel("trackers", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_alt"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading="Lead image",
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("dek"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        # What readers search a story for beyond its own fields (site search):
        # the byline, its published updates and corrections, and what came of
        # the requests for comment made for it. newsroom/search_index.py
        # re-indexes the story when any of them is published.
        index.SearchField("search_byline"),
        index.SearchField("search_updates"),
        index.SearchField("search_requests"),
    ]

    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []

    # The page cache (core.page_cache): which cached pages a change retires.

    # What story lists show beside the headline (components/story_list.html).
    cache_link_fields = ("dek", "lead_image_id")

    def cache_dependencies(self):
        """What every page of this story shows: the story and what hangs on it."""
        return [f"story:{self.pk}"]

    def cache_tags(self, change):
        """The story's own pages, what lists changes (feeds, the corrections
        log) and the timelines of its trackers; where its link changed, every
        group that lists it."""
        tags = {UPDATES, f"story:{self.pk}", *self.tracker_tags("timeline")}
        if link_changed(self, change):
            tags |= self.listed_in()
        return tags

    def tracker_tags(self, group):
        # Read through the page (a page being published holds them in memory),
        # and with those it had before the save: a tracker it left lists it.
        now = {tracker.pk for tracker in self.trackers.all()}
        return {
            f"{group}:{pk}" for pk in now | getattr(self, "_trackers_before", set())
        }

    def listed_in(self):
        """The groups of pages that show a link to this story: stories sharing
        a tag or a tracker (related coverage), tracker timelines, and the
        sources it quotes, cites or asked for comment."""
        event = apps.get_model("trackers", "TimelineEvent")
        requests = self.requests_for_comment.values_list("source", "referred_to")
        return {
            STORIES,
            *(f"tag:{item.tag_id}" for item in self.tagged_items.all()),
            *self.tracker_tags("tracker-stories"),
            *self.tracker_tags("timeline"),
            *(
                f"timeline:{pk}"
                for pk in event.objects.filter(story=self).values_list(
                    "tracker", flat=True
                )
            ),
            *(
                f"source:{pk}"
                for pk in self.citations.exclude(source=None).values_list(
                    "source", flat=True
                )
            ),
            *(
                f"source:{pk}"
                for pk in self.citations.exclude(statement=None).values_list(
                    "statement__source", flat=True
                )
            ),
            *(f"source:{pk}" for pair in requests for pk in pair if pk),
        }

    def search_byline(self):
        return " ".join(author.name for author in self.authors)

    def search_updates(self):
        """The words of the story's updates that readers see (core.visibility)."""
        updates = Update.objects.visible_to_readers().filter(story=self)
        return " ".join(updates.values_list("text", flat=True))

    def search_requests(self):
        """Who was asked for comment for this story and what came of it."""
        return self.requests_for_comment.search_text()

    def clean(self):
        super().clean()
        if self.lead_image_id is None:
            return
        missing = {
            "lead_image_alt": "alt text describing it",
            "lead_image_caption": "a caption",
            "lead_image_credit": "a credit",
        }
        errors = {
            field: LEAD_IMAGE_REQUIRES.format(what=what)
            for field, what in missing.items()
            if not getattr(self, field).strip()
        }
        if errors:
            raise ValidationError(errors)

    @property
    def reader_lead_image(self):
        """The lead image if readers may see it (core.visibility), else None:
        an image in a restricted collection leaves the story without one."""
        image = self.lead_image
        return image if visibility.visible(image) else None

    @cached_property
    def authors(self):
        """The byline in order: prefetched on listings, one query on a story page."""
        links = self.story_authors.all()
        if not is_prefetched(self, "story_authors"):
            links = links.select_related("author")
        return [link.author for link in links]

    def get_cached_paths(self):
        """What a CDN purge of this story covers (wagtail.contrib.frontend_cache)."""
        return ["/", "history/"]

    @cached_property
    def has_requests_for_comment(self):
        """Whether readers may see a request for comment made for this story
        (StoryIndexPage.route joins this into the story's query)."""
        return self.requests_for_comment.visible_to_readers().exists()

    @cached_property
    def withdrawal(self):
        """The story's published withdrawal, or None while it stands."""
        withdrawals = Update.objects.published().filter(
            story=self, kind=Update.Kind.WITHDRAWAL
        )
        return withdrawals.order_by("first_published_at", "pk").first()

    @property
    def status_string(self):
        """The admin's status tag: a withdrawn story is never shown as live."""
        return "withdrawn" if self.withdrawal else super().status_string

    def pending_updates(self):
        """Draft updates that the next publish of this story will publish too."""
        return (
            Update.objects.filter(story=self, first_published_at__isnull=True)
            .exclude(latest_revision__isnull=True)
            .select_related("latest_revision__user")
            .order_by("pk")
        )

    def colleagues_pending_updates(self, user, pending=None):
        """The draft updates of `pending_updates()` that someone else wrote."""
        pending = self.pending_updates() if pending is None else pending
        return [u for u in pending if u.latest_revision.user != user]

    def save(self, *args, **kwargs):
        if self.pk and not self.live and self.first_published_at:
            self._refuse_unpublishing()
        return super().save(*args, **kwargs)

    def _refuse_unpublishing(self):
        if type(self).objects.filter(pk=self.pk, live=True).exists():
            raise StoryUnpublishError(STORY_UNPUBLISH_REFUSED)

    @transaction.atomic
    def publish(self, revision, user=None, **kwargs):
        """Publish a version, and with it every update drafted against the story.

        Drafted updates are published by the page_published signal (see
        stories.signals), which fires inside this transaction: a correction and
        the body change it describes are committed together, or neither is.
        """
        result = super().publish(revision, user=user, **kwargs)
        credit_publisher(revision, user)
        return result

    # The routes are answered by stories.routes, above the models.
    @path("")
    def story(self, request):
        """The story with its update box, or its tombstone once withdrawn."""
        return route("stories.routes.story", request, self)

    @path("feed/")
    def feed(self, request):
        """This story's updates as RSS 2.0, for a reader following it."""
        return route("stories.routes.feed", request, self)

    @path("feed/atom/")
    def feed_atom(self, request):
        return route("stories.routes.feed_atom", request, self)

    @path("history/")
    def history(self, request):
        """The published versions, newest first."""
        return route("stories.routes.history", request, self)

    # Wagtail's page URLs cannot end in ".json"; newsroom.urls hands these
    # paths to Wagtail with a slash added, so they reach these routes.
    @path("history.json/")
    def history_json(self, request):
        """The published versions as data, with their snapshots and log entries."""
        return route("stories.routes.history_json", request, self)

    @path("history/<int:number>.json/")
    def version_json(self, request, number):
        """The snapshot of one published version: the bytes the log hashed."""
        return route("stories.routes.version_json", request, self, number)

    @path("history/<int:old>/<int:new>/")
    def compare(self, request, old, new):
        """A word diff between two published versions."""
        return route("stories.routes.compare", request, self, old, new)
