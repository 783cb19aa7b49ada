"""Spreadsheets are checked before unzipping; content must match its type (ASVS 12.1, 12.2, 5.5.2)."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from saferhub.domain.problems import InputError
from saferhub.ingest.safezip import XLSX_LIMITS, check_zip
from saferhub.ingest.tables import read_table


def workbook(tmp_path: Path, name: str = "figures.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator", "period", "value"])
    ws.append(["asb", "2016-04", 12])
    path = tmp_path / name
    wb.save(path)
    return path


def rewrite(path: Path, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> Path:
    """A copy of a workbook with some parts replaced or added."""
    out = path.with_name("changed-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out


def test_a_plain_workbook_is_read(tmp_path):
    header, rows = read_table(workbook(tmp_path))
    assert header == ["indicator", "period", "value"] and rows == [
        (2, {"indicator": "asb", "period": "2016-04", "value": "12"})
    ]


def test_a_zip_bomb_is_refused_before_unzipping_without_exhausting_memory(tmp_path):
    path = rewrite(workbook(tmp_path))
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        with dst.open("xl/worksheets/sheet2.xml", "w") as part:  # 150 MB of zeros in ~150 KB
            block = b"\0" * (1 << 20)
            for _ in range(150):
                part.write(block)
    assert bomb.stat().st_size < 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="would unzip to more than|compresses"):
            read_table(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # a few megabytes at most, not the 150 MB inside


def test_a_high_compression_ratio_is_refused(tmp_path):
    path = rewrite(workbook(tmp_path), add={"xl/media/blank.xml": b" " * (5 * 1024 * 1024)})
    with pytest.raises(InputError, match="compresses .*:1"):
        read_table(path)


def test_too_many_entries_are_refused(tmp_path):
    path = rewrite(workbook(tmp_path), add={f"xl/extra/{i}.txt": b"x" for i in range(XLSX_LIMITS.max_entries + 1)})
    with pytest.raises(InputError, match="entries; the limit is"):
        read_table(path)


def test_xml_entities_are_refused(tmp_path):
    path = workbook(tmp_path)
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        + sheet.split(b"?>", 1)[-1]
    )
    with pytest.raises(InputError, match="DTD or XML entities"):
        read_table(rewrite(path, replace={"xl/worksheets/sheet1.xml": laughs}))


def test_external_entities_are_refused(tmp_path):
    path = workbook(tmp_path)
    with zipfile.ZipFile(path) as zf:
        strings = zf.read("xl/worksheets/sheet1.xml")
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + strings.split(b"?>", 1)[-1]
    with pytest.raises(InputError, match="DTD or XML entities"):
        read_table(rewrite(path, replace={"xl/worksheets/sheet1.xml": xxe}))


def test_macros_are_refused(tmp_path):
    path = rewrite(workbook(tmp_path), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    with pytest.raises(InputError, match="macros"):
        read_table(path)


def test_macro_enabled_workbooks_are_refused_by_name_too(tmp_path):
    path = workbook(tmp_path, "figures.xlsm")
    with pytest.raises(InputError, match="macro-enabled"):
        read_table(path)


def test_a_csv_named_xlsx_is_refused(tmp_path):
    path = tmp_path / "figures.xlsx"
    path.write_text("indicator,period,value\nasb,2016-04,12\n")
    with pytest.raises(InputError, match="not a zip container"):
        read_table(path)


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "figures.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match="not an Excel workbook"):
        read_table(path)


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n" + b"\0" * 40, b"%PDF-1.7\n%binary", b"a,b\n\0\0\0,1\n"])
def test_binary_content_named_csv_is_refused(tmp_path, content):
    path = tmp_path / "figures.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="binary"):
        read_table(path)


def test_an_oversized_csv_is_refused_without_reading_it(tmp_path, monkeypatch):
    import saferhub.ingest.tables as tables

    monkeypatch.setattr(tables, "MAX_CSV_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_text("indicator,period,value\n" + "asb,2016-04,1\n" * 200)
    with pytest.raises(InputError, match="at most 1,000"):
        read_table(path)


def test_police_archives_with_unsafe_paths_or_bombs_are_refused(tmp_path):
    from saferhub.ingest.safezip import POLICEUK_ARCHIVE_LIMITS
    from saferhub.ingest.sources import expand_policeuk_paths

    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../../2019-01-x-street.csv", "a")
    with pytest.raises(InputError, match="unsafe path"):
        with expand_policeuk_paths([evil]):
            pass
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("2019-01/2019-01-x-street.csv", b"\0" * (POLICEUK_ARCHIVE_LIMITS.ratio_floor_bytes * 200))
    with pytest.raises(InputError, match="compresses"):
        check_zip(bomb, POLICEUK_ARCHIVE_LIMITS)
    with pytest.raises(InputError, match="compresses"):
        with expand_policeuk_paths([bomb]):
            pass
