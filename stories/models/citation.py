"""What each published version of a story quotes and cites.

Rows are written when a version is published (stories.signals) and read by
nothing public: they exist so that a statement or source that any published
version quotes or cites cannot be deleted (`PROTECT`). Readers were shown
those words; removing them from the record takes a redaction, not a delete.
"""

from django.db import models

from core.page_cache import changed


class Citation(models.Model):
    """One statement quoted, or one source cited, by one published version."""

    story = models.ForeignKey(
        "stories.StoryPage", on_delete=models.CASCADE, related_name="citations"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="+"
    )
    statement = models.ForeignKey(
        "sources.Statement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citations",
    )
    source = models.ForeignKey(
        "sources.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citations",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(statement__isnull=True)
                ^ models.Q(source__isnull=True),
                name="citation_names_a_statement_or_a_source",
            ),
        ]

    def __str__(self):
        return f"{self.story_id}@{self.revision_id}: {self.statement or self.source}"

    def cache_tags(self, change):
        """The story's pages, and the page of the source quoted or cited."""
        source = self.source_id or self.statement.source_id
        return {f"story:{self.story_id}", f"source:{source}"}


def cited_ids(raw_body):
    """(statement ids, source ids) that a story body's raw block data names."""
    statements, sources = set(), set()
    for block in raw_body or []:
        value = block.get("value")
        if block.get("type") == "statement" and isinstance(value, int):
            statements.add(value)
        elif block.get("type") == "source_citation" and isinstance(value, dict):
            if isinstance(value.get("source"), int):
                sources.add(value["source"])
    return statements, sources


def record_citations(story, revision):
    """Write the citations of `story` as published in `revision`, once."""
    if Citation.objects.filter(revision=revision).exists():
        return
    statements, sources = cited_ids(story.body.raw_data)
    # A block may name a row deleted before citations were kept; skip it.
    statements = _existing("statement", statements)
    sources = _existing("source", sources)
    Citation.objects.bulk_create(
        [Citation(story=story, revision=revision, statement_id=pk) for pk in statements]
        + [Citation(story=story, revision=revision, source_id=pk) for pk in sources]
    )
    # bulk_create sends no signal: the sources' pages now list the story.
    statement = Citation._meta.get_field("statement").related_model
    sources |= set(
        statement.objects.filter(pk__in=statements).values_list("source", flat=True)
    )
    changed({f"story:{story.pk}", *(f"source:{pk}" for pk in sources)})


def _existing(field, ids):
    model = Citation._meta.get_field(field).related_model
    return set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
