"""Stories and the section that lists them."""

from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, TitleFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from newsroom.pagination import paginate
from stories.blocks import StoryBodyBlock

STORIES_PER_PAGE = 20


class StoryPageQuerySet(PageQuerySet):
    def for_listing(self):
        """Everything a list of stories shows, in a fixed number of queries."""
        return (
            self.live()
            .public()
            .prefetch_related(
                Prefetch(
                    "story_authors",
                    queryset=StoryPageAuthor.objects.select_related("author").order_by(
                        "sort_order"
                    ),
                ),
                "tags",
            )
            .order_by("-first_published_at", "-pk")
        )


class StoryPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "stories.StoryPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class StoryPageAuthor(Orderable):
    """One name in a story's byline, in the order the byline reads."""

    page = ParentalKey(
        "stories.StoryPage", related_name="story_authors", on_delete=models.CASCADE
    )
    author = models.ForeignKey(
        "stories.Author", related_name="story_links", on_delete=models.PROTECT
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "author"], name="unique_author_per_story"
            )
        ]


class StoryIndexPage(Page):
    """A section of stories: /stories/, newest first, filterable by tag."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["stories.HomePage"]
    subpage_types = ["stories.StoryPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = StoryPage.objects.child_of(self).for_listing()
        tag = request.GET.get("tag")
        if tag:
            stories = stories.filter(tags__slug=tag)
        context["stories"] = paginate(request, stories, STORIES_PER_PAGE)
        if tag and not context["stories"].object_list:
            raise Http404(f"No stories are tagged {tag!r}.")
        context["tag"] = tag
        return context


class StoryPage(Page):
    """A story: headline (the page title), dek, byline, tags and a body."""

    dek = models.TextField(
        max_length=400, blank=True, help_text="The summary line under the headline."
    )
    body = StreamField(StoryBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=StoryPageTag, blank=True)

    objects = PageManager.from_queryset(StoryPageQuerySet)()

    content_panels = [
        TitleFieldPanel("title", heading="Headline"),
        FieldPanel("dek"),
        InlinePanel("story_authors", heading="Byline", label="Author"),
        FieldPanel("tags"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("dek"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []

    @cached_property
    def authors(self):
        """The byline in order: prefetched on listings, one query on a story page."""
        links = self.story_authors.all()
        if "story_authors" not in getattr(self, "_prefetched_objects_cache", {}):
            links = links.select_related("author")
        return [link.author for link in links]

    @property
    def was_updated(self):
        return bool(
            self.last_published_at
            and self.first_published_at
            and self.last_published_at > self.first_published_at
        )
