"""Finding 7 of the security review: every upload route bounds each file, each request and the
number of files, before a file is kept; what is kept is the owner's alone and goes when the
import ends (or, if it never ends, when `saferhub purge` says it is too old)."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from saferhub.performance.models import Upload, UploadStatus

ROW = b",2019-01,Test Police,Test Police,-4.1,50.4,On or near A,E01015000,Plymouth 001A,Burglary,,\n"
HEAD = (
    b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    b"Crime type,Last outcome category,Context\n"
)


def _csv(name: str, rows: int = 1) -> io.BytesIO:
    f = io.BytesIO(HEAD + ROW * rows)
    f.name = name
    return f


@pytest.fixture
def demo(db):
    from saferhub.demo import load_demo
    from tests.performance.conftest import NOW

    return load_demo(now=NOW)


@pytest.fixture
def as_user(client, demo):
    from saferhub.accounts.models import User

    def sign_in(username: str):
        client.force_login(User.objects.get(username=username))
        return client

    return sign_in


def _uploads_dir() -> Path:
    return Path(django_settings.SAFERHUB_HOME) / "uploads"


def _stored() -> set[Path]:
    return set(_uploads_dir().rglob("*")) if _uploads_dir().exists() else set()


def test_a_request_of_43_police_files_is_refused_naming_the_limit(as_user, demo):
    before = _stored()
    files = [_csv(f"2019-{i:02d}-test-force-street.csv") for i in range(1, 44)]
    response = as_user("analyst").post("/data/", {"kind": "policeuk", "files": files})
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "Select 24 files or fewer at a time (you selected 43)" in html
    assert not Upload.objects.exists() and _stored() == before


def test_a_file_over_the_per_file_limit_is_refused_before_it_is_kept(as_user, demo, settings):
    settings.SAFERHUB_MAX_UPLOAD_BYTES = 2_048
    before = _stored()
    response = as_user("analyst").post(
        "/data/", {"kind": "policeuk", "files": [_csv("small.csv"), _csv("big.csv", rows=40)]}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "big.csv must be smaller than 2 KB" in html
    assert not Upload.objects.exists() and _stored() == before


def test_files_over_the_per_request_limit_are_refused(as_user, demo, settings):
    settings.SAFERHUB_MAX_UPLOAD_REQUEST_BYTES = 5 * 1024
    response = as_user("analyst").post(
        "/data/", {"kind": "policeuk", "files": [_csv(f"m{i}.csv", rows=20) for i in range(3)]}
    )
    assert response.status_code == 400
    assert "The selected files must be smaller than 5 KB in total" in response.content.decode()
    assert not Upload.objects.exists()


def test_the_limits_are_applied_while_the_body_is_parsed_so_a_refused_file_is_never_held(settings):
    """The upload handler drops a file once it passes a limit: it never reaches request.FILES,
    in memory or in a temporary file; the declared length of the body alone refuses them all."""
    from saferhub.security.uploads import upload_refusal

    settings.SAFERHUB_MAX_UPLOAD_BYTES = 2_048
    request = RequestFactory().post("/data/", {"kind": "policeuk", "files": [_csv("a.csv"), _csv("big.csv", rows=40)]})
    assert [f.name for f in request.FILES.getlist("files")] == ["a.csv"]
    assert request.POST["kind"] == "policeuk"  # the other fields (the CSRF token among them) survive
    assert upload_refusal(request) == "big.csv must be smaller than 2 KB"

    settings.SAFERHUB_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    settings.SAFERHUB_MAX_UPLOAD_REQUEST_BYTES = 1_000
    request = RequestFactory().post(
        "/data/", {"kind": "policeuk", "files": [_csv("a.csv", rows=10), _csv("b.csv", rows=10)]}
    )
    assert int(request.META["CONTENT_LENGTH"]) > 1_000
    assert request.FILES.getlist("files") == [] and request.POST["kind"] == "policeuk"
    assert (
        upload_refusal(request)
        == "The selected files must be smaller than 1,000 bytes in total: upload them in smaller batches"
    )


def test_the_partner_figures_route_has_the_same_limits(as_user, demo, settings):
    settings.SAFERHUB_MAX_UPLOAD_BYTES = 100
    f = io.BytesIO(b"indicator,period,value\n" + b"ist-satisfaction,2016-09,90\n" * 10)
    f.name = "figures.csv"
    response = as_user("analyst").post("/data/", {"kind": "indicators", "files": f})
    assert response.status_code == 400 and "figures.csv must be smaller than 100 bytes" in response.content.decode()
    assert not Upload.objects.exists()


def test_content_that_does_not_match_its_type_is_refused_before_the_import(as_user, demo):
    f = io.BytesIO(b"%PDF-1.4 not a spreadsheet")
    f.name = "figures.csv"
    response = as_user("analyst").post("/data/", {"kind": "indicators", "files": f})
    assert (
        response.status_code == 400
        and "figures.csv: its content does not match its type (.csv)" in response.content.decode()
    )
    assert not Upload.objects.exists()


def test_kept_upload_files_are_readable_by_their_owner_only(demo):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from saferhub.performance.services.uploads import upload_create

    upload = upload_create(
        partnership=demo,
        kind="policeuk",
        files=[SimpleUploadedFile("m.csv", HEAD + ROW)],
        user=None,
        now=timezone.now(),
    )
    directory = Path(upload.directory)
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    (kept,) = directory.iterdir()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and kept.read_bytes() == HEAD + ROW


@pytest.mark.parametrize(
    "csv, status",
    [
        (b"indicator,period,value\nist-satisfaction,2016-12,81\n", UploadStatus.DONE),
        (b"indicator,period,value\nnope,2016-12,81\n", UploadStatus.FAILED),  # a refused upload is not kept either
    ],
)
def test_the_files_go_when_the_import_ends(as_user, demo, csv, status):
    f = io.BytesIO(csv)
    f.name = "figures.csv"
    as_user("analyst").post("/data/", {"kind": "indicators", "files": f})
    upload = Upload.objects.get()
    assert upload.status == status
    assert upload.directory and not os.path.exists(upload.directory)
