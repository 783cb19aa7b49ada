"""Forms for the board's pages; the GOV.UK markup is in the templates."""

from __future__ import annotations

from django import forms

from saferhub.domain.governance import ScoringScheme
from saferhub.govuk_forms import DateField

from .models import ActionStatus, AttendanceKind, BoardRole, MeetingKind, PackKind


class AttendanceForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Not recorded"), *AttendanceKind.choices], required=False)
    attended_by = forms.CharField(max_length=200, required=False)


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _whole_number(required: str, bounds: str) -> dict[str, str]:
    """Messages for a whole number in a range: one for a blank box, one for anything out of it."""
    return {"required": required, "invalid": bounds, "min_value": bounds, "max_value": bounds}


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, error_messages=_required("Select a status"))


class PackBuildForm(forms.Form):
    kind = forms.ChoiceField(
        choices=PackKind.choices,
        initial=PackKind.SUPPLEMENT,
        label="Build a new issue from the data as it is now",
        error_messages=_required("Select which pack to build"),
    )


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, empty_label="Choose an organisation", error_messages=_required("Choose an organisation")
    )
    representative = forms.CharField(max_length=200, error_messages=_required("Enter the representative's name"))
    title = forms.CharField(max_length=200, required=False, label="Job title")
    board_role = forms.ChoiceField(
        choices=BoardRole.choices,
        initial=BoardRole.MEMBER,
        label="Role on the board",
        error_messages=_required("Select the role on the board"),
    )
    deputy = forms.CharField(max_length=200, required=False, label="Mandated deputy")
    starts_on = DateField(noun="the date the member joined", label="Member from", help_text="For example, 1 4 2017")

    def __init__(self, *args, **kwargs):
        from saferhub.partnerships.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.current()  # a retired one is not offered


class ScoreForm(forms.Form):
    """One field per factor of the board's scheme, each bounded by its scale."""

    def __init__(self, scheme: ScoringScheme, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list[str]]] = []
        for group, scale in (
            ("Harm", scheme.harm),
            ("Likelihood", scheme.likelihood),
            ("Organisational position", scheme.organisation),
        ):
            names = []
            for factor, (lo, hi) in scale.items():
                name = "f_" + factor.replace(" ", "_")
                self.fields[name] = forms.IntegerField(
                    label=factor.capitalize(),
                    min_value=lo,
                    max_value=hi,
                    help_text=f"{lo} to {hi}",
                    error_messages=_whole_number(
                        f"Enter the {factor} score", f"{factor.capitalize()} must be a whole number from {lo} to {hi}"
                    ),
                )
                names.append(name)
            self.groups.append((group, names))
        self.fields["scope"] = forms.ChoiceField(
            choices=[(s, s.capitalize()) for s in scheme.scope], label="Geographic scope"
        )
        self.fields["confidence"] = forms.ChoiceField(
            choices=[(c, c) for c in scheme.confidence], label="Confidence grade"
        )
        self.fields["illustrative"] = forms.BooleanField(
            required=False, label="Illustrative score (not an agreed assessment)"
        )
        self.fields["note"] = forms.CharField(required=False, widget=forms.Textarea, label="Note")
        self.scheme = scheme

    def values(self) -> dict[str, int]:
        return {f: self.cleaned_data["f_" + f.replace(" ", "_")] for f in self.scheme.factors()}


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        choices=MeetingKind.choices,
        initial=MeetingKind.QUARTERLY,
        error_messages=_required("Select the kind of meeting"),
    )
    date = DateField(noun="the date of the meeting", help_text="For example, 25 4 2017")
    starts_at = forms.TimeField(
        input_formats=["%H:%M"],
        help_text="24-hour clock, for example 10:00",
        error_messages={
            "required": "Enter the time the meeting starts",
            "invalid": "Enter the start time on the 24-hour clock, like 10:00",
        },
    )
    ends_at = forms.TimeField(
        input_formats=["%H:%M"],
        required=False,
        label="Ends at (optional)",
        error_messages={"invalid": "Enter the end time on the 24-hour clock, like 13:00"},
    )
    venue = forms.CharField(max_length=200, error_messages=_required("Enter the venue"))


class _MeetingChangeForm(forms.Form):
    """A change to one meeting. Forms that name an agenda item offer that meeting's items; ids take the
    form's name as a prefix (``item-subject``), as the meeting page holds several forms."""

    auto_prefix = ""
    item_required = False

    def __init__(self, *args, items=(), **kwargs):
        kwargs.setdefault("auto_id", f"{self.auto_prefix}-%s")
        super().__init__(*args, **kwargs)
        if "item" in self.fields:
            none = [] if self.item_required else [("", "None")]
            self.fields["item"].choices = none + [(i.pk, f"{i.number}. {i.subject}") for i in items]


def _item_field(required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=required,
        choices=[],
        label="Item",
        error_messages=_required("Select the agenda item"),
    )


class AgendaItemForm(_MeetingChangeForm):
    auto_prefix = "item"
    number = forms.IntegerField(
        min_value=1,
        max_value=99,
        error_messages=_whole_number("Enter the item number", "The item number must be a whole number from 1 to 99"),
    )
    subject = forms.CharField(max_length=200, error_messages=_required("Enter the subject"))
    purpose = forms.CharField(
        max_length=300,
        help_text="For example, To discuss the draft Terms of Reference.",
        error_messages=_required("Enter the purpose of the item"),
    )
    lead = forms.CharField(max_length=200, required=False)


class PaperForm(_MeetingChangeForm):
    auto_prefix = "paper"
    item_required = True
    item = _item_field(required=True)
    title = forms.CharField(max_length=200, error_messages=_required("Enter the title of the paper"))
    generator = forms.ChoiceField(
        required=False,
        choices=[],
        label="Kind of paper",
        help_text="A live paper is generated from saferhub's data each time a pack is built.",
    )
    file = forms.FileField(
        required=False,
        label="PDF file (for an uploaded paper)",
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, refusal: str | None = None, **kwargs):
        from .papers import LIVE_PAPERS

        super().__init__(*args, **kwargs)
        self.refusal = refusal  # the file refused while the request was read (security.uploads)
        self.fields["generator"].choices = [("", "Uploaded PDF")] + [
            (p.name, f"Live: {p.title}") for p in LIVE_PAPERS.values()
        ]

    def clean(self):
        data = super().clean()
        if self.refusal:
            self.add_error("file", self.refusal)
            return data
        if "generator" in data and bool(data.get("generator")) == bool(data.get("file")):
            self.add_error("generator", "Choose a live paper or upload a PDF, not both or neither")
        return data


class DecisionForm(_MeetingChangeForm):
    auto_prefix = "decision"
    item = _item_field(required=False)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Decision", error_messages=_required("Enter the decision")
    )


class ActionForm(_MeetingChangeForm):
    auto_prefix = "action"
    item = _item_field(required=False)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Action", error_messages=_required("Describe the action")
    )
    owner = forms.CharField(max_length=200, error_messages=_required("Enter who owns the action"))
    due_on = DateField(noun="the due date", required=False, label="Due (optional)", help_text="For example, 31 3 2017")
