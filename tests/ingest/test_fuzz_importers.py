"""Hypothesis fuzzing of both importers: every outcome is a clean import or a clear error
(InputError naming the file), and a refused import writes nothing at all."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from saferhub.domain.problems import InputError
from saferhub.performance.models import ImportRun, Indicator
from saferhub.performance.services import indicators_import, policeuk_import
from tests.performance.conftest import NOW, data_snapshot, run_snapshot

from ..conftest import standard_partnership

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# --- partner figures -----------------------------------------------------------------------

CODES = ["referrals", "satisfaction", "ist", "unknown", "", "=cmd"]
PERIODS = ["2016-04", "2016-05", "2016-Q1", "2016-13", "16-04", "", "2016-Q5", "2099-01"]
NUMBERS = st.one_of(
    st.sampled_from(["", "0", "12", "-3", "1e400", "NaN", "Infinity", "50%", "1,234", "12.5", "x", "9" * 20]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=6),
)
HEADER_CHOICES = st.sampled_from(
    [
        ["indicator", "period", "value", "numerator", "denominator", "target", "reported_on"],
        ["Indicator code", "Month", "Value"],
        ["indicator", "period"],
        ["code", "period", "numerator", "denominator"],
        ["period", "value"],
    ]
)


@st.composite
def partner_table(draw):
    header = draw(HEADER_CHOICES)
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = []
        for column in header:
            key = column.lower()
            if "indicator" in key or key == "code":
                row.append(draw(st.sampled_from(CODES)))
            elif key in ("period", "month"):
                row.append(draw(st.sampled_from(PERIODS)))
            elif key == "reported_on":
                row.append(draw(st.sampled_from(["", "2016-10-05", "2030-01-01", "yesterday"])))
            else:
                row.append(draw(NUMBERS))
        if draw(st.booleans()) and row:
            row = row[: draw(st.integers(0, len(row)))]  # a truncated line
        rows.append(row)
    return header, rows


@st.composite
def valid_partner_table(draw):
    """Mostly-valid tables, so that the fuzzing also exercises successful imports."""
    header = ["indicator", "period", "value", "numerator", "denominator", "target", "reported_on"]
    months = draw(st.lists(st.sampled_from(["2016-04", "2016-05", "2016-06", "2016-07"]), unique=True, max_size=4))
    rows = [
        ["ist", m, str(draw(st.integers(0, 500))), "", "", draw(st.sampled_from(["", "55"])), "2016-10-05"]
        for m in months
    ]
    if draw(st.booleans()):
        d = draw(st.integers(1, 100))
        rows.append(["satisfaction", "2016-04", "", str(draw(st.integers(0, d))), str(d), "", ""])
    if draw(st.booleans()):
        rows.append(["referrals", "2016-Q1", draw(st.sampled_from(["518", "0", "-1", "1.5"])), "", "", "", ""])
    return header, rows


def _as_csv(header, rows, encoding: str) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


_ASCII_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


def _number_or_text(cell: str) -> float | str:
    """A cell an ASCII number is written as a number, as a spreadsheet user's would be; anything else as text.

    str.isdigit() is not the test: it is true of '²' and other Unicode digits that float() refuses."""
    return float(cell) if _ASCII_NUMBER.fullmatch(cell) else cell


def _as_xlsx(header, rows) -> bytes:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    rows = [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in row] for row in rows]  # openpyxl cannot write them
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append([_number_or_text(c) for c in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def plymouth(db):
    return standard_partnership(slug="plymouth", name="Safer Plymouth", local_authorities=["Plymouth"])


@pytest.fixture
def partner_catalogue(plymouth):
    for code, frequency, unit in (
        ("referrals", "quarterly", "count"),
        ("satisfaction", "monthly", "percentage"),
        ("ist", "monthly", "count"),
    ):
        Indicator.objects.create(
            partnership=plymouth,
            code=code,
            title=code,
            polarity="higher_is_better",
            frequency=frequency,
            unit=unit,
            source="partner",
            noun=code,
        )
    return plymouth


def _outcome_is_clean_or_clear(run_import, path: Path) -> str:
    before_data, before_runs = data_snapshot(), run_snapshot()
    try:
        run = run_import(path)
    except InputError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        assert str(path) in str(exc) or any(str(path) in p.file for p in exc.problems)
        assert data_snapshot() == before_data and run_snapshot() == before_runs, "a refused import wrote something"
        event("refused")
        return "refused"
    assert isinstance(run, ImportRun) and run.pk
    after = data_snapshot()
    run_import(path)  # idempotent: the same file again changes no figure
    assert data_snapshot() == after
    event("imported")
    return "imported"


@FUZZ
@given(
    table=st.one_of(valid_partner_table(), partner_table()),
    kind=st.sampled_from(["csv", "csv-latin1", "xlsx", "bytes"]),
    noise=st.binary(max_size=64),
)
# Hypothesis found this one: '²'.isdigit() is true, and the workbook helper once wrote it with float().
@example(table=(["indicator", "period", "value"], [["ist", "2016-04", "²"]]), kind="xlsx", noise=b"")
def test_partner_importer_fuzz(partner_catalogue, table, kind, noise):
    header, rows = table
    data = {
        "csv": lambda: _as_csv(header, rows, "utf-8"),
        "csv-latin1": lambda: _as_csv(header, rows, "latin-1") + noise,
        "xlsx": lambda: _as_xlsx(header, rows),
        "bytes": lambda: noise,
    }[kind]()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (
            "figures.xlsx" if kind == "xlsx" or (kind == "bytes" and noise[:1] == b"P") else "figures.csv"
        )
        path.write_bytes(data)
        _outcome_is_clean_or_clear(lambda p: indicators_import(path=p, partnership=partner_catalogue, now=NOW), path)


@FUZZ
@given(cut=st.integers(0, 4000), flip=st.integers(0, 9000), byte=st.integers(0, 255))
def test_partner_importer_fuzz_corrupted_workbooks(partner_catalogue, cut, flip, byte):
    data = bytearray(_as_xlsx(["indicator", "period", "value"], [["ist", "2016-04", "41"]]))
    if flip < len(data):
        data[flip] = byte
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "figures.xlsx"
        path.write_bytes(bytes(data[: len(data) - min(cut, len(data) - 1) if cut % 3 == 0 else len(data)]))
        _outcome_is_clean_or_clear(lambda p: indicators_import(path=p, partnership=partner_catalogue, now=NOW), path)


# --- police.uk street files -------------------------------------------------------------------

POLICE_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Crime type,Last outcome category,Context"
)
CRIME_TYPES = [
    "Anti-social behaviour",
    "Burglary",
    "Robbery",
    "Vehicle crime",
    "Violence and sexual offences",
    "Made-up crime",
    "",
]
MONTHS = ["2019-01", "2019-02", "2019-1", "", "Jan-2019"]


@st.composite
def police_row(draw):
    fields = [
        draw(st.sampled_from(["", "abc", "d" * 64])),
        draw(st.sampled_from(MONTHS)),
        draw(st.sampled_from(["Test Police", ""])),
        draw(st.sampled_from(["Test Police", "Other Police", ""])),
        draw(st.sampled_from(["-4.1", "", "x"])),
        draw(st.sampled_from(["50.4", "", "91"])),
        draw(st.sampled_from(["On or near A", 'On or near "B"', "Comma, street", ""])),
        draw(st.sampled_from(["E01015000", "", "W01000001", "E0"])),
        draw(st.sampled_from(["Plymouth 001A", "Cornwall 001A", "", "Nowhere"])),
        draw(st.sampled_from(CRIME_TYPES)),
        draw(st.sampled_from(["", "Under investigation"])),
        draw(st.text(max_size=5).filter(lambda t: "\n" not in t and "\r" not in t)),
    ]
    if draw(st.integers(0, 9)) == 0:
        fields = fields[: draw(st.integers(0, len(fields)))]
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()


VALID_POLICE_ROW = st.builds(
    lambda crime_id,
    crime,
    lsoa: f"{crime_id},2019-01,Test Police,Test Police,-4.1,50.4,On or near A,{lsoa},Plymouth 001A,{crime},,",
    st.sampled_from(["", "abc"]),
    st.sampled_from(CRIME_TYPES[:5]),
    st.sampled_from(["E01015000", "E01015001"]),
)


@FUZZ
@given(
    rows=st.one_of(st.lists(VALID_POLICE_ROW, min_size=1, max_size=8), st.lists(police_row(), max_size=8)),
    header=st.one_of(st.just(POLICE_HEADER), st.sampled_from([POLICE_HEADER.replace("Month", "Mnth"), "", "a,b"])),
    eol=st.sampled_from(["\n", "\r\n"]),
    name=st.one_of(st.just("2019-01-test-force-street.csv"), st.just("street.csv")),
    tail=st.one_of(st.just(b""), st.binary(max_size=16)),
)
def test_policeuk_importer_fuzz(plymouth, rows, header, eol, name, tail):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes((eol.join([header, *rows]) + eol).encode() + tail)
        _outcome_is_clean_or_clear(lambda p: policeuk_import(paths=[p], partnership=plymouth, now=NOW), path)
