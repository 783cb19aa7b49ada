"""Forms of the board's set-up pages (issue 15): they parse and check what was typed, with the
GOV.UK Design System's messages; the services decide and write."""

from __future__ import annotations

from django import forms

from saferhub.govuk_forms import DateField

from .models import BoardRole, MeetingKind

_WIDE = "govuk-!-width-two-thirds"
_TIME = forms.TimeInput(format="%H:%M")


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _whole(required: str, bounds: str) -> dict[str, str]:
    return {"required": required, "invalid": bounds, "min_value": bounds, "max_value": bounds}


class BoardForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label="Name of the board",
        help_text="For example, Safer Plymouth Partnership Board",
        error_messages=_required("Enter the name of the board"),
    )
    quorum_minimum_members = forms.IntegerField(
        min_value=1,
        max_value=99,
        label="Members needed for a quorum",
        error_messages=_whole(
            "Enter how many members make a quorum", "Members needed must be a whole number from 1 to 99"
        ),
    )
    quorum_minimum_statutory = forms.IntegerField(
        min_value=0,
        max_value=99,
        label="Of whom from statutory agencies",
        error_messages=_whole(
            "Enter how many statutory agencies a quorum needs",
            "Statutory agencies needed must be a whole number from 0 to 99",
        ),
    )
    quorum_deputies_count = forms.BooleanField(required=False, label="A mandated deputy counts towards the quorum")
    widths = {
        "name": _WIDE,
        "quorum_minimum_members": "govuk-input--width-3",
        "quorum_minimum_statutory": "govuk-input--width-3",
    }

    def clean(self):
        data = super().clean()
        members, statutory = data.get("quorum_minimum_members"), data.get("quorum_minimum_statutory")
        if members is not None and statutory is not None and statutory > members:
            self.add_error("quorum_minimum_statutory", "A quorum cannot need more statutory agencies than members")
        return data


class TermsForm(forms.Form):
    version = forms.CharField(
        max_length=20, label="Version", help_text="For example, 2017-v1", error_messages=_required("Enter the version")
    )
    drafted_on = DateField(noun="the date it was drafted", label="Drafted on")
    sections = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        label="Sections",
        help_text="Start each section with its heading on a line of its own beginning with #, for example: # Purpose",
        error_messages=_required("Enter the sections of the terms of reference"),
    )
    widths = {"version": "govuk-input--width-10"}

    def clean_sections(self):
        text = self.cleaned_data["sections"].replace("\r\n", "\n")
        sections: list[tuple[str, list[str]]] = []
        for n, line in enumerate(text.split("\n"), start=1):
            if line.startswith("#"):
                heading = line.lstrip("#").strip()
                if not heading:
                    raise forms.ValidationError(f"Line {n} starts a section but has no heading after the #")
                if len(heading) > 120:
                    raise forms.ValidationError(f"The heading on line {n} must be 120 characters or fewer")
                sections.append((heading, []))
            elif line.strip() and not sections:
                raise forms.ValidationError(
                    f"Line {n} comes before the first heading: start with a line like # Purpose"
                )
            elif sections:
                sections[-1][1].append(line)
        if not sections:
            raise forms.ValidationError("Start each section with a heading line beginning with #, like # Purpose")
        empty = [h for h, body in sections if not "\n".join(body).strip()]
        if empty:
            raise forms.ValidationError(f"The section ‘{empty[0]}’ has no text")
        return [(h, "\n".join(body).strip()) for h, body in sections]


def sections_text(terms) -> str:
    """A version's sections as the form shows them."""
    return "\n\n".join(f"# {s.heading}\n{s.text}" for s in terms.sections.all())


class AdoptForm(forms.Form):
    adopted_on = DateField(noun="the date the board adopted it", label="Adopted on")


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None,
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose an organisation",
            "invalid_choice": "Choose one of the listed organisations",
        },
    )
    representative = forms.CharField(max_length=200, error_messages=_required("Enter the representative's name"))
    title = forms.CharField(max_length=200, required=False, label="Job title (optional)")
    board_role = forms.ChoiceField(
        choices=BoardRole.choices,
        initial=BoardRole.MEMBER,
        widget=forms.RadioSelect,
        label="Role on the board",
        error_messages=_required("Select the role on the board"),
    )
    deputy = forms.CharField(max_length=200, required=False, label="Mandated deputy (optional)")
    deputy_title = forms.CharField(max_length=200, required=False, label="Deputy's job title (optional)")
    starts_on = DateField(noun="the date the member joined", label="Member from", help_text="For example, 1 4 2017")
    ends_on = DateField(noun="the date the membership ends", required=False, label="Member until (optional)")
    widths = {"representative": _WIDE, "title": _WIDE, "deputy": _WIDE, "deputy_title": _WIDE}

    def __init__(self, *args, **kwargs):
        from saferhub.partnerships.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The date the membership ends must be on or after the date the member joined")
        return data


class EndMembershipForm(forms.Form):
    ends_on = DateField(noun="the last day of the membership", label="Last day as a member")


class InviteeForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages=_required("Enter the name of the person invited"))
    organisation = forms.CharField(max_length=200, required=False, label="Organisation (optional)")
    reason = forms.CharField(max_length=300, required=False, label="Why they are invited (optional)")
    item = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
        label="For an agenda item (optional)",
        help_text="Or give the period of the invitation below",
    )
    starts_on = DateField(noun="the date the invitation starts", required=False, label="Invited from (optional)")
    ends_on = DateField(noun="the date the invitation ends", required=False, label="Invited until (optional)")
    widths = {"name": _WIDE, "organisation": _WIDE, "reason": _WIDE}

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {i.pk: i for i in items}
        self.fields["item"].choices = [("", "None: for a period")] + [
            (i.pk, f"{i.meeting.date:%-d %B %Y}, item {i.number}: {i.subject}") for i in items
        ]

    def clean(self):
        data = super().clean()
        data["item"] = self.items.get(data.get("item")) if data.get("item") else None
        if data["item"] is None and "starts_on" not in self.errors and "ends_on" not in self.errors:
            if data.get("starts_on") is None or data.get("ends_on") is None:
                self.add_error("item", "Choose the agenda item, or give the dates the invitation starts and ends")
        return data


class MeetingSetupForm(forms.Form):
    kind = forms.ChoiceField(
        choices=MeetingKind.choices,
        initial=MeetingKind.QUARTERLY,
        widget=forms.RadioSelect,
        error_messages=_required("Select the kind of meeting"),
    )
    date = DateField(noun="the date of the meeting", help_text="For example, 25 4 2017")
    starts_at = forms.TimeField(
        input_formats=["%H:%M"],
        widget=_TIME,
        help_text="24-hour clock, for example 10:00",
        error_messages={
            "required": "Enter the time the meeting starts",
            "invalid": "Enter the start time on the 24-hour clock, like 10:00",
        },
    )
    ends_at = forms.TimeField(
        input_formats=["%H:%M"],
        widget=_TIME,
        required=False,
        label="Ends at (optional)",
        error_messages={"invalid": "Enter the end time on the 24-hour clock, like 13:00"},
    )
    venue = forms.CharField(max_length=200, error_messages=_required("Enter the venue"))
    widths = {"starts_at": "govuk-input--width-5", "ends_at": "govuk-input--width-5", "venue": _WIDE}


class ItemForm(forms.Form):
    number = forms.IntegerField(
        min_value=1,
        max_value=99,
        label="Item number",
        help_text="Its place on the agenda",
        error_messages=_whole("Enter the item number", "The item number must be a whole number from 1 to 99"),
    )
    subject = forms.CharField(max_length=200, label="Title", error_messages=_required("Enter the title of the item"))
    purpose = forms.CharField(
        max_length=300,
        help_text="For example, To discuss the draft Terms of Reference.",
        error_messages=_required("Enter the purpose of the item"),
    )
    lead = forms.CharField(max_length=200, required=False, label="Presenter (optional)")
    paper_url = forms.URLField(
        assume_scheme="https",
        max_length=500,
        required=False,
        label="Link to a paper published elsewhere (optional)",
        help_text="Papers for the pack are added on the meeting page",
        error_messages={
            "invalid": "Enter the link to the paper as a full web address, like https://example.org/paper.pdf"
        },
    )
    widths = {"number": "govuk-input--width-2", "subject": _WIDE, "purpose": _WIDE, "lead": _WIDE}
