"""The set-up workbook's typed reading (saferhub.domain.setup_workbook), cell by cell and sheet by sheet."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from saferhub.domain.setup_workbook import CellError, CellKind, Column, Sheet, parse_cell, read_sheet


@pytest.mark.parametrize(
    "kind,raw,value",
    [
        (CellKind.TEXT, "  Torbay ", "Torbay"),
        (CellKind.TEXT, 1234567.0, "1234567"),  # a charity number Excel stored as a number
        (CellKind.INTEGER, 5.0, 5),
        (CellKind.MONEY, 400568.1, Decimal("400568.10")),  # Excel's float, to the penny
        (CellKind.MONEY, "£1,330.06", Decimal("1330.06")),
        (CellKind.NUMBER, "75%", Decimal("75")),
        (CellKind.DATE, datetime.datetime(2019, 4, 1), datetime.date(2019, 4, 1)),
        (CellKind.DATE, "01/04/2019", datetime.date(2019, 4, 1)),
        (CellKind.DATE, "2019-04-01", datetime.date(2019, 4, 1)),
        (CellKind.TIME, "14:00", datetime.time(14)),
        (CellKind.TIME, datetime.time(9, 30), datetime.time(9, 30)),
        (CellKind.BOOLEAN, "Yes", True),
        (CellKind.BOOLEAN, "no", False),
        (CellKind.LIST, "E22000060; Plymouth", ("E22000060", "Plymouth")),
        (CellKind.FINANCIAL_YEAR, "2019/20", 2019),
        (CellKind.FINANCIAL_YEAR, 2019, 2019),
        (CellKind.PERIOD, "2019-Q1", "2019-Q1"),
        (CellKind.TEXT, "   ", None),
    ],
)
def test_cells_read_as_their_kind(kind, raw, value):
    assert parse_cell(Column("C", "c", kind), raw) == value


@pytest.mark.parametrize(
    "kind,raw,reason",
    [
        (CellKind.INTEGER, "2.5", "not a whole number"),
        (CellKind.MONEY, "12.345", "not an amount in pounds and pence"),
        (CellKind.NUMBER, "lots", "not a number"),
        (CellKind.DATE, "31/02/2019", "not a date"),
        (CellKind.TIME, "25:00", "not a time"),
        (CellKind.BOOLEAN, "maybe", "not yes or no"),
        (CellKind.FINANCIAL_YEAR, "2019/21", "not a financial year"),
        (CellKind.PERIOD, "2019-13", "not a"),
    ],
)
def test_bad_cells_say_why(kind, raw, reason):
    with pytest.raises(CellError, match=reason):
        parse_cell(Column("C", "c", kind), raw)


def test_a_choice_is_matched_without_case_and_kept_as_declared():
    column = Column("Kind", "kind", CellKind.CHOICE, choices=("charity", "police"))
    assert parse_cell(column, "Charity") == "charity"
    with pytest.raises(CellError, match="'council' is not one of charity, police"):
        parse_cell(column, "council")


SHEET = Sheet(
    "Things",
    (Column("Name", "name", required=True), Column("Size", "size", CellKind.INTEGER)),
    ("Example", "3"),
    "things",
    keys=("name",),
)


def test_a_sheet_reads_every_problem_and_skips_the_untouched_example_and_empty_rows():
    problems = []
    rows = read_sheet(
        SHEET,
        [("Name", "Size"), ("Example", "3"), ("A", 1), (None, None), ("", 2), ("B", "big"), ("a", 4), ("Example", "3")],
        problems,
    )
    # Row 2 left as the template wrote it is the example; the same values lower down are a row.
    assert [(r.number, r.values["name"]) for r in rows] == [(3, "A"), (7, "a"), (8, "Example")]
    assert [str(p) for p in problems] == [
        "sheet 'Things', row 5, column 'Name': is required",
        "sheet 'Things', row 6, column 'Size': 'big' is not a number",
        "sheet 'Things', row 7, column 'Name': the same row appears twice (first on row 3)",
    ]
