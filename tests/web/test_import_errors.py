"""What a user reads when an import fails (issue 12, finding 14): the file by the name they sent,
the line and the field, and a reference to quote; never a traceback, a server path or the text
of an operating-system error. The detail goes to the log under the reference."""

from __future__ import annotations

import errno
import io
import logging
import re

import pytest
from django.conf import settings

UTF16_FIGURES = "indicator,period,value\nist-satisfaction,2016-11,81\n".encode("utf-16")
UTF16_POLICEUK = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
    ",2016-11,Devon & Cornwall Police,Devon & Cornwall Police,-4.1,50.4,On or near A,E01015000,"
    "Plymouth 001A,Anti-social behaviour,,\n"
).encode("utf-16")


def _upload(client, kind: str, name: str, data: bytes):
    f = io.BytesIO(data)
    f.name = name
    response = client.post("/data/", {"kind": kind, "files": f})
    assert response.status_code == 302, response.content[:2000]
    return client.get(response["Location"]).content.decode()


def _assert_nothing_of_the_server(html: str) -> None:
    assert "Traceback" not in html and "Errno" not in html and "No space left" not in html
    assert str(settings.SAFERHUB_HOME) not in html and "/uploads/" not in html
    assert not re.search(r"(/[\w.-]+){3,}\.(csv|xlsx)", html), "a server path"


@pytest.mark.parametrize(
    "kind,name", [("indicators", "figures.csv"), ("policeuk", "2016-11-devon-and-cornwall-street.csv")]
)
def test_disk_full_during_an_import_gives_a_clear_message_and_a_reference(as_user, monkeypatch, caplog, kind, name):
    from saferhub.performance.services import uploads

    def full(**kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", f"{settings.SAFERHUB_HOME}/uploads/7-abc/{name}")

    monkeypatch.setattr(uploads, "indicators_import" if kind == "indicators" else "policeuk_import", full)
    client = as_user("analyst")
    data = UTF16_FIGURES.decode("utf-16").encode() if kind == "indicators" else UTF16_POLICEUK.decode("utf-16").encode()
    with caplog.at_level(logging.ERROR):
        html = _upload(client, kind, name, data)
    _assert_nothing_of_the_server(html)
    assert name in html and "disk" in html and "Nothing was changed" in html
    reference = re.search(r"reference ([0-9A-F]{12})", html).group(1)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info, "the operator gets the detail under the reference"


@pytest.mark.parametrize(
    "kind,name,data",
    [
        ("indicators", "figures.xlsx", UTF16_FIGURES),
        ("indicators", "figures.csv", UTF16_FIGURES),
        ("policeuk", "2016-11-devon-and-cornwall-street.csv", UTF16_POLICEUK),
    ],
)
def test_a_utf16_upload_is_refused_naming_the_file_without_any_server_path(as_user, kind, name, data):
    client = as_user("analyst")
    f = io.BytesIO(data)
    f.name = name
    response = client.post("/data/", {"kind": kind, "files": f})
    if response.status_code == 400:
        # Refused on the form, before it is kept (security/uploads.py checks content against type).
        html = response.content.decode()
        assert name.lower() in html.lower() and "does not match its type" in html
    else:
        assert response.status_code == 302, response.content[:2000]
        html = client.get(response["Location"]).content.decode()
        assert name in html and "The upload was rejected: nothing was changed" in html
    _assert_nothing_of_the_server(html)


def test_a_utf16_workbook_for_a_project_return_names_the_file_only(tmp_path, db):
    from saferhub.commissioning.xlsx_import import read_return_workbook
    from saferhub.domain.problems import InputError

    path = tmp_path / "deep" / "server" / "folder" / "return.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(UTF16_FIGURES)
    with pytest.raises(InputError) as caught:
        read_return_workbook(path, project=None)
    (problem,) = caught.value.problems
    assert problem.file == "return.xlsx" and "Excel workbook" in problem.message
    assert str(tmp_path) not in problem.message and "zip file" not in problem.message  # not openpyxl's own words


def test_a_workbook_that_cannot_be_opened_does_not_show_the_operating_systems_error(tmp_path, db, monkeypatch):
    import openpyxl

    from saferhub.commissioning.xlsx_import import read_return_workbook
    from saferhub.domain.problems import InputError

    path = tmp_path / "srv" / "return.xlsx"
    path.parent.mkdir()
    path.write_bytes(b"PK")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    with pytest.raises(InputError) as caught:
        read_return_workbook(path, project=None)
    (problem,) = caught.value.problems
    assert problem.file == "return.xlsx" and str(tmp_path) not in problem.message and "Errno" not in problem.message


def test_a_file_the_fast_reader_refuses_is_named_without_its_server_path(tmp_path):
    from saferhub.ingest.policeuk import _locate
    from saferhub.ingest.sources import SourceFile

    path = tmp_path / "srv" / "saferhub" / "2016-11-devon-and-cornwall-street.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(UTF16_POLICEUK.decode("utf-16").encode())  # a good file: only the engine objected
    src = SourceFile(path=path, display="2016-11-devon-and-cornwall-street.csv")
    engine = f'Invalid Input Error: Error when sniffing file "{path}": it is not possible to read it'
    (problem,) = _locate([src], engine)
    assert str(tmp_path) not in problem.message and problem.file == "2016-11-devon-and-cornwall-street.csv"


def test_a_partner_workbook_that_cannot_be_opened_does_not_show_the_operating_systems_error(tmp_path, monkeypatch):
    import openpyxl
    from openpyxl import Workbook

    from saferhub.domain.problems import InputError
    from saferhub.ingest.tables import read_table

    path = tmp_path / "srv" / "figures.xlsx"
    path.parent.mkdir()
    book = Workbook()
    book.active.append(["indicator", "period", "value"])
    book.save(path)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    with pytest.raises(InputError) as caught:
        read_table(path)
    (problem,) = caught.value.problems
    assert str(tmp_path) not in problem.message and "Errno" not in problem.message
    assert "Excel workbook" in problem.message
