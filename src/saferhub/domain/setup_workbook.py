"""The set-up workbook's shape and its typed reading, in plain Python.

A workbook has one sheet per part of a partnership's set-up. Each sheet is a header row of
column headings, an example row (row 2, as the template writes it: left as it is, it is never
loaded; written over, it is a row like the others) and the user's rows. Reading turns every cell into its typed value
(text, whole number, money to the penny, number, date, time, yes/no, one of a list, a list) or
a problem naming the sheet, the row and the column; nothing is written by this module."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Iterable, Sequence, Union

from .calendar import FinancialYear, PeriodError, parse_period
from .commissioning import MoneyError, money, spreadsheet_number
from .problems import SaferhubError

__all__ = [
    "CellKind",
    "Column",
    "Sheet",
    "SheetRow",
    "SheetProblem",
    "WorkbookError",
    "Value",
    "read_sheet",
]

Value = Union[str, int, Decimal, datetime.date, datetime.time, bool, tuple[str, ...], None]


class CellKind(str, Enum):
    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"
    NUMBER = "number"
    DATE = "date"
    TIME = "time"
    BOOLEAN = "yes/no"
    CHOICE = "choice"
    LIST = "list"
    FINANCIAL_YEAR = "financial year"
    PERIOD = "period"


@dataclass(frozen=True)
class Column:
    heading: str
    key: str
    kind: CellKind = CellKind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    hint: str = ""

    def describe(self) -> str:
        """What the column takes, as the template's hint says it."""
        kinds = {
            CellKind.TEXT: "text",
            CellKind.INTEGER: "a whole number",
            CellKind.MONEY: "pounds and pence, e.g. 1234.50",
            CellKind.NUMBER: "a number",
            CellKind.DATE: "a date, e.g. 2017-04-01",
            CellKind.TIME: "a time, e.g. 14:00",
            CellKind.BOOLEAN: "yes or no",
            CellKind.CHOICE: "one of: " + ", ".join(self.choices),
            CellKind.LIST: "one or more, separated by semicolons",
            CellKind.FINANCIAL_YEAR: "a financial year, e.g. 2017/18",
            CellKind.PERIOD: "a month YYYY-MM or a quarter YYYY-Qn",
        }
        text = ("Required. " if self.required else "") + kinds[self.kind].capitalize() + "."
        return f"{text} {self.hint}".strip()


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    example: tuple[str, ...]
    description: str
    # The columns whose values name a row: a row whose key is already held is that object.
    keys: tuple[str, ...] = ()
    single: bool = False  # at most one row (the partnership, its board)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class SheetProblem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"sheet '{self.sheet}'"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class WorkbookError(SaferhubError):
    """The workbook is refused; nothing was written. Every problem names sheet, row and column."""

    def __init__(self, problems: Iterable[SheetProblem], file: str = "") -> None:
        self.problems = list(problems)
        self.file = file
        prefix = f"{file}, " if file else ""
        super().__init__("\n".join(prefix + str(p) for p in self.problems))


@dataclass(frozen=True)
class SheetRow:
    sheet: Sheet
    number: int  # the row's number in the sheet, as Excel shows it
    values: dict[str, Value] = field(default_factory=dict)

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return value if isinstance(value, str) else ""

    def problem(self, key: str | None, message: str) -> SheetProblem:
        heading = self.sheet.column(key).heading if key else None
        return SheetProblem(self.sheet.name, self.number, heading, message)


class CellError(SaferhubError, ValueError):
    pass


_DATE_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def _text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat() if raw.time() == datetime.time() else raw.isoformat()
    return str(raw).strip()


def _decimal(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise CellError("is not a number")
    try:
        return spreadsheet_number(raw)
    except InvalidOperation:
        raise CellError(f"{_text(raw)!r} is not a number") from None


def parse_cell(column: Column, raw: object) -> Value:
    """The cell's typed value, None for an empty cell; raises CellError with the reason."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = column.kind
    if kind == CellKind.TEXT:
        return _text(raw)
    if kind == CellKind.INTEGER:
        number = _decimal(raw)
        if number != number.to_integral_value():
            raise CellError(f"{_text(raw)!r} is not a whole number")
        return int(number)
    if kind == CellKind.NUMBER:
        return _decimal(raw)
    if kind == CellKind.MONEY:
        try:
            return money(_decimal(raw))
        except MoneyError:
            raise CellError(f"{_text(raw)!r} is not an amount in pounds and pence") from None
    if kind == CellKind.DATE:
        return _date(raw)
    if kind == CellKind.TIME:
        return _time(raw)
    if kind == CellKind.BOOLEAN:
        if isinstance(raw, bool):
            return raw
        word = _text(raw).lower()
        if word in _YES or word in _NO:
            return word in _YES
        raise CellError(f"{_text(raw)!r} is not yes or no")
    if kind == CellKind.CHOICE:
        word = _text(raw)
        for choice in column.choices:
            if word.lower() == choice.lower():
                return choice
        raise CellError(f"{word!r} is not one of {', '.join(column.choices)}")
    if kind == CellKind.LIST:
        return tuple(p.strip() for p in re.split(r"[;\n]", _text(raw)) if p.strip())
    if kind == CellKind.FINANCIAL_YEAR:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
            return int(raw)
        try:
            return FinancialYear.parse(_text(raw)).start_year
        except PeriodError as exc:
            raise CellError(str(exc)) from None
    if kind == CellKind.PERIOD:
        try:
            return parse_period(_text(raw)).label
        except PeriodError as exc:
            raise CellError(str(exc)) from None
    raise CellError(f"unknown kind {kind}")  # pragma: no cover - every kind is handled above


def _date(raw: object) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = _text(raw)
    uk = _DATE_UK.match(text)
    try:
        if uk:
            return datetime.date(int(uk.group(3)), int(uk.group(2)), int(uk.group(1)))
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a date (write it as 2017-04-01 or 01/04/2017)") from None


def _time(raw: object) -> datetime.time:
    if isinstance(raw, datetime.datetime):
        return raw.time()
    if isinstance(raw, datetime.time):
        return raw
    text = _text(raw)
    m = _TIME.match(text)
    try:
        if m:
            return datetime.time(int(m.group(1)), int(m.group(2)))
        return datetime.time.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a time (write it as 14:00)") from None


def read_sheet(sheet: Sheet, rows: Sequence[Sequence[object]], problems: list[SheetProblem]) -> list[SheetRow]:
    """The sheet's rows as typed values. ``rows`` are the sheet's cells, the header first.
    Problems are appended (every one, not the first only); rows with a problem are left out."""
    if not rows:
        problems.append(SheetProblem(sheet.name, 1, None, "the sheet is empty: it needs its header row"))
        return []
    headings = {_text(c).lower(): i for i, c in enumerate(rows[0]) if c is not None and _text(c)}
    where: dict[str, int] = {}
    for column in sheet.columns:
        if column.heading.lower() in headings:
            where[column.key] = headings[column.heading.lower()]
        elif column.required:
            problems.append(SheetProblem(sheet.name, 1, column.heading, "this column is missing from the header row"))
    known = {c.heading.lower() for c in sheet.columns}
    for heading, i in headings.items():
        if heading not in known:
            problems.append(
                SheetProblem(sheet.name, 1, _text(rows[0][i]), "is not a column of this sheet (check its spelling)")
            )
    if any(c.required and c.key not in where for c in sheet.columns):
        return []
    example = [e.strip() for e in sheet.example]
    out: list[SheetRow] = []
    for number, cells in enumerate(rows[1:], start=2):
        values: dict[str, object] = {
            c.key: cells[where[c.key]] if where.get(c.key, len(cells)) < len(cells) else None for c in sheet.columns
        }
        shown = [_text(v) if v is not None else "" for v in values.values()]
        if not any(shown) or (number == 2 and shown == example):
            continue
        parsed: dict[str, Value] = {}
        bad = False
        for column in sheet.columns:
            try:
                value = parse_cell(column, values[column.key])
            except CellError as exc:
                problems.append(SheetProblem(sheet.name, number, column.heading, str(exc)))
                bad = True
                continue
            if value is None and column.required:
                problems.append(SheetProblem(sheet.name, number, column.heading, "is required"))
                bad = True
            parsed[column.key] = value
        if not bad:
            out.append(SheetRow(sheet, number, parsed))
    if sheet.single and len(out) > 1:
        problems.append(SheetProblem(sheet.name, out[1].number, None, "this sheet takes one row only"))
    _check_keys(sheet, out, problems)
    return out


def _check_keys(sheet: Sheet, rows: list[SheetRow], problems: list[SheetProblem]) -> None:
    """A key given twice in one sheet is refused: which row would win is not the reader's guess."""
    if not sheet.keys:
        return
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        key = tuple(_text(row.values.get(k)).lower() if row.values.get(k) is not None else "" for k in sheet.keys)
        if key in seen:
            first = sheet.column(sheet.keys[-1]).heading
            problems.append(
                SheetProblem(sheet.name, row.number, first, f"the same row appears twice (first on row {seen[key]})")
            )
        else:
            seen[key] = row.number
