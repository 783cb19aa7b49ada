"""The set-up forms: GOV.UK messages ("Enter ...", "Select ..."); the rules themselves are the
services' (partnerships.services, performance.services.catalogue), whose refusals the views put
on the field they are about."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from saferhub.domain.policeuk import CRIME_TYPES
from saferhub.partnerships.models import OrganisationKind
from saferhub.performance.models import Frequency, Polarity, Source, TargetKind, Unit


def _codes(text: str) -> list[str]:
    """Codes or names one a line (or separated by commas or semicolons)."""
    return [part.strip() for part in re.split(r"[\n;,]+", text or "") if part.strip()]


class PartnershipForm(forms.Form):
    name = forms.CharField(
        label="Name of the partnership",
        max_length=200,
        error_messages={"required": "Enter the name of the partnership"},
    )
    slug = forms.SlugField(
        label="Short name for web addresses",
        max_length=70,
        required=False,
        help_text="Lower-case letters, numbers and hyphens, like safer-torbay. Leave it empty to make one from the name.",
        error_messages={"invalid": "The short name must be lower-case letters, numbers and hyphens only"},
    )
    standard_indicators = forms.BooleanField(
        label="Add the standard police.uk indicators (crime and anti-social behaviour by type)",
        required=False,
        initial=True,
    )


class NameForm(forms.Form):
    name = forms.CharField(
        label="Name of the partnership",
        max_length=200,
        error_messages={"required": "Enter the name of the partnership"},
    )


class AreaForm(forms.Form):
    csps = forms.CharField(
        label="Community Safety Partnerships",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="ONS codes or names, one a line, for example E22000063",
    )
    local_authorities = forms.CharField(
        label="Local authority districts",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Current or former districts, by ONS code or name, one a line, for example Torbay or E06000027",
    )
    lsoa_codes = forms.CharField(
        label="LSOA codes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="2011 or 2021 codes, one a line, for example E01015025",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for f in ("csps", "local_authorities", "lsoa_codes"):
            data[f] = _codes(data.get(f, ""))
        if not any(data[f] for f in ("csps", "local_authorities", "lsoa_codes")):
            self.add_error("local_authorities", "Enter the area: a CSP, a local authority district or LSOA codes")
        return data


class OrganisationForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the organisation's name"})
    kind = forms.ChoiceField(
        label="What it is",
        choices=[("", "Select what it is"), *OrganisationKind.choices],
        help_text="Local authority, police, fire and rescue, probation and health are the statutory agencies",
        error_messages={"required": "Select what the organisation is"},
    )
    charity_number = forms.CharField(label="Charity number (optional)", max_length=20, required=False)
    company_number = forms.CharField(label="Company number (optional)", max_length=20, required=False)


class IndicatorForm(forms.Form):
    code = forms.SlugField(
        label="Code",
        max_length=80,
        help_text="Lower-case letters, numbers and hyphens, like da-referrals: figure files name the indicator by it",
        error_messages={
            "required": "Enter a code",
            "invalid": "The code must be lower-case letters, numbers and hyphens only",
        },
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    noun = forms.CharField(
        label="What is counted (optional)",
        max_length=120,
        required=False,
        help_text="For the commentary, like “domestic abuse referrals”",
    )
    polarity = forms.ChoiceField(
        label="Polarity",
        choices=[("", "Select the polarity"), *Polarity.choices],
        error_messages={"required": "Select the polarity"},
    )
    frequency = forms.ChoiceField(label="Frequency", choices=Frequency.choices, initial=Frequency.MONTHLY)
    unit = forms.ChoiceField(label="Unit", choices=Unit.choices, initial=Unit.COUNT)
    source = forms.ChoiceField(label="Source", choices=Source.choices, initial=Source.PARTNER)
    crime_types = forms.MultipleChoiceField(
        label="police.uk crime types counted",
        choices=[(slug, name) for name, slug in CRIME_TYPES.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only for a police.uk indicator",
    )
    owner = forms.CharField(label="Owner (optional)", max_length=200, required=False, help_text="Who supplies it")
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sensitive = forms.BooleanField(
        label="Sensitive: published only by partnership and quarter, with stricter suppression",
        required=False,
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            # The code stays: figure files and addresses name the indicator by it.
            del self.fields["code"]


class TargetsForm(forms.Form):
    """One box per period of the year (April to March, or Q1 to Q4); an empty box is no target."""

    kind = forms.ChoiceField(
        label="How the targets are read",
        choices=TargetKind.choices,
        help_text="Cumulative: each box is the year to date at that period. Flat: each box is that period's own level.",
    )

    def __init__(self, *args: Any, periods: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.periods = periods
        for p in periods:
            self.fields[f"target_{p.label}"] = forms.CharField(
                label=p.name, required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
            )

    def period_fields(self) -> list[Any]:
        return [self[f"target_{p.label}"] for p in self.periods]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        values: dict[str, Decimal | None] = {}
        for p in self.periods:
            raw = str(data.get(f"target_{p.label}", "") or "").replace(",", "").strip()
            if raw.endswith("%"):
                raw = raw[:-1].strip()
            if not raw:
                values[p.label] = None
                continue
            try:
                value = Decimal(raw)
            except InvalidOperation:
                self.add_error(f"target_{p.label}", f"The target for {p.name} must be a number, like 120 or 62.5")
                continue
            if not value.is_finite() or value < 0 or abs(value) >= Decimal("1e12"):
                self.add_error(f"target_{p.label}", f"The target for {p.name} must be 0 or more")
                continue
            values[p.label] = value
        data["values"] = values
        return data
