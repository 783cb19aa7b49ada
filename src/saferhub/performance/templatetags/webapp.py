"""Small template helpers of the web pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from saferhub.domain.indicators import UploadOutcome
from saferhub.domain.report import Spc

register = template.Library()

# NHS "Making Data Count" variation and assurance icons, reduced to a coloured circle and a
# letter; the words always sit beside it, so colour is never the only signal.
ICONS = {
    "common_cause": ("#505a5f", ""),
    "improvement_high": ("#1d70b8", "H"),
    "improvement_low": ("#1d70b8", "L"),
    "concern_high": ("#f47738", "H"),
    "concern_low": ("#f47738", "L"),
    "neutral_high": ("#4c2c92", "H"),
    "neutral_low": ("#4c2c92", "L"),
    "consistent_pass": ("#1d70b8", "P"),
    "consistent_fail": ("#f47738", "F"),
    "inconsistent": ("#505a5f", "?"),
}


@register.simple_tag
def mdc_icon(icon: str | None) -> SafeString:
    """The icon of an SPC variation (common cause, improvement, concern) or assurance (pass, fail)."""
    colour, letter = ICONS.get(icon or "", ("#b1b4b6", "?"))
    return format_html(
        '<svg class="sh-icon" xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
        '<circle cx="12" cy="12" r="11" fill="#ffffff" stroke="{}" stroke-width="2"/>'
        '<text x="12" y="16.5" text-anchor="middle" font-size="13" font-weight="bold" fill="{}">{}</text></svg>',
        colour,
        colour,
        letter,
    )


@register.simple_tag
def mdc_icons(spc: Spc | None) -> SafeString:
    """An indicator's SPC variation, and its assurance where a target allows one: icon and words
    each, one above the other (the summary, the dashboard tile and the indicator page say the same)."""
    if not spc:
        return mark_safe("")
    shown = [format_html("{}{}", mdc_icon(spc.variation_icon), spc.variation_label)]
    if spc.assurance:
        shown.append(format_html("{}{}", mdc_icon(spc.assurance), spc.assurance_label or "–"))
    return mark_safe("<br>".join(shown))  # each part escaped by format_html


@register.filter
def pairs(value) -> str:
    """A before/after dict as "name: value; ..." for a table cell."""
    if value is None:
        return "–"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {pairs(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(pairs(v) for v in value) or "none"
    return str(value)


@register.filter
def outcome_colour(outcome: str) -> str:
    """The GOV.UK tag colour of an upload's outcome (``UploadOutcome``); grey for any other word."""
    try:
        return UploadOutcome(outcome).colour
    except ValueError:
        return "grey"
