from django import template

register = template.Library()


@register.inclusion_tag("audit/_date.html")
def date_input(field, legend: str):
    """A GOV.UK date input for a DateParts field, keeping what the user typed."""
    values = field.value() or [None, None, None]
    if not isinstance(values, (list, tuple)):
        values = field.field.widget.decompress(values)
    widths = (2, 2, 4)
    return {"field": field, "legend": legend, "parts": list(zip(values, ("Day", "Month", "Year"), widths))}
