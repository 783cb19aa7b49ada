"""Forms of the commissioning pages. They only parse and validate input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from saferhub.domain.commissioning import MoneyError, money
from saferhub.domain.document import MARKUP_HINT, DocumentError, parse_document

from .models import Kpi, Office, ProjectReturn, Rag

BLANK_SPEND_ROWS = 3
MAX_SPEND_ROWS = 200  # a return's lines are categories, not transactions: far beyond any need


_NUMERIC = forms.TextInput(attrs={"inputmode": "decimal"})  # a text box with a numeric keyboard, as GOV.UK asks


class ReturnForm(forms.Form):
    """A provider's return: narratives, RAG, an actual per KPI and the spend lines. Fields are
    named so the error summary can link to each (``#id_<name>``)."""

    achieved = forms.CharField(
        label="To what extent have the outcomes been achieved?", widget=forms.Textarea, required=False
    )
    actions = forms.CharField(label="Actions put in place to achieve outcomes", widget=forms.Textarea, required=False)
    rag = forms.ChoiceField(label="RAG rating", choices=Rag.choices, required=False, widget=forms.RadioSelect)

    def __init__(self, *args, project_return: ProjectReturn, spend_rows: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.project_return = project_return
        self.kpis = list(Kpi.objects.filter(project=project_return.project))
        actuals = {a.kpi_id: a for a in project_return.actuals.all()}
        lines = list(project_return.spend_lines.all())
        # As many lines as the provider has asked for ("Add another spend line"), posted back in
        # ``spend_rows``, and never fewer than the lines held plus a few empty ones.
        self.spend_count = min(MAX_SPEND_ROWS, max(len(lines) + BLANK_SPEND_ROWS, spend_rows))
        if not self.is_bound:
            held = {"achieved": project_return.achieved, "actions": project_return.actions, "rag": project_return.rag}
            self.initial = {**held, **self.initial}  # what was typed (an added line) wins over what is held
        for k in self.kpis:
            a = actuals.get(k.pk)
            self.fields[f"kpi_{k.pk}"] = forms.CharField(
                label=k.name, required=False, initial=_plain(a.value) if a else "", widget=_NUMERIC
            )
            self.fields[f"kpi_{k.pk}_note"] = forms.CharField(
                label=f"Note on {k.name}", required=False, initial=a.note if a else ""
            )
        for i in range(self.spend_count):
            line = lines[i] if i < len(lines) else None
            self.fields[f"spend_{i}_category"] = forms.CharField(
                label=f"Spend line {i + 1}: category", required=False, initial=line.category if line else ""
            )
            self.fields[f"spend_{i}_amount"] = forms.CharField(
                label=f"Spend line {i + 1}: amount in pounds",
                required=False,
                initial=_plain(line.amount) if line else "",
                widget=_NUMERIC,
            )

    def clean(self):
        data = super().clean()
        actuals: dict[int, tuple[Decimal | None, str]] = {}
        for k in self.kpis:
            raw = (data.get(f"kpi_{k.pk}") or "").strip().replace(",", "").rstrip("%")
            value = None
            if raw:
                try:
                    value = Decimal(raw)
                    if not value.is_finite():
                        raise ArithmeticError
                except (ArithmeticError, ValueError):
                    self.add_error(f"kpi_{k.pk}", f"Enter the actual for ‘{k.name}’ as a number, like 185 or 68.5")
                    continue
            actuals[k.pk] = (value, (data.get(f"kpi_{k.pk}_note") or "").strip())
        lines = []
        for i in range(self.spend_count):
            category = (data.get(f"spend_{i}_category") or "").strip()
            amount = (data.get(f"spend_{i}_amount") or "").strip()
            if not category and not amount:
                continue
            if not category:
                self.add_error(f"spend_{i}_category", f"Enter what spend line {i + 1} was for")
            try:
                lines.append((category, money(amount)))
            except MoneyError:
                self.add_error(
                    f"spend_{i}_amount", f"Enter the amount of spend line {i + 1} in pounds and pence, like 251.06"
                )
        data["actuals"], data["spend_lines"] = actuals, lines
        return data


def spend_rows_asked(data) -> int:
    """The number of spend lines the form was showing (its hidden ``spend_rows``), 0 if not a number."""
    raw = str(data.get("spend_rows", "")).strip()
    return int(raw) if raw.isdigit() and len(raw) < 4 else 0


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the return"), ("request_changes", "Request changes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept the return or request changes"},
    )
    comment = forms.CharField(label="Comment to the provider", widget=forms.Textarea, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "request_changes" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what the provider needs to change")
        return data


class SignOffForm(forms.Form):
    """The signature is the signed-in account's: the form carries only the step the signer was
    shown, so that a return that moved on meanwhile is not signed for another office."""

    step = forms.ChoiceField(choices=Office.choices, widget=forms.HiddenInput)


class OfficeForm(forms.Form):
    """Appoint the holder of an office that signs the return (the service decides who may)."""

    office = forms.ChoiceField(
        label="Office",
        choices=Office.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the office"},
    )
    user = forms.ModelChoiceField(
        label="Held by",
        queryset=None,
        to_field_name="username",
        error_messages={"required": "Choose who holds the office", "invalid_choice": "Choose one of the listed users"},
    )
    job_title = forms.CharField(
        label="Job title, as it is to read on the return",
        max_length=150,
        error_messages={"required": "Enter the office holder's job title"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from saferhub.accounts.models import Role, User

        self.fields["user"].queryset = (
            User.objects.filter(is_active=True).exclude(role=Role.PROVIDER).order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


class AppendixForm(forms.Form):
    """An appendix to a project's section of the return: a narrative written here, or a PDF."""

    title = forms.CharField(
        max_length=200, label="Title of the appendix", error_messages={"required": "Enter the title of the appendix"}
    )
    text = forms.CharField(
        required=False,
        label="Text of the appendix (for a narrative)",
        help_text=MARKUP_HINT,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    file = forms.FileField(
        required=False,
        label="PDF file (for an uploaded document)",
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, refusal: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal  # the file refused while the request was read (security.uploads)

    def clean(self):
        data = super().clean()
        if self.refusal:
            self.add_error("file", self.refusal)
            return data
        has_text, has_file = bool((data.get("text") or "").strip()), bool(data.get("file"))
        if has_text == has_file:
            self.add_error("text", "Write the text of the appendix or choose a PDF file, not both")
        elif has_text:
            try:
                parse_document(data["text"])
            except DocumentError as e:
                self.add_error("text", f"Correct the text of the appendix: {e}")
        return data
