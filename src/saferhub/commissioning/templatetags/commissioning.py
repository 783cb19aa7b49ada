from decimal import Decimal

from django import template

from saferhub.domain.commissioning import Rag, ReviewState, SignOffState, check_words, format_money

register = template.Library()


@register.filter
def money(value):
    """£428,246 or £1,330.06; empty for no amount."""
    if value is None or value == "":
        return ""
    return format_money(Decimal(value))


@register.filter
def rag_tag(code):
    """The GOV.UK tag class of a RAG rating (its colour is the domain's ``Rag.tag``)."""
    try:
        return f"govuk-tag--{Rag(code).tag}"
    except ValueError:  # not rated
        return "govuk-tag--grey"


@register.filter
def state_tag(code):
    """The GOV.UK tag class of a project return's review state or a half-year return's sign-off
    state (the two share "draft", grey in both)."""
    for states in (ReviewState, SignOffState):
        try:
            return f"govuk-tag--{states(code).tag}"
        except ValueError:
            continue
    return "govuk-tag--grey"


@register.filter
def check_tag(ok):
    return {True: "govuk-tag--green", False: "govuk-tag--red"}.get(ok, "govuk-tag--grey")


@register.filter
def check_status(ok):
    return check_words(ok)
