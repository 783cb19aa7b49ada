"""Formula-injection neutraliser for exports (CSV injection, OWASP).

A spreadsheet treats a cell that starts with ``= + - @``, a tab or a carriage return as a
formula, so a partner's narrative such as ``=HYPERLINK("http://evil", "click")`` could run in a
reader's Excel. In CSV such a cell gets a leading apostrophe; in XLSX every text cell is stored
as text, never as a formula. Numbers stay numbers: only strings are touched."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

__all__ = ["FORMULA_TRIGGERS", "neutralise", "csv_row", "write_csv", "neutralise_workbook"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value as safe CSV cell content: risky strings get a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in values]


def write_csv(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV text with every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(csv_row(row))
    return out.getvalue()


def neutralise_workbook(workbook: Any) -> int:
    """Make every formula cell of an openpyxl workbook a text cell (we never write formulas:
    openpyxl turns any string starting with '=' into one). Returns how many were changed."""
    changed = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS)):
                    cell.data_type = "s"
                    cell.quotePrefix = True  # Excel keeps it text even if the user edits the cell
                    changed += 1
    return changed
