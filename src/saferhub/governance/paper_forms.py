"""Forms of the paper pages: write a paper, upload one (PDF or Word), save a new version."""

from __future__ import annotations

from django import forms

from saferhub.domain.document import MARKUP_HINT

from .models import PaperStatus


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _status_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=PaperStatus.choices,
        initial=PaperStatus.DRAFT,
        label="Status",
        help_text="Only a version for the board goes into a pack.",
        error_messages=_required("Choose whether the version is a draft or for the board"),
    )


class _VersionFields(forms.Form):
    author = forms.CharField(max_length=200, error_messages=_required("Enter the paper's author"))
    status = _status_field()
    note = forms.CharField(max_length=300, required=False, label="What changed (optional)")


class PaperWriteForm(_VersionFields):
    item = forms.TypedChoiceField(
        coerce=int, choices=[], label="Agenda item", error_messages=_required("Select the agenda item")
    )
    title = forms.CharField(max_length=200, error_messages=_required("Enter the title of the paper"))
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 24}),
        label="Text of the paper",
        help_text=MARKUP_HINT,
        error_messages=_required("Write the paper's text"),
    )
    field_order = ["item", "title", "author", "body", "status", "note"]

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.pk, f"{i.number}. {i.subject}") for i in items]


class PaperUploadForm(PaperWriteForm):
    file = forms.FileField(
        label="The paper (PDF or Word .docx)",
        help_text="A Word file is converted to PDF when it is uploaded; the pack carries the PDF.",
        widget=forms.FileInput(
            attrs={"accept": "application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
        error_messages=_required("Choose the file of the paper"),
    )
    field_order = ["item", "title", "author", "file", "status"]

    def __init__(self, *args, refusal: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["body"], self.fields["note"]
        self.refusal = refusal

    def clean(self):
        data = super().clean()
        if self.refusal:
            self.add_error("file", self.refusal)
        return data


class VersionWriteForm(_VersionFields):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 24}),
        label="Text of the paper",
        help_text=MARKUP_HINT,
        error_messages=_required("Write the paper's text"),
    )
    field_order = ["author", "body", "status", "note"]


class VersionUploadForm(_VersionFields):
    file = forms.FileField(
        label="The new version (PDF or Word .docx)",
        widget=forms.FileInput(
            attrs={"accept": "application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
        error_messages=_required("Choose the file of the new version"),
    )
    field_order = ["author", "file", "status", "note"]

    def __init__(self, *args, refusal: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def clean(self):
        data = super().clean()
        if self.refusal:
            self.add_error("file", self.refusal)
        return data
