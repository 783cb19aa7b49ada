"""The audit log's filters."""

from __future__ import annotations

import datetime

from django import forms

from .models import AuditAction


class DateParts(forms.MultiValueField):
    """A GOV.UK date input: day, month and year as three fields."""

    def __init__(self, **kwargs):
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=1990, max_value=2100),
        )
        super().__init__(fields=fields, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        if None in data_list:
            raise forms.ValidationError("must include a day, month and year")
        day, month, year = data_list
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError("must be a real date") from None


class DatePartsWidget(forms.MultiWidget):
    def __init__(self):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class AuditFilterForm(forms.Form):
    user = forms.CharField(required=False, max_length=150)
    action = forms.ChoiceField(required=False, choices=[("", "Any action"), *AuditAction.choices])
    object_type = forms.ChoiceField(required=False, choices=[("", "Any kind of object")])
    date_from = DateParts(widget=DatePartsWidget())
    date_to = DateParts(widget=DatePartsWidget())

    def __init__(self, *args, object_types: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Any kind of object"), *[(t, t) for t in object_types]]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data
