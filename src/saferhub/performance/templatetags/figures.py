from django import template

from saferhub.domain.calendar import parse_period

register = template.Library()


@register.filter
def figure(value, unit="count"):
    """A table cell: thousands separators, a percent sign for rates, a dash when missing."""
    if value is None:
        return "–"
    if unit == "percentage":
        return f"{value:.1f}%"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


@register.filter
def signed(value, unit="count"):
    if value is None:
        return "–"
    sign = "+" if value > 0 else ""
    if unit == "percentage":
        return f"{sign}{value:.1f} pts"
    return f"{sign}{value:,}" if isinstance(value, int) else f"{sign}{value:,.1f}"


@register.filter
def period_short(label):
    return parse_period(label).short_name


@register.filter
def period_name(label):
    return parse_period(label).name if label else ""
