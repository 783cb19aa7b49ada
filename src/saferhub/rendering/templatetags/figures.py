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


@register.filter
def words(value):
    """"lower_is_better" -> "lower is better"."""
    return str(value or "").replace("_", " ")


@register.filter
def spc_label(value):
    return {
        "common_cause": "Common cause variation",
        "improvement_high": "Special cause: improvement (high)",
        "improvement_low": "Special cause: improvement (low)",
        "concern_high": "Special cause: concern (high)",
        "concern_low": "Special cause: concern (low)",
        "neutral_high": "Special cause: neither (high)",
        "neutral_low": "Special cause: neither (low)",
        "consistent_pass": "Consistently passes the target",
        "consistent_fail": "Consistently fails the target",
        "inconsistent": "May pass or fail the target",
    }.get(value or "", "–")


@register.filter
def status_colour(status):
    """GOV.UK tag colour of a status: green good, red bad, grey neither."""
    return {"on_target": "green", "improving": "green", "off_target": "red", "worsening": "red"}.get(status, "grey")
