"""Forms of the performance pages. Error messages follow the GOV.UK Design System: they say
what to do, in the user's terms."""

from __future__ import annotations

from pathlib import Path

from django import forms

from .models import ImportKind
from .services.uploads import UPLOAD_SUFFIXES

MAX_COMMENT = 4000


class CommentForm(forms.Form):
    text = forms.CharField(
        required=True,
        strip=True,
        max_length=MAX_COMMENT,
        error_messages={
            "required": "Enter the commentary",
            "max_length": f"Commentary must be {MAX_COMMENT:,} characters or fewer",
        },
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of data you are uploading"},
    )
    files = MultipleFileField(
        widget=MultipleFileInput,
        error_messages={"required": "Select a file to upload"},
    )

    def __init__(self, *args, refusal: str | None = None, **kwargs):
        # Files refused while the request was read (security.uploads.upload_refusal): said in
        # place of "Select a file", since the form then received none or only some of them.
        self.refusal = refusal
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.refusal:
            self._errors.pop("files", None)
            self.add_error("files", self.refusal)
            return data
        kind, files = data.get("kind"), data.get("files") or []
        if not kind or not files:
            return data
        allowed = UPLOAD_SUFFIXES[ImportKind(kind)]
        for f in files:
            if Path(f.name).suffix.lower() not in allowed:
                self.add_error(
                    "files", f"{f.name} must be a {' or '.join(sorted(s.lstrip('.').upper() for s in allowed))} file"
                )
                break
        if kind == ImportKind.INDICATORS and len(files) > 1:
            self.add_error("files", "Select one spreadsheet of partner figures at a time")
        return data
