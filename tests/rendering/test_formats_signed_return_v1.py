"""A return signed before the typed return (issue 13) still renders identically: its stored
snapshot (no ``schema_version``: version 1, made by the code of main d97095c) is read back into
the typed value and its PDF text, Word text and Excel cells are the ones that code rendered.

The expected texts change only when a renderer changes on purpose for every return, and then with
the commit saying what changed: issue 17 kept each KPI row whole on one page (the PDF's page 7
footer now falls one table row earlier; the same words) and added the Excel return's Appendices
sheet and columns (empty for this return, which has no appendices); then the Word return's cells
lost the empty first line before their text (and the empty line after an inner table where text
follows it), and its sign-off headings became Heading 2 (the same words). Later, a PDF page that
continues a project repeats its header ("(Project A) Plymouth Domestic Abuse Service") at its top,
so a RAG box or KPI rows carried over are never left under another project's name (the PDF's only
change: those header lines, and page breaks a line or two earlier). Then the Word return's KPI
and milestone tables became rows of the project's table (under "How are these measured?", merged
down), no longer tables inside its cell, so that their headings keep with their first row and the
project's header repeats over them: the Word text lists those rows in the project's table (the
same words; a cell spanning columns is listed once). And the Excel Narratives of
projects C and F, taller than the 409 points Excel shows of a row, continue on a second row
naming the project (its later paragraphs there; the same words), and the Outcome tables sheet
has as many columns as its widest table (its empty "Column 5" heading gone)."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

FIXTURES = Path(__file__).parent / "fixtures"


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def docx_text(docx: bytes) -> str:
    def cells(table, depth: int) -> list[str]:
        lines = []
        for r, row in enumerate(table.rows):
            # a cell spanning columns once (python-docx gives it once a column)
            unique = [c for i, c in enumerate(row.cells) if i == 0 or c._tc is not row.cells[i - 1]._tc]
            lines.append(f"{'  ' * depth}row {r}: " + " | ".join(c.text for c in unique))
            for cell in unique:
                for inner in cell.tables:
                    lines += cells(inner, depth + 1)
        return lines

    document = Document(io.BytesIO(docx))
    lines = [f"[{p.style.name}] {p.text}" for p in document.paragraphs]
    for table in document.tables:
        lines += cells(table, 0)
    return "\n".join(lines)


def xlsx_text(xlsx: bytes) -> str:
    book = load_workbook(io.BytesIO(xlsx))
    return "\n".join(
        f"{sheet.title}!{cell.coordinate}: {cell.value!r} ({cell.number_format})"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def renders(data, tmp_path: Path) -> dict[str, str]:
    from saferhub.rendering.formats import render_return

    return {
        "pdf": pdf_text(render_return(data, "pdf"), tmp_path),
        "docx": docx_text(render_return(data, "docx")),
        "xlsx": xlsx_text(render_return(data, "xlsx")),
    }


def test_a_return_signed_before_the_typed_return_renders_identically(tmp_path):
    stored = json.loads((FIXTURES / "signed_return_v1.json").read_text(encoding="utf-8"))
    assert "schema_version" not in stored  # as signed by the code before
    for fmt, text in renders(stored, tmp_path).items():
        expected = (FIXTURES / f"signed_return_v1.{fmt}.txt").read_text(encoding="utf-8")
        assert text == expected, f"the {fmt} of a return signed before is no longer the same"
