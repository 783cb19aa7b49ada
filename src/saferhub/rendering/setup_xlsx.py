"""The set-up workbook's template: a "Read me" sheet, then one sheet per part of the set-up with
its headings (bold, frozen), an example row, a comment on each heading saying what the column
takes, and a drop-down list on every column whose values are a fixed list."""

from __future__ import annotations

import io
from typing import Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from saferhub.domain.setup_workbook import CellKind, Sheet

from .safe_cells import neutralise_workbook
from .xlsx_rows import readable

HEADING = Font(bold=True)
HEADING_FILL = PatternFill("solid", fgColor="DDDDDD")
EXAMPLE = Font(italic=True, color="505A5F")
ROWS = 500  # how far down the drop-down lists reach


def setup_template_xlsx(sheets: Sequence[Sheet], *, title: str = "saferhub set-up workbook") -> bytes:
    wb = Workbook()
    readme = wb.active
    assert readme is not None
    readme.title = "Read me"
    lines = [
        title,
        "",
        "Fill in one sheet per part of your partnership's set-up, then load it with",
        "    saferhub setup load setup.xlsx --partnership SLUG",
        "It loads all or nothing: any problem is listed by sheet, row and column and nothing is written.",
        "Loading the same workbook again changes nothing; a changed row changes that object (audited).",
        "Row 2 of each sheet is an example: left as it is, it is never loaded. Write yours below it, or over it.",
        "A sheet you leave empty changes nothing. Columns marked Required (see each heading's note) must be filled.",
        "",
        "Sheets, in the order they are loaded:",
    ]
    lines += [f"  {s.name}: {s.description}" for s in sheets]
    for i, line in enumerate(lines, start=1):
        readme.cell(row=i, column=1, value=line)
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 110
    for sheet in sheets:
        _sheet(wb, sheet)
    neutralise_workbook(wb)
    out = io.BytesIO()
    readable(wb)
    wb.save(out)
    return out.getvalue()


def _sheet(wb: Workbook, sheet: Sheet) -> None:
    ws = wb.create_sheet(sheet.name)
    for i, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.heading)
        cell.font, cell.fill = HEADING, HEADING_FILL
        cell.comment = Comment(column.describe(), "saferhub")
        example = sheet.example[i - 1] if i - 1 < len(sheet.example) else ""
        ex = ws.cell(row=2, column=i, value=example or None)
        ex.font = EXAMPLE
        ex.alignment = Alignment(wrap_text=False)
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(14, min(45, len(column.heading) + 4, len(example) + 2))
        choices: tuple[str, ...] = ()
        if column.kind == CellKind.CHOICE:
            choices = column.choices
        elif column.kind == CellKind.BOOLEAN:
            choices = ("yes", "no")
        if choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=column.heading,
                error=f"Choose one of: {', '.join(choices)}",
            )
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{ROWS}")
    ws.freeze_panes = "A2"
