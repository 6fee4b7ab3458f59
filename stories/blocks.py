"""StreamField blocks for a story's body.

`StoryBodyBlock` lists every block a reporter can use; adding a block type is
one line there plus its template in templates/blocks/.
"""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from sources.blocks import SourceCitationBlock, StatementBlock

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


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "blocks/image.html"


class DataPointBlock(blocks.StructBlock):
    """A figure with its unit, what it counts, when it held, and who says so."""

    value = blocks.DecimalBlock(decimal_places=2)
    unit = blocks.CharBlock(required=False, max_length=40, help_text="e.g. people, %")
    label = blocks.CharBlock(max_length=200, help_text="What the figure counts.")
    as_of = blocks.DateBlock(help_text="The date the figure was true.")
    source = blocks.CharBlock(max_length=200, help_text="Where the figure comes from.")
    source_url = blocks.URLBlock(required=False)

    class Meta:
        icon = "table"
        template = "blocks/data_point.html"


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    embed = EmbedBlock()
    data_point = DataPointBlock()
    statement = StatementBlock()
    source_citation = SourceCitationBlock()
