from typing import Any

from django import template

from saferhub.domain.calendar import parse_period
from saferhub.rendering.cells import text

register = template.Library()


@register.filter
def figure(value: Any, unit: str = "count") -> str:
    """A table cell: thousands separators, a percent sign for rates, a dash when missing."""
    return text(value, unit)


@register.filter
def signed(value: Any, unit: str = "count") -> str:
    """A change: signed, and a rate's change in percentage points."""
    return text(value, unit, signed=True)


@register.filter
def period_short(label: str) -> str:
    return parse_period(label).short_name


@register.filter
def period_name(label: str | None) -> str:
    return parse_period(label).name if label else ""


@register.filter
def words(value: Any) -> str:
    """ "lower_is_better" -> "lower is better"."""
    return str(value or "").replace("_", " ")
