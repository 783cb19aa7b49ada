"""Read a CSV or XLSX table into (line number, row) pairs with normalised header names."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path
from typing import Iterator

from ..domain.problems import ImportProblem, InputError
from .safezip import XLSX_LIMITS, ZIP_MAGIC, check_xlsx

__all__ = ["read_table", "normalise_header", "MAX_CSV_BYTES"]

log = logging.getLogger(__name__)

# A partner's table is kilobytes; refuse anything that is clearly not one (ASVS 12.1.1).
MAX_CSV_BYTES = 20 * 1024 * 1024


def normalise_header(name: str) -> str:
    """ "Indicator code" -> "indicator_code"."""
    return "_".join(str(name or "").strip().lower().replace("-", " ").split())


def read_table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (normalised) and rows with their 1-based line (or spreadsheet row) numbers."""
    if not path.exists():
        raise InputError(ImportProblem(str(path), None, None, "no such file"))
    suffix = path.suffix.lower()
    if suffix == ".xlsm":
        raise InputError(
            ImportProblem(str(path), None, None, "macro-enabled workbooks are refused: save it as .xlsx or CSV")
        )
    if suffix == ".xlsx":
        check_xlsx(path, XLSX_LIMITS)  # before openpyxl unzips or parses anything
        return _read_xlsx(path)
    if suffix == ".xls":
        raise InputError(
            ImportProblem(str(path), None, None, "old .xls workbooks are not read: save it as .xlsx or CSV")
        )
    return _read_csv(path)


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InputError(
            ImportProblem(str(path), None, None, f"is {size:,} bytes; a table may be at most {MAX_CSV_BYTES:,}")
        )
    data = path.read_bytes()
    if not data.strip():
        raise InputError(ImportProblem(str(path), 1, None, "the file is empty: it needs a header line and rows"))
    if data.startswith(ZIP_MAGIC):
        raise InputError(
            ImportProblem(
                str(path), None, None, "this is a zip or Excel file, not CSV: name it .xlsx if it is a workbook"
            )
        )
    if b"\x00" in data[:65536] or data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\x1f\x8b")):
        raise InputError(
            ImportProblem(str(path), None, None, "its content is binary, not CSV text: export the table as CSV (UTF-8)")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(ImportProblem(str(path), line, None, "not UTF-8 text: save the CSV as UTF-8")) from None
    if not text.strip():  # a byte-order mark and nothing else
        raise InputError(ImportProblem(str(path), 1, None, "the file is empty: it needs a header line and rows"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = [normalise_header(h) for h in next(reader)]
        for raw in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in raw):
                continue
            if len(raw) != len(header):
                raise InputError(
                    ImportProblem(
                        str(path),
                        line,
                        header[min(len(raw), len(header) - 1)] if header else None,
                        f"expected {len(header)} fields but found {len(raw)}: the line is truncated or has stray commas",
                    )
                )
            rows.append((line, dict(zip(header, (c.strip() for c in raw)))))
    except csv.Error as exc:
        raise InputError(ImportProblem(str(path), reader.line_num, None, f"not valid CSV: {exc}")) from None
    return header, rows


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a bad workbook
        # Its words (and an OSError's) can hold the server's path: the log has them, the user a reason.
        log.warning("workbook %s could not be opened", path.name, exc_info=True)
        raise InputError(
            ImportProblem(
                str(path),
                None,
                None,
                "not a readable Excel workbook: save it from Excel "
                "as an .xlsx workbook (or as CSV, UTF-8) and upload it again",
            )
        ) from None
    try:
        ws = wb.worksheets[0]
        it: Iterator[tuple] = ws.iter_rows(values_only=True)
        first = next(it, None)
        if first is None:
            raise InputError(
                ImportProblem(str(path), 1, None, "the first sheet is empty: it needs a header row and rows")
            )
        header = [normalise_header(h) for h in first]
        while header and not header[-1]:
            header.pop()
        rows = []
        for n, raw in enumerate(it, start=2):
            cells = ["" if v is None else _cell_text(v) for v in raw[: len(header)]]
            if not any(c.strip() for c in cells):
                continue
            cells += [""] * (len(header) - len(cells))
            rows.append((n, dict(zip(header, (c.strip() for c in cells)))))
        return header, rows
    finally:
        wb.close()


def _cell_text(v: object) -> str:
    import datetime

    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
