"""Forms for the board's pages; the GOV.UK markup is in the templates."""

from __future__ import annotations

from django import forms

from saferhub.domain.governance import ScoringScheme

from .models import ActionStatus, AttendanceKind, BoardRole, MeetingKind, PackKind


class AttendanceForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Not recorded"), *AttendanceKind.choices], required=False)
    attended_by = forms.CharField(max_length=200, required=False)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class PackBuildForm(forms.Form):
    kind = forms.ChoiceField(choices=PackKind.choices, initial=PackKind.SUPPLEMENT)


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, empty_label="Choose an organisation")
    representative = forms.CharField(max_length=200)
    title = forms.CharField(max_length=200, required=False)
    board_role = forms.ChoiceField(choices=BoardRole.choices, initial=BoardRole.MEMBER)
    deputy = forms.CharField(max_length=200, required=False, label="Mandated deputy")
    starts_on = forms.DateField(input_formats=["%Y-%m-%d"], help_text="YYYY-MM-DD")

    def __init__(self, *args, **kwargs):
        from saferhub.partnerships.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.all()


class ScoreForm(forms.Form):
    """One field per factor of the board's scheme, each bounded by its scale."""

    def __init__(self, scheme: ScoringScheme, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list[str]]] = []
        for group, scale in (("Harm", scheme.harm), ("Likelihood", scheme.likelihood),
                             ("Organisational position", scheme.organisation)):
            names = []
            for factor, (lo, hi) in scale.items():
                name = "f_" + factor.replace(" ", "_")
                self.fields[name] = forms.IntegerField(label=factor.capitalize(), min_value=lo, max_value=hi,
                                                       help_text=f"{lo} to {hi}")
                names.append(name)
            self.groups.append((group, names))
        self.fields["scope"] = forms.ChoiceField(choices=[(s, s.capitalize()) for s in scheme.scope], label="Geographic scope")
        self.fields["confidence"] = forms.ChoiceField(choices=[(c, c) for c in scheme.confidence], label="Confidence grade")
        self.fields["illustrative"] = forms.BooleanField(required=False, label="Illustrative score (not an agreed assessment)")
        self.fields["note"] = forms.CharField(required=False, widget=forms.Textarea, label="Note")
        self.scheme = scheme

    def values(self) -> dict[str, int]:
        return {f: self.cleaned_data["f_" + f.replace(" ", "_")] for f in self.scheme.factors()}


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(choices=MeetingKind.choices, initial=MeetingKind.QUARTERLY)
    date = forms.DateField(input_formats=["%Y-%m-%d"])
    starts_at = forms.TimeField(input_formats=["%H:%M"])
    ends_at = forms.TimeField(input_formats=["%H:%M"], required=False)
    venue = forms.CharField(max_length=200)


class AgendaItemForm(forms.Form):
    number = forms.IntegerField(min_value=1, max_value=99)
    subject = forms.CharField(max_length=200)
    purpose = forms.CharField(max_length=300)
    lead = forms.CharField(max_length=200, required=False)


class PaperForm(forms.Form):
    item = forms.IntegerField()
    title = forms.CharField(max_length=200)
    generator = forms.ChoiceField(required=False, choices=[])
    file = forms.FileField(required=False)

    def __init__(self, *args, **kwargs):
        from .papers import LIVE_PAPERS

        super().__init__(*args, **kwargs)
        self.fields["generator"].choices = [("", "Uploaded PDF")] + [(p.name, p.title) for p in LIVE_PAPERS.values()]

    def clean(self):
        data = super().clean()
        if bool(data.get("generator")) == bool(data.get("file")):
            raise forms.ValidationError("Choose a live paper or upload a PDF, not both or neither")
        return data


class DecisionForm(forms.Form):
    item = forms.IntegerField(required=False)
    text = forms.CharField(widget=forms.Textarea)


class ActionForm(forms.Form):
    item = forms.IntegerField(required=False)
    description = forms.CharField(widget=forms.Textarea)
    owner = forms.CharField(max_length=200)
    due_on = forms.DateField(input_formats=["%Y-%m-%d"], required=False)
