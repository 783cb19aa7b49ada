"""The kind of a written paper's block, for the one template that prints blocks (_blocks.html)."""

from django import template

from saferhub.domain.document import Heading, ItemList, Paragraph, Table

register = template.Library()


@register.filter
def block_kind(block: object) -> str:
    if isinstance(block, Heading):
        return "heading"
    if isinstance(block, Paragraph):
        return "paragraph"
    if isinstance(block, ItemList):
        return "list"
    if isinstance(block, Table):
        return "table"
    return ""
