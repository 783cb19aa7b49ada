"""Forms of the commissioning set-up pages: they parse and check what was typed, with the GOV.UK
Design System's messages; the services in ``setup`` decide and write."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms

from saferhub.domain.calendar import FinancialYear, PeriodError
from saferhub.domain.commissioning import MoneyError, money
from saferhub.govuk_forms import DateField

from .models import IntentionState

_NUMERIC = {"inputmode": "decimal"}
_WIDE = "govuk-!-width-two-thirds"
_MONEY = "govuk-input--width-10"


def _required(message: str) -> dict[str, str]:
    return {"required": message}


class MoneyField(forms.CharField):
    """Pounds and pence, typed as 400568, 400,568 or £1,330.06; never negative, never finer than a penny."""

    def __init__(self, *, noun: str, **kwargs):
        self.noun = noun
        kwargs.setdefault("error_messages", _required(f"Enter {noun}"))
        kwargs.setdefault("widget", forms.TextInput(attrs=_NUMERIC))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            amount = money(text)
        except MoneyError:
            raise forms.ValidationError(
                f"Enter {self.noun} in pounds and pence, like 400568 or 1330.06", code="invalid"
            ) from None
        if amount < 0:
            raise forms.ValidationError(f"{self.noun[0].upper()}{self.noun[1:]} cannot be negative", code="negative")
        return amount


class FinancialYearField(forms.CharField):
    """A financial year typed as 2017/18 (domain.calendar), cleaned to the year in which it starts."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", _required("Enter the financial year, like 2017/18"))
        kwargs.setdefault("help_text", "For example, 2017/18")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return FinancialYear(value).label if isinstance(value, int) else value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return FinancialYear.parse(text).start_year
        except PeriodError:
            raise forms.ValidationError(
                f"Enter the financial year like 2017/18 (‘{text}’ is not one)", code="invalid"
            ) from None


class FinancialYearsField(forms.CharField):
    """One or several financial years, separated by commas: 2017/18, 2018/19."""

    def to_python(self, value):
        text = super().to_python(value)
        years = []
        for part in [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]:
            try:
                years.append(FinancialYear.parse(part).start_year)
            except PeriodError:
                raise forms.ValidationError(
                    f"Enter each financial year like 2017/18, separated by commas (‘{part}’ is not one)",
                    code="invalid",
                ) from None
        if len(set(years)) != len(years):
            raise forms.ValidationError("Enter each financial year once", code="repeated")
        return sorted(years)


def _organisations():
    from saferhub.partnerships.models import Organisation

    return Organisation.objects.order_by("name")


class FundForm(forms.Form):
    name = forms.CharField(
        max_length=200, label="Name of the fund", error_messages=_required("Enter the name of the fund")
    )
    slug = forms.SlugField(
        max_length=80,
        label="Short name",
        help_text="Used in web addresses and commands, for example community-safety-fund",
        error_messages={
            "required": "Enter a short name for the fund",
            "invalid": "The short name can only have lower-case letters, numbers and hyphens, like community-safety-fund",
        },
    )
    funder = forms.ModelChoiceField(
        queryset=None,
        label="Funder",
        empty_label="Choose the funder",
        error_messages={"required": "Choose the funder", "invalid_choice": "Choose one of the listed organisations"},
    )
    channelled_through = forms.CharField(
        max_length=200,
        required=False,
        label="Held for the partnership by (optional)",
        help_text="For example, Western Planning and Delivery Unit",
    )
    widths = {"name": _WIDE, "slug": "govuk-input--width-20", "channelled_through": _WIDE}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = _organisations()
        if editing:
            del self.fields["slug"]  # the short name is the fund's identity in commands and returns


class AwardsForm(forms.Form):
    years = FinancialYearsField(
        label="Financial years",
        help_text="One year, or several with the same award separated by commas: 2017/18, 2018/19",
        error_messages=_required("Enter the financial year of the award, like 2017/18"),
    )
    amount = MoneyField(noun="the amount awarded for each year", label="Amount awarded for each year, in pounds")
    decided_on = DateField(noun="the date of the decision", required=False, label="Date of the decision (optional)")
    widths = {"years": "govuk-input--width-20", "amount": _MONEY}


class AwardForm(forms.Form):
    amount = MoneyField(noun="the amount awarded", label="Amount awarded, in pounds")
    decided_on = DateField(noun="the date of the decision", required=False, label="Date of the decision (optional)")
    widths = {"amount": _MONEY}


class CarryForwardForm(forms.Form):
    carried_forward = MoneyField(
        noun="the amount carried forward", label="Amount carried forward into this year, in pounds"
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        label="What it is for (optional)",
        help_text="For example, 2016/17 grant carried forward for an additional IDVA",
    )
    widths = {"carried_forward": _MONEY, "note": _WIDE}


class IntentionForm(forms.Form):
    year = FinancialYearField(label="Financial year")
    as_at = DateField(noun="the date of the paper that set it out", label="Date of the paper that set it out")
    area_of_need = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), error_messages=_required("Enter the area of need")
    )
    recommendation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), error_messages=_required("Enter the recommendation")
    )
    state = forms.ChoiceField(
        choices=IntentionState.choices,
        widget=forms.RadioSelect,
        label="State",
        error_messages=_required("Choose the state of the intention"),
    )
    contribution = MoneyField(
        noun="the fund's contribution",
        required=False,
        label="The fund's contribution, in pounds",
        help_text="Needed once the intention is confirmed",
    )
    total_budget = MoneyField(noun="the total budget", required=False, label="Total budget, in pounds (optional)")
    total_budget_note = forms.CharField(max_length=100, required=False, label="Note on the total budget (optional)")
    widths = {
        "year": "govuk-input--width-5",
        "contribution": _MONEY,
        "total_budget": _MONEY,
        "total_budget_note": _WIDE,
    }

    def clean(self):
        data = super().clean()
        if (
            data.get("state") == IntentionState.CONFIRMED
            and data.get("contribution") is None
            and "contribution" not in self.errors
        ):
            self.add_error("contribution", "Enter the fund's contribution: a confirmed intention has one")
        return data


class ProjectForm(forms.Form):
    year = FinancialYearField(label="Financial year")
    letter = forms.RegexField(
        regex=r"^[A-Z]{1,3}$",
        max_length=3,
        label="Letter",
        help_text="As in the return to the funder, for example A",
        error_messages={
            "required": "Enter the project's letter, like A",
            "invalid": "The letter must be one to three capital letters, like A",
        },
    )
    title = forms.CharField(max_length=300, error_messages=_required("Enter the project's title"))
    provider = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No provider yet",
        error_messages={"invalid_choice": "Choose one of the listed organisations"},
    )
    provider_note = forms.CharField(
        max_length=300,
        required=False,
        label="About the provider (optional)",
        help_text="Its status: statutory, voluntary or independent",
    )
    commissioning_body = forms.CharField(
        max_length=200, required=False, label="Commissioning body (optional)", help_text="For example, YOT"
    )
    intention = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="None",
        label="Commissioning intention (optional)",
        error_messages={"invalid_choice": "Choose one of the fund's intentions"},
    )
    amount = MoneyField(noun="the funding from this fund", label="Funding from this fund, in pounds")
    carried_forward_included = MoneyField(
        noun="the carry-forward included",
        required=False,
        label="Of which carried forward, in pounds (optional)",
    )
    share_of_service = forms.CharField(
        max_length=100,
        required=False,
        label="Share of the service (optional)",
        help_text="For example, approx. 1/3 of the total service funding",
    )
    total_service_budget = MoneyField(
        noun="the total service budget", required=False, label="Total service budget, in pounds (optional)"
    )
    funding_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Note on the funding (optional)"
    )
    expenditure_breakdown = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Breakdown of expenditure (optional)"
    )
    how_measured = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="How the outcomes are measured (optional)"
    )
    contract_start = DateField(noun="the contract start date", required=False, label="Contract starts (optional)")
    contract_end = DateField(noun="the contract end date", required=False, label="Contract ends (optional)")
    widths = {
        "year": "govuk-input--width-5",
        "letter": "govuk-input--width-3",
        "title": _WIDE,
        "provider_note": _WIDE,
        "commissioning_body": _WIDE,
        "amount": _MONEY,
        "carried_forward_included": _MONEY,
        "share_of_service": _WIDE,
        "total_service_budget": _MONEY,
    }

    def __init__(self, *args, fund, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Intention

        self.fields["provider"].queryset = _organisations()
        self.fields["intention"].queryset = Intention.objects.filter(fund=fund).order_by("year", "position")
        self.fields["intention"].label_from_instance = (
            lambda i: f"{i.year}/{(i.year + 1) % 100:02d}: {i.recommendation[:90]}"
        )
        if editing:
            # The year and letter are the project's place in the funder's return.
            del self.fields["year"], self.fields["letter"]

    def clean(self):
        data = super().clean()
        start, end = data.get("contract_start"), data.get("contract_end")
        if start and end and end < start:
            self.add_error("contract_end", "The contract end date must be on or after its start date")
        amount, carried = data.get("amount"), data.get("carried_forward_included")
        if amount is not None and carried is not None and carried > amount:
            self.add_error("carried_forward_included", "The carry-forward included cannot be more than the funding")
        if data.get("carried_forward_included") is None and "carried_forward_included" not in self.errors:
            data["carried_forward_included"] = Decimal("0.00")
        return data


class KpiForm(forms.Form):
    name = forms.CharField(max_length=400, label="KPI", error_messages=_required("Enter the KPI"))
    measure = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="How it is measured",
        error_messages=_required("Enter how the KPI is measured"),
    )
    annual_target = forms.CharField(
        max_length=200,
        label="Annual target, as the specification words it",
        help_text="For example, 75% or above, or To be agreed",
        error_messages=_required("Enter the annual target, or ‘To be agreed’"),
    )
    target_value = forms.CharField(
        required=False,
        label="Target as a number (optional)",
        help_text="Leave blank while the target is to be agreed",
        widget=forms.TextInput(attrs=_NUMERIC),
    )
    evidence_source = forms.CharField(max_length=300, required=False, label="Evidence source (optional)")
    reporting_mechanism = forms.CharField(max_length=300, required=False, label="Reporting mechanism (optional)")
    widths = {
        "name": _WIDE,
        "annual_target": _WIDE,
        "target_value": "govuk-input--width-5",
        "evidence_source": _WIDE,
        "reporting_mechanism": _WIDE,
    }

    def clean_target_value(self):
        raw = (self.cleaned_data.get("target_value") or "").strip().rstrip("%").replace(",", "")
        if not raw:
            return None
        try:
            value = Decimal(raw)
            if not value.is_finite() or value != value.quantize(Decimal("0.01")) or abs(value) >= Decimal("1e12"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            raise forms.ValidationError("Enter the target as a number, like 75 or 12.5, or leave it blank") from None
        return value


class OutcomeForm(forms.Form):
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Outcome", error_messages=_required("Enter the outcome")
    )
    measure = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="How it is measured (optional)"
    )


class MilestoneForm(forms.Form):
    activity = forms.CharField(max_length=300, error_messages=_required("Enter the activity"))
    deadline = DateField(noun="the deadline", help_text="For example, 31 1 2018")
    deadline_label = forms.CharField(
        max_length=40,
        required=False,
        label="Deadline as it is to read (optional)",
        help_text="When only a month is known, for example January 2018",
    )
    deliverables = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Deliverables (optional)"
    )
    done = forms.BooleanField(required=False, label="Done")
    widths = {"activity": _WIDE, "deadline_label": "govuk-input--width-10"}


class CoFunderForm(forms.Form):
    name = forms.CharField(max_length=200, label="Co-funder", error_messages=_required("Enter the co-funder's name"))
    amount = MoneyField(noun="the co-funder's amount", required=False, label="Amount, in pounds (optional)")
    note = forms.CharField(
        max_length=300, required=False, label="Note (optional)", help_text="For example, the remainder of the service"
    )
    widths = {"name": _WIDE, "amount": _MONEY, "note": _WIDE}


PART_FORMS = {"kpis": KpiForm, "outcomes": OutcomeForm, "milestones": MilestoneForm, "cofunders": CoFunderForm}


class AmountClaimedForm(forms.Form):
    """The amount claimed, changed on the half-year return's page."""

    claimed = MoneyField(noun="the amount claimed")


class ClaimForm(forms.Form):
    claimed = MoneyField(noun="the amount to claim", label="Amount to claim for the half year, in pounds")
    due_on = DateField(noun="the date the return to the funder is due", label="Return to the funder due by")
    provider_due_on = DateField(
        noun="the date the providers' returns are due",
        required=False,
        label="Providers' returns due by (optional)",
    )
    widths = {"claimed": _MONEY}

    def clean(self):
        data = super().clean()
        due, provider_due = data.get("due_on"), data.get("provider_due_on")
        if due and provider_due and provider_due > due:
            self.add_error(
                "provider_due_on", "The providers' returns must be due on or before the return to the funder"
            )
        return data
