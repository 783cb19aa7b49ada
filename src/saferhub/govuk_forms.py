"""The GOV.UK Design System's form patterns for Django forms rendered by hand.

- ``DateField``: the GOV.UK date input (three boxes: day, month, year, posted as ``<name>-day``,
  ``<name>-month`` and ``<name>-year``), with the Design System's error messages.
- Template filters (``{% load govuk_forms %}``), used by ``includes/error_summary.html`` and
  ``includes/field.html``:
  ``error_anchor``, ``date_parts`` (the id an error-summary link goes to), ``first_anchor`` (where a form's
  non-field errors link), ``govuk_control`` (the field's control with the GOV.UK classes, the
  ``--error`` modifier and ``aria-describedby``) and ``control_kind``.
"""

from __future__ import annotations

import datetime

from django import forms, template
from django.forms.boundfield import BoundField

__all__ = ["DateField", "DateInput"]

register = template.Library()


class DateInput(forms.Widget):
    """Three text boxes; the value is the (day, month, year) strings as typed, so a wrong date comes
    back to the user exactly as they entered it."""

    PARTS = ("day", "month", "year")

    def value_from_datadict(self, data, files, name):
        return tuple(str(data.get(f"{name}-{part}", "")).strip() for part in self.PARTS)

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in self.PARTS)

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return (str(value.day), str(value.month), str(value.year))
        if isinstance(value, (tuple, list)) and len(value) == 3:
            return tuple(value)
        return ("", "", "")


class DateField(forms.Field):
    """A date typed into the GOV.UK date input. ``noun`` names the date in messages, as the Design
    System asks: "Enter the date the member joined", "The date the member joined must include a month"."""

    widget = DateInput

    def __init__(self, *, noun: str = "the date", **kwargs):
        self.noun = noun
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter {noun}")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        parts = tuple(value or ("", "", ""))
        if not any(parts):
            return None
        named = dict(zip(DateInput.PARTS, parts))
        missing = [p for p in DateInput.PARTS if not named[p]]
        subject = self.noun[0].upper() + self.noun[1:]
        if missing:
            raise forms.ValidationError(f"{subject} must include a {' and a '.join(missing)}", code="incomplete")
        try:
            day, month, year = (int(named[p]) for p in DateInput.PARTS)
            if year < 1000:
                raise ValueError
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{subject} must be a real date", code="invalid") from None

    def bound_data(self, data, initial):
        return data


# --------------------------------------------------------------------------------- template filters
@register.filter
def control_kind(field: BoundField) -> str:
    """input, textarea, select, date, file, checkbox or radios: which GOV.UK component draws it."""
    w = field.field.widget
    if isinstance(w, DateInput):
        return "date"
    if isinstance(w, forms.RadioSelect):
        return "radios"
    if isinstance(w, forms.CheckboxInput):
        return "checkbox"
    if isinstance(w, forms.Select):
        return "select"
    if isinstance(w, forms.Textarea):
        return "textarea"
    if isinstance(w, forms.FileInput):
        return "file"
    return "input"


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error-summary link points at: the control itself, a date input's day box, the first radio."""
    kind = control_kind(field)
    if kind == "date":
        return f"{field.auto_id}-day"
    if kind == "radios":
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def first_anchor(form: forms.BaseForm) -> str:
    """Where a form's non-field errors link: its first visible field."""
    for field in form.visible_fields():
        return error_anchor(field)
    return "main-content"


@register.filter
def date_parts(value) -> list[tuple[str, str]]:
    """[("day", "7"), ("month", "3"), ("year", "2017")] from a date or the three strings as typed."""
    return list(zip(DateInput.PARTS, DateInput().format_value(value)))


_BASE = {"select": "govuk-select", "textarea": "govuk-textarea", "file": "govuk-file-upload", "input": "govuk-input"}


@register.filter
def govuk_control(field: BoundField, extra: str = "") -> str:
    """The field's control as Django draws it (so values and selected options are kept), with the
    GOV.UK classes, the error modifier and the ids of its hint and error message."""
    kind = control_kind(field)
    base = _BASE.get(kind, "govuk-input")
    classes = [base, *extra.split()]
    if field.errors:
        classes.append(f"{base}--error")
    attrs = {"class": " ".join(classes)}
    described = [f"{field.auto_id}-hint"] if field.help_text else []
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if kind == "textarea":
        rows = field.field.widget.attrs.get("rows")
        attrs["rows"] = 5 if rows in (None, "10") else rows  # Django's default is 10
    widget = None
    if isinstance(field.field.widget, forms.NumberInput):
        # GOV.UK asks for a text box with a numeric keyboard rather than type="number".
        widget, attrs["inputmode"] = forms.TextInput(), "numeric"
    return field.as_widget(widget=widget, attrs=attrs)


@register.filter
def field_width(field: BoundField) -> str:
    """The width classes a form asks for its field (``widths = {"name": "govuk-input--width-10"}``),
    so a template can draw every field of a form in one loop."""
    return getattr(field.form, "widths", {}).get(field.name, "")
