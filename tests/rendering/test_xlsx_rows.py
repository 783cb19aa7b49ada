"""Rows of every workbook tall enough for their wrapped text (rendering/xlsx_rows.py)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from saferhub.commissioning.returns import build_half_year_return, half_year_return_for
from saferhub.rendering.formats import render_return
from saferhub.rendering.xlsx_rows import CHARS_PER_UNIT, wrapped_lines

from .conftest import figures_then_words, printed_pages, printed_text_sizes


def test_lines_are_counted_word_by_word():
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("short", 10) == 1
    assert wrapped_lines("one two three", 7) == 2  # "one two" / "three"
    assert wrapped_lines("a\nb\nc", 10) == 3
    assert wrapped_lines("x" * 25, 10) == 3  # a long word broken into pieces


def test_the_excel_returns_long_cells_have_rows_tall_enough_to_show_them(fund):
    """Seen opening the demo's return in LibreOffice: a project's progress text showed only its
    first line and the wrapped headings ran into the row below."""
    wb = load_workbook(io.BytesIO(render_return(build_half_year_return(half_year_return_for(fund, 2017)), "xlsx")))
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                    continue
                width = ws.column_dimensions[cell.column_letter].width or 8.43
                lines = wrapped_lines(cell.value, int(width * CHARS_PER_UNIT))
                if lines < 3:
                    continue
                height = ws.row_dimensions[cell.row].height
                assert height is not None and height >= 0.8 * lines * 15, (ws.title, cell.coordinate, lines, height)
                checked += 1
    assert checked > 10  # the return has many long cells: each row grown to show its text


def test_every_sheet_of_the_excel_return_prints_one_page_wide(fund, tmp_path):
    """Seen converting the demo's Excel return with LibreOffice: 61 pages, a label on one page and
    its value on the next. Each sheet now prints one page wide, its header row repeated."""
    content = render_return(build_half_year_return(half_year_return_for(fund, 2017)), "xlsx")
    wb = load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        if ws.title == "Projects":  # too wide for one legible page: pages of its columns by theme
            continue
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
    assert wb["Projects"].page_setup.orientation == "landscape"
    # As a reader prints it: the summary's labels and values on the same page.
    pages = printed_pages(content, "xlsx", tmp_path)
    first = pages[0]
    assert "Allocation" in first and "£400,568.00" in first


def test_the_returns_projects_sheet_prints_legibly_in_pages_by_theme(fund, tmp_path):
    """Seen printing the demo's Excel return with LibreOffice: the Projects sheet's 22 columns
    (441 width units) on one landscape page at about a quarter of their size, unreadable. It
    stays one table (a row a project, to filter and sum) and prints as pages of its columns by
    theme, each with the project's letter and title, at a scale a reader can read."""
    r = build_half_year_return(half_year_return_for(fund, 2017))
    content = render_return(r, "xlsx")
    ws = load_workbook(io.BytesIO(content))["Projects"]
    headings = [c.value for c in ws[1]]
    assert len(headings) == 22 and ws.max_row == 1 + len(r.projects)  # still one row a project

    pages = printed_pages(content, "xlsx", tmp_path)
    sizes = printed_text_sizes((tmp_path / "printed.pdf").read_bytes())
    # The Projects sheet's pages: its "Title" heading (the Appendices sheet's has a checksum too).
    projects = [(t, size) for t, size in zip(pages, sizes) if "Title" in t.split() and "Checksum" not in t]
    for text, size in projects:
        assert size >= 11 * 0.7, (size, text[:80])  # 11-point cells printed at 70% or more
        for p in r.projects:  # every page says which row is which project
            assert p.title.split()[0] in text
    assert len(projects) >= 3
    # Nor any other sheet: KPIs, narratives and appendices printed at 40-65%, now narrower and wrapped.
    assert min(sizes) >= 11 * 0.7, sizes
    # And no figure printed flush against the text beside it (a milestone's date against its
    # deliverables, "11 September 2017All interested parties"): at least a word space between.
    crowded = [(round(g, 2), w, t) for g, w, t in figures_then_words(tmp_path / "printed.pdf") if g < 0.2]
    assert crowded == []
    printed = " ".join(text for text, _ in projects)
    assert [h for h in headings if h.split()[0] not in printed] == []
    assert "£2,000,000.00" in printed and "31 December 2017" in printed and "###" not in printed

    from saferhub.rendering.xlsx_rows import LANDSCAPE_UNITS, LEGIBLE_SCALE, sheet_width

    assert ws.print_title_cols == "$A:$B" and ws.page_setup.scale >= LEGIBLE_SCALE == 70
    assert not ws.sheet_properties.pageSetUpPr.fitToPage  # Excel ignores page breaks when fitting
    ends = [b.id for b in ws.col_breaks.brk] + [ws.max_column]
    for start, end in zip([3] + [e + 1 for e in ends], ends):  # each theme fits a page at that scale
        assert sheet_width(ws, 1, 2) + sheet_width(ws, start, end) <= LANDSCAPE_UNITS * 100 / ws.page_setup.scale


def test_a_sheet_wider_than_a_portrait_page_prints_landscape_with_its_headings_on_every_page():
    """By its columns' widths, not their number: three wide columns printed shrunk on portrait
    (the return's Outcomes sheet, 119 units); two narrow ones stay portrait. The rows repeated on
    each page run from the top to the headings, not the title alone."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from saferhub.rendering.xlsx_rows import PORTRAIT_UNITS, print_to_width

    wb = Workbook()
    wide = wb.active
    wide.title = "Wide"
    for letter, width in zip("ABC", (8, 55, 56)):
        wide.column_dimensions[letter].width = width
    wide.append(["Safer Testham: outcomes"])
    wide["A1"].font = Font(b=True)
    wide.append([])
    wide.append(["Project", "Outcome", "How it is measured"])
    for cell in wide[3]:
        cell.font = Font(b=True)
    for i in range(60):
        wide.append(["A", f"Outcome {i}", "Quarterly returns"])
    narrow = wb.create_sheet("Narrow")
    narrow.append(["Item", "Value"])
    for cell in narrow[1]:
        cell.font = Font(b=True)
    narrow.append(["Funder", "PCC"])
    print_to_width(wb)
    wb = load_workbook(_saved(wb))
    wide, narrow = wb["Wide"], wb["Narrow"]
    assert 8 + 55 + 56 > PORTRAIT_UNITS
    assert wide.page_setup.orientation == "landscape"
    assert (wide.page_setup.fitToWidth, wide.page_setup.fitToHeight) == (1, 0)
    assert wide.sheet_properties.pageSetUpPr.fitToPage
    assert wide.print_title_rows == "$1:$3"
    assert narrow.page_setup.orientation != "landscape" and narrow.print_title_rows == "$1:$1"


def _saved(wb):
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_the_returns_sheets_print_landscape_by_width_and_repeat_their_headings(fund):
    content = render_return(build_half_year_return(half_year_return_for(fund, 2017)), "xlsx")
    wb = load_workbook(io.BytesIO(content))
    assert wb["Outcomes"].page_setup.orientation == "landscape"  # three columns, 119 units wide
    assert wb["Return"].print_title_rows == "$1:$3"  # the title, and "Item", "Value" under it
    assert wb["Projects"].print_title_rows == "$1:$1"


def test_a_paragraph_longer_than_the_sheet_wraps_across_its_columns():
    """The report's commentary ran on in one line past the tables and the charts beside them, so
    LibreOffice printed the sheet at a third of its size with the sentence cut off under a
    chart. A text that would run on beyond the sheet's last column is wrapped across the empty
    cells to its right (merged), its row tall enough; a title that ends within them runs on."""
    from openpyxl import Workbook

    from saferhub.rendering.xlsx_rows import fit_rows

    wb = Workbook()
    ws = wb.active
    for letter in "ABCDE":
        ws.column_dimensions[letter].width = 12
    ws.append(["Overall crime, the year to date"])  # 31 characters: runs on over B and C
    ws.append(["Commentary", "Between April and the end of November there have been 12,586 crimes. " * 4])
    ws.append(["Period", "This year", "Last year", "Change", "Cumulative"])
    fit_rows(wb)
    wb = load_workbook(_saved(wb))
    ws = wb.active
    assert [str(r) for r in ws.merged_cells.ranges] == ["B2:E2"]
    assert ws["B2"].alignment.wrap_text
    assert ws.row_dimensions[2].height >= 4 * 15  # 280 characters on 48 a line: 6 lines
    assert not ws["A1"].alignment.wrap_text
    assert ws["A2"].alignment.vertical == "top"  # the label level with the paragraph's first line
