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


@register.simple_tag
def published_chart(ind, financial_year):
    """The indicator's chart, drawn from its published figures only (a suppressed one is a gap)."""
    from django.utils.html import format_html

    from saferhub.rendering.charts import indicator_chart

    chart = indicator_chart(ind.chart, financial_year)
    # The SVG is drawn by our own code with every text escaped; the alt text is escaped here.
    return format_html(
        '<figure class="chart sh-public-chart" role="img" aria-label="{}">{}</figure>', chart.alt, mark_safe(chart.svg)
    )
