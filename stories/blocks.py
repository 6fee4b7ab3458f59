"""StreamField blocks for a story's body.

`StoryBodyBlock` lists every block a reporter can use; adding a block type is
one line there plus its template in templates/blocks/.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from core import dates
from core.visibility import visible

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"


class ReaderChoiceMixin:
    """A block whose chosen thing (`chosen` names the child, or the block
    itself) is given to the API by id only while readers may see it
    (core.visibility)."""

    chosen = None

    def get_api_representation(self, value, context=None):
        if self.chosen is None:
            return value.pk if visible(value) else None
        data = super().get_api_representation(value, context)
        if not visible(value.get(self.chosen)):
            data[self.chosen] = None
        return data


class ImageBlock(ReaderChoiceMixin, blocks.StructBlock):
    chosen = "image"
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "blocks/image.html"


class DataPointValue(blocks.StructValue):
    @property
    def as_of_label(self):
        """ "2012" for a yearly total, not "Dec. 31, 2012" (core.dates)."""
        return dates.label(self["as_of"], self.get("precision"))

    @property
    def as_of_iso(self):
        return dates.iso(self["as_of"], self.get("precision"))


class DataPointBlock(blocks.StructBlock):
    """A figure with its unit, what it counts, when it held, and who says so."""

    value = blocks.DecimalBlock(decimal_places=2)
    unit = blocks.CharBlock(required=False, max_length=40, help_text="e.g. people, %")
    label = blocks.CharBlock(max_length=200, help_text="What the figure counts.")
    as_of = blocks.DateBlock(help_text="The date the figure was true.")
    # Blocks saved before precision existed read as a day, as they were shown.
    precision = blocks.ChoiceBlock(
        choices=dates.PRECISIONS,
        default=dates.DAY,
        required=False,
        help_text="How precisely the date is known: a yearly total is a year.",
    )
    source = blocks.CharBlock(max_length=200, help_text="Where the figure comes from.")
    source_url = blocks.URLBlock(required=False)

    class Meta:
        icon = "table"
        template = "blocks/data_point.html"
        value_class = DataPointValue


# A quoted statement and a cited source choose rows of the sources app by
# label, so the story body needs no import of it (docs/architecture.md, "Layers").
class StatementBlock(ReaderChoiceMixin, SnippetChooserBlock):
    """A published statement, shown with who said it, when, how and a link to it."""

    def __init__(self, **kwargs):
        super().__init__("sources.Statement", **kwargs)

    def bulk_to_python(self, values):
        statements = self.target_model.objects.select_related("source").in_bulk(values)
        return [statements.get(pk) for pk in values]

    def clean(self, value):
        value = super().clean(value)
        public = self.target_model.objects.visible_to_readers()
        if value is None or public.filter(pk=value.pk).exists():
            return value
        source = value.source
        if not source.live and not source.is_confidential:
            raise ValidationError(
                "The source of this statement is not published yet, so the "
                "statement cannot be quoted. An editor must publish the source first."
            )
        raise ValidationError(
            "Only a published, on-the-record statement of a public source can "
            "be quoted. Publish this statement first."
        )

    class Meta:
        icon = "openquote"
        label = "Statement"
        template = "blocks/statement.html"


class SourceCitationBlock(ReaderChoiceMixin, blocks.StructBlock):
    """A named source and what the story takes from it."""

    chosen = "source"

    source = SnippetChooserBlock("sources.Source")
    note = blocks.CharBlock(
        required=False,
        max_length=300,
        help_text="What this source provided, e.g. “figures as of Feb. 6”.",
    )

    def clean(self, value):
        value = super().clean(value)
        source = value.get("source")
        if source is None:
            return value
        if source.is_confidential:
            raise StructBlockValidationError(
                block_errors={
                    "source": ValidationError(
                        "This source is confidential and cannot be cited by name."
                    )
                }
            )
        if not source.live:
            raise StructBlockValidationError(
                block_errors={
                    "source": ValidationError(
                        "This source is not published yet and cannot be cited by "
                        "name. An editor must publish it first."
                    )
                }
            )
        return value

    class Meta:
        icon = "user"
        label = "Source citation"
        template = "blocks/source_citation.html"


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    embed = EmbedBlock()
    data_point = DataPointBlock()
    statement = StatementBlock()
    source_citation = SourceCitationBlock()
