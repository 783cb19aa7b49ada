from django import template
from django.utils.safestring import mark_safe

from saferhub.domain.disclosure import SUPPRESSED

register = template.Library()


@register.filter
def published(value, unit="count"):
    """A published cell: "[c]" (explained by the page's note), a dash when not held, or the figure."""
    if value == SUPPRESSED:
        return mark_safe('<span class="sh-suppressed">[c]<span class="govuk-visually-hidden"> (confidential: suppressed)</span></span>')
    if value is None:
        return "–"
    if unit == "percentage":
        return f"{value:.1f}%"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


@register.filter
def signed_published(value, unit="count"):
    if value == SUPPRESSED or value is None or unit == "percentage":
        return published(value, unit)
    return ("+" if value > 0 else "") + published(value, unit)
