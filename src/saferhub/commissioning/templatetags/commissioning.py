from decimal import Decimal

from django import template

from saferhub.domain.commissioning import check_words, format_money

register = template.Library()


@register.filter
def money(value):
    """£428,246 or £1,330.06; empty for no amount."""
    if value is None or value == "":
        return ""
    return format_money(Decimal(value))


@register.filter
def rag_tag(code):
    """The GOV.UK tag colour of a RAG rating."""
    return {"achieved": "govuk-tag--green", "on_track": "govuk-tag--yellow", "behind": "govuk-tag--red"}.get(
        code, "govuk-tag--grey"
    )


@register.filter
def state_tag(code):
    return {
        "draft": "govuk-tag--grey",
        "submitted": "govuk-tag--blue",
        "changes_requested": "govuk-tag--orange",
        "accepted": "govuk-tag--green",
        "csp_signed": "govuk-tag--blue",
        "signed": "govuk-tag--green",
    }.get(code, "govuk-tag--grey")


@register.filter
def check_tag(ok):
    return {True: "govuk-tag--green", False: "govuk-tag--red"}.get(ok, "govuk-tag--grey")


@register.filter
def check_status(ok):
    return check_words(ok)
