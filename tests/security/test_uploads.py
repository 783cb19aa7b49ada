"""Uploads: bounded size, allowed types, content matching the type (ASVS 12.1.1, 12.2.1)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from saferhub.domain.problems import InputError
from saferhub.security.uploads import upload_accept


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def test_a_csv_and_a_workbook_are_accepted_under_a_name_we_choose():
    with upload_accept(SimpleUploadedFile("../../etc/figures.csv", b"indicator,period,value\n")) as path:
        assert path.name == "upload.csv" and path.read_bytes().startswith(b"indicator")
    assert not path.exists()  # removed afterwards
    with upload_accept(SimpleUploadedFile("f.xlsx", _xlsx())) as path:
        assert path.suffix == ".xlsx"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("figures.exe", b"MZ...", "not accepted here"),
        ("figures.csv", _xlsx(), "does not match its type"),
        ("figures.xlsx", b"indicator,period\n", "does not match its type"),
        ("figures.csv", b"%PDF-1.4 ...", "does not match its type"),
    ],
)
def test_wrong_types_and_mismatched_content_are_refused(name, content, message):
    with pytest.raises(InputError, match=message):
        with upload_accept(SimpleUploadedFile(name, content)):
            pass


def test_oversized_uploads_are_refused(settings):
    settings.SAFERHUB_MAX_UPLOAD_BYTES = 100
    with pytest.raises(InputError, match="the limit is 100"):
        with upload_accept(SimpleUploadedFile("f.csv", b"a,b\n" * 100)):
            pass


def test_an_upload_whose_declared_size_lies_is_still_bounded(settings):
    settings.SAFERHUB_MAX_UPLOAD_BYTES = 100
    upload = SimpleUploadedFile("f.csv", b"a,b\n" * 100)
    upload.size = 10
    with pytest.raises(InputError, match="larger than the limit"):
        with upload_accept(upload):
            pass


def test_request_bodies_are_bounded(client, db):
    # Django refuses a form body over DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB) before any view reads it.
    response = client.post("/accounts/login/", {"username": "x" * (6 * 1024 * 1024), "password": "y"})
    assert response.status_code == 400
