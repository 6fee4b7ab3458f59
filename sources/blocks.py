"""Story body blocks that quote a statement or cite a source from the registry."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock


class StatementBlock(SnippetChooserBlock):
    """A published statement, shown with who said it, when, how and a link to it."""

    def __init__(self, **kwargs):
        super().__init__("sources.Statement", **kwargs)

    def bulk_to_python(self, values):
        statements = self.target_model.objects.select_related("source").in_bulk(values)
        return [statements.get(pk) for pk in values]

    def clean(self, value):
        value = super().clean(value)
        public = self.target_model.objects.public()
        if value is not None and not public.filter(pk=value.pk).exists():
            raise ValidationError(
                "Only a published, on-the-record statement of a public source can "
                "be quoted. Publish this statement first."
            )
        return value

    class Meta:
        icon = "openquote"
        label = "Statement"
        template = "blocks/statement.html"


class SourceCitationBlock(blocks.StructBlock):
    """A named source and what the story takes from it."""

    source = SnippetChooserBlock("sources.Source")
    note = blocks.CharBlock(
        required=False,
        max_length=300,
        help_text="What this source provided, e.g. “figures as of Feb. 6”.",
    )

    def clean(self, value):
        value = super().clean(value)
        source = value.get("source")
        if source is not None and source.is_confidential:
            raise StructBlockValidationError(
                block_errors={
                    "source": ValidationError(
                        "This source is confidential and cannot be cited by name."
                    )
                }
            )
        return value

    class Meta:
        icon = "user"
        label = "Source citation"
        template = "blocks/source_citation.html"
