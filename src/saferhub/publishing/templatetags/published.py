from django import template
from django.utils.safestring import mark_safe

from saferhub.domain.disclosure import SUPPRESSED
from saferhub.rendering.templatetags.figures import figure, signed

register = template.Library()

_SUPPRESSED_CELL = mark_safe(
    '<span class="sh-suppressed">[c]<span class="govuk-visually-hidden"> (confidential: suppressed)</span></span>'
)


@register.filter
def published(value, unit="count"):
    """A published cell: "[c]" (explained by the page's note), else as the internal report shows it."""
    return _SUPPRESSED_CELL if value == SUPPRESSED else figure(value, unit)


@register.filter
def signed_published(value, unit="count"):
    """A published change: "[c]", else signed as the internal report signs it (a rate's in points)."""
    return _SUPPRESSED_CELL if value == SUPPRESSED else signed(value, unit)
