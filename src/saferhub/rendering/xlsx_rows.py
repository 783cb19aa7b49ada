"""Row heights for wrapped text in every workbook saferhub writes (the return, the performance
report, the set-up workbook). openpyxl cannot auto-fit a row, and neither Excel nor LibreOffice
grows a row saved with a height of its own or a cell wrapped after the file was written, so a
long cell showed only its first line and wrapped headings ran into the row below. The lines of
each cell are estimated from its column's width and its text, word by word."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any, Iterable, Sequence

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.pagebreak import Break, ColBreak, RowBreak

__all__ = [
    "LANDSCAPE_UNITS",
    "LEGIBLE_SCALE",
    "MAX_ROW_LINES",
    "MAX_ROW_POINTS",
    "POINTS_PER_UNIT",
    "fit_columns",
    "fit_rows",
    "header_row",
    "print_at_scale",
    "print_in_column_groups",
    "print_to_width",
    "printable_points",
    "readable",
    "shown_text",
    "sheet_width",
    "text_pieces",
    "wrapped_lines",
]

# Excel's default column width (characters of "0" in the default font) and line height (points).
DEFAULT_WIDTH = 8.43
LINE_POINTS = 15.0 / 11.0  # 15 pt a line at 11 pt text
# An Excel width unit holds about one "0"; running text is narrower than a row of zeros: LibreOffice
# fits about 1.25 characters of it to a unit (measured on its PDFs, in DejaVu Sans, the widest of
# the fonts it falls back to) and Excel in Calibri more. Counted as 1.15: a row a little too tall
# hides nothing, one too short does (at 1.0 the sources note and the appendices printed with a
# blank line or two under every paragraph).
CHARS_PER_UNIT = 1.15
# Excel's tallest row, in points: a taller one is saved but Excel shows 409 points of it, and the
# rest of its text is lost on screen and on paper. At 15 points a line that is 27 lines: a cell's
# text is kept to 26 (rows_for splits a longer one over rows).
MAX_ROW_POINTS = 409.0
MAX_ROW_LINES = 26


def row_points(lines: int, size: float = 11.0) -> float:
    """The height of a row showing ``lines`` lines of ``size``-point text."""
    return math.ceil(lines * size * LINE_POINTS) + 2.0


def text_pieces(text: str, chars: int, most: int = MAX_ROW_LINES) -> list[str]:
    """``text`` in pieces of at most ``most`` lines each wrapped at ``chars`` characters (a row
    Excel can show whole): its paragraphs (split at blank lines) kept together as far as they
    fit, a longer paragraph cut between its words (a word longer than a piece, between its
    characters). Every word is in a piece, in order: the pieces joined with blank lines give the
    text back where they end at a paragraph's end."""
    chars = max(1, chars)
    parts = ((part, "\n\n") for paragraph in text.split("\n\n") for part in _paragraph_pieces(paragraph, chars, most))
    return _pack(parts, chars, most)


def _pack(parts: Iterable[tuple[str, str]], chars: int, most: int) -> list[str]:
    """``parts`` (each with the separator that joins it to the one before) gathered greedily
    into pieces of at most ``most`` lines wrapped at ``chars``; a part is never cut."""
    pieces: list[str] = []
    current = ""
    for part, sep in parts:
        joined = current + sep + part if current else part
        if current and wrapped_lines(joined, chars) > most:
            pieces.append(current)
            current = part
        else:
            current = joined
    pieces.append(current)
    return pieces


def _paragraph_pieces(paragraph: str, chars: int, most: int) -> list[str]:
    """A paragraph in pieces of at most ``most`` lines, cut between its words (a word longer
    than a whole piece, between its characters); its line breaks kept."""
    if wrapped_lines(paragraph, chars) <= most:
        return [paragraph]
    longest = chars * most

    def words() -> Iterable[tuple[str, str]]:
        for i, line in enumerate(paragraph.split("\n")):
            for j, word in enumerate(line.split(" ")):
                sep = "\n" if j == 0 and i > 0 else " "
                while len(word) > longest:  # a "word" longer than a whole piece: pieces of its own
                    yield word[:longest], sep
                    word, sep = word[longest:], " "
                yield word, sep

    return _pack(words(), chars, most)


def wrapped_lines(text: str, chars: int) -> int:
    """How many lines ``text`` takes wrapped at ``chars`` characters, breaking at spaces as
    Excel does (a word longer than the line is broken into pieces)."""
    chars = max(1, chars)
    lines = 0
    for paragraph in text.split("\n"):
        used = 0
        count = 1
        for word in paragraph.split():
            if used and used + 1 + len(word) <= chars:
                used += 1 + len(word)
                continue
            if used:
                count += 1
            count += (len(word) - 1) // chars
            used = len(word) - ((len(word) - 1) // chars) * chars
        lines += count
    return lines


def shown_text(cell: Any) -> str:
    """About what a cell shows: a number in its format's decimals, thousands, "%" or "£"; a date
    in full; text as it is. For sizing its column, not for reading back."""
    value, fmt = cell.value, str(cell.number_format or "General")
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value).upper()
    if isinstance(value, (int, float, Decimal)):
        places = (
            len(fmt.split(".", 1)[1].split('"')[0].rstrip("_)")) if "." in fmt else (0 if fmt != "General" else None)
        )
        shown = f"{value:{',' if ',' in fmt else ''}.{places}f}" if places is not None else str(value)
        return ("£" if "£" in fmt else "") + shown + ("%" if "%" in fmt else "")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "30 September 2017" if "mmmm" in fmt else "30/09/2017"
    return str(value)


def fit_columns(ws: Any, rows: Iterable[int], columns: Iterable[int], minimum: float = 6, maximum: float = 48) -> None:
    """Each of ``columns`` as wide as what it shows in ``rows`` (a table's rows, not the paragraphs
    beside it), with room to spare: a figure whole and clear of the text to its right, a bold
    heading on two lines at most and never a word split; between
    ``minimum`` and ``maximum`` (longer text wraps)."""
    rows = list(rows)
    for column in columns:
        need = minimum
        for r in rows:
            cell = ws.cell(row=r, column=column)
            text = shown_text(cell)
            if not text:
                continue
            bold = cell.font is not None and bool(cell.font.b)
            if bold:  # a heading: on two lines at most, clear of the next heading
                longest = max(max(len(word) for word in text.split()), math.ceil(len(text) / 2))
            else:
                longest = max(map(len, text.split("\n")))
            need = max(need, longest * (1.1 if bold else 1.0) + 2)
        ws.column_dimensions[get_column_letter(column)].width = min(maximum, math.ceil(need))


def _width(ws: Any, column: int) -> float:
    # .get: indexing column_dimensions adds the column, 13 units wide, to the saved sheet.
    dimension = ws.column_dimensions.get(get_column_letter(column))
    return float(dimension.width) if dimension is not None and dimension.width else DEFAULT_WIDTH


def fit_rows(wb: Any) -> None:
    """In each sheet: a text cell that does not fit its column and cannot run on over an empty
    neighbour (or holds a line break) is wrapped, aligned to the top, and its row made tall
    enough for the most lines of any of its cells."""
    for ws in wb.worksheets:
        merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            height = 0.0
            for cell in row:
                if not isinstance(cell.value, str) or not cell.value or cell.value.startswith("="):
                    continue
                span = merged.get((cell.row, cell.column))
                columns = range(cell.column, (span.max_col if span else cell.column) + 1)
                width = sum(_width(ws, c) for c in columns)
                font = cell.font
                size = float(font.sz or 11) if font is not None else 11.0
                per_unit = CHARS_PER_UNIT * 11.0 / size * (0.9 if font is not None and font.b else 1.0)
                lines = wrapped_lines(cell.value, int(width * per_unit))
                right = ws.cell(row=cell.row, column=columns[-1] + 1).value if columns[-1] < ws.max_column else None
                wrapped = bool(cell.alignment is not None and cell.alignment.wrap_text)
                if not wrapped and "\n" not in cell.value and lines > 1 and right in (None, "") and not span:
                    # It may run on over the empty cells to its right, as a title does, if it
                    # ends within the sheet's columns; a paragraph longer than that ran on past
                    # the tables and charts and widened the printed page: it wraps across them.
                    end = columns[-1]
                    while end < ws.max_column and ws.cell(row=cell.row, column=end + 1).value in (None, ""):
                        end += 1
                    run = sum(_width(ws, c) for c in range(cell.column, end + 1))
                    if wrapped_lines(cell.value, int(run * per_unit)) == 1:
                        continue
                    if end > cell.column:
                        ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=end)
                    lines = wrapped_lines(cell.value, int(run * per_unit))
                elif not wrapped and "\n" not in cell.value and (lines == 1 or right in (None, "")):
                    continue  # fits, or runs on over the empty cells to its right as a title does
                if not wrapped:
                    old = cell.alignment
                    cell.alignment = Alignment(
                        horizontal=old.horizontal if old is not None else None,
                        indent=old.indent if old is not None else 0,
                        vertical="top",
                        wrap_text=True,
                    )
                height = max(height, row_points(lines, size))
            if height > 15.0:
                # Excel shows no more than 409 points of a row (rows_for keeps the text to that).
                ws.row_dimensions[row[0].row].height = min(height, MAX_ROW_POINTS)
                # The row's other cells at its top beside the wrapped text (a label such as
                # "Commentary" sat at the foot of the tall row, level with the next one).
                for cell in row:
                    old = cell.alignment
                    if cell.value not in (None, "") and (old is None or old.vertical is None):
                        cell.alignment = Alignment(
                            horizontal=old.horizontal if old is not None else None,
                            indent=old.indent if old is not None else 0,
                            vertical="top",
                            wrap_text=old.wrap_text if old is not None else None,
                        )


# What an A4 portrait page holds at 100% between openpyxl's default margins (0.75 in each side),
# in Excel width units (one unit about 7 pixels at 96 dpi, with some padding in each column).
PORTRAIT_UNITS = 90.0


# LibreOffice without Calibri (a server, a Linux desktop) draws a width unit a third wider (7 pt,
# measured on its PDF): an A4 landscape page then holds about 105 units at 100% (Excel with Calibri
# about 130). A sheet laid out for print is sized for the wider of the two.
LANDSCAPE_UNITS = 105.0
POINTS_PER_UNIT = 7.0
A4_POINTS = (595.0, 842.0)
# Below this scale a printed sheet's 11-point text is smaller than 7.7 points: hard to read on paper.
LEGIBLE_SCALE = 70


def sheet_width(ws: Any, first: int = 1, last: int | None = None) -> float:
    """The printed width of the sheet's columns ``first`` to ``last`` (all of them by default),
    in Excel width units: their widths added up."""
    return sum(_width(ws, c) for c in range(first, (last or ws.max_column) + 1))


def _normal_margins(ws: Any) -> None:
    """Excel's own "Normal" margins top and bottom (openpyxl's are an inch): a page holds more
    rows (an indicator's sheet, tables and charts, on one page)."""
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3


def print_in_column_groups(ws: Any, repeat: int, group_ends: Sequence[int]) -> int:
    """Print a sheet too wide for one legible page (the return's Projects sheet, 22 columns, came
    out at a quarter of its size) as pages of its columns in groups, each group a theme: the first
    ``repeat`` columns (which row is which: the project's letter and title) again at the left of
    every page, a page break after each group's last column (``group_ends``, 1-based; the last
    group runs to the sheet's last column), landscape, and one scale for the sheet at which its
    widest group fits a page (never above 100%). On screen it stays one table, a row a record,
    to filter and sum. Returns the scale, in per cent."""
    ends = [*group_ends, ws.max_column]
    starts = [repeat + 1, *(end + 1 for end in group_ends)]
    repeated = sheet_width(ws, 1, repeat)
    widest = max(repeated + sheet_width(ws, start, end) for start, end in zip(starts, ends))
    # 3% to spare: at the exact fit LibreOffice sent a group's last column to a page of its own.
    scale = min(100, math.floor(97 * LANDSCAPE_UNITS / widest))
    ws.sheet_properties.pageSetUpPr.fitToPage = False  # Excel ignores page breaks when fitting to pages
    ws.page_setup.scale = scale
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.print_title_cols = f"A:{get_column_letter(repeat)}"
    ws.col_breaks = ColBreak()
    for end in group_ends:
        ws.col_breaks.append(Break(id=end))
    _normal_margins(ws)
    ws.oddFooter.center.text = "&A: page &P of &N"  # which sheet a loose page is from
    return scale


def printable_points(ws: Any) -> tuple[float, float]:
    """The width and height of the sheet's A4 page between its margins, in points."""
    short, long = A4_POINTS
    landscape = ws.page_setup.orientation == ws.ORIENTATION_LANDSCAPE
    width, height = (long, short) if landscape else (short, long)
    m = ws.page_margins
    return width - (m.left + m.right) * 72, height - (m.top + m.bottom) * 72


def _rows_points(ws: Any, first: int, last: int) -> float:
    # .get, as _width: indexing row_dimensions adds an empty row to the saved sheet.
    heights = (getattr(ws.row_dimensions.get(r), "height", None) for r in range(first, last + 1))
    return sum(float(h or 15.0) for h in heights)


def _charts(ws: Any) -> list[tuple[int, int, float, float]]:
    """Each chart's first row and column (1-based), width and height in points."""
    out = []
    for chart in ws._charts:
        anchor = chart.anchor
        if isinstance(anchor, str):
            letters, row = coordinate_from_string(anchor)
            column = column_index_from_string(letters)
        else:
            row, column = int(anchor._from.row) + 1, int(anchor._from.col) + 1
        out.append((row, column, float(chart.width) * 72 / 2.54, float(chart.height) * 72 / 2.54))
    return out


def _last_printed_column(ws: Any) -> int:
    """The sheet's last column, or the last a chart reaches into if further right: LibreOffice
    prints whole columns, so a chart ending a little way into a column prints that column."""
    last = ws.max_column
    for _, column, width, _ in _charts(ws):
        end = column
        while (width := width - _width(ws, end) * POINTS_PER_UNIT) > 0:
            end += 1
        last = max(last, end)
    return int(last)


def _page_points(ws: Any, first: int, last: int) -> float:
    """How tall rows ``first`` to ``last`` print, with the charts anchored among them (a chart
    can reach below the last row: it printed on a page of its own)."""
    tall = _rows_points(ws, first, last)
    for row, _, _, height in _charts(ws):
        if first <= row <= last:
            tall = max(tall, _rows_points(ws, first, row - 1) + height)
    return tall


def print_at_scale(ws: Any, *, titles: int = 2, break_after: int | None = None) -> int:
    """Print the sheet landscape at one explicit scale, its columns and the charts beside them
    one page wide: the largest scale (never above 100%) at which they fit with 3% to spare, as
    LibreOffice draws a width unit (7 points; Excel with Calibri narrower, so it fits there too). If the sheet (rows and charts) then runs past one page, a page break
    after row ``break_after`` (an indicator's figures and commentary, then its SPC table) with
    rows 1 to ``titles`` (what the sheet is) again at the top of the next; the scale is lowered
    if a page is still too tall. Fitting to one page instead printed an indicator at 61-67% (its
    40 rows set the scale, not its width). Returns the scale, in per cent."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    _normal_margins(ws)
    ws.page_margins.left = ws.page_margins.right = 0.5
    page_width, page_height = printable_points(ws)
    width = sheet_width(ws, 1, _last_printed_column(ws)) * POINTS_PER_UNIT
    scale = min(100, math.floor(97 * page_width / width))
    pages = [(1, ws.max_row)]
    if break_after and _page_points(ws, 1, ws.max_row) * scale / 100 > 0.97 * page_height:
        pages = [(1, break_after), (break_after + 1, ws.max_row)]
        ws.row_breaks = RowBreak()
        ws.row_breaks.append(Break(id=break_after))
        ws.print_title_rows = f"1:{titles}"
    for n, (first, last) in enumerate(pages):
        tall = _page_points(ws, first, last) + (_rows_points(ws, 1, titles) if n else 0.0)
        scale = min(scale, math.floor(97 * page_height / tall))
    ws.sheet_properties.pageSetUpPr.fitToPage = False  # Excel ignores page breaks when fitting to pages
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = None
    ws.page_setup.scale = scale
    ws.oddFooter.center.text = "&A: page &P of &N"  # which sheet a loose page is from
    return scale


def header_row(ws: Any) -> int:
    """The row of column headings: the first of the sheet's first six rows whose text cells (two
    or more) are all bold; 1 if none is (a sheet that starts with its data's headings)."""
    for row in ws.iter_rows(min_row=1, max_row=min(6, ws.max_row)):
        texts = [c for c in row if isinstance(c.value, str) and c.value]
        if len(texts) >= 2 and all(c.font is not None and c.font.b for c in texts):
            return int(row[0].row)
    return 1


def print_to_width(wb: Any) -> None:
    """Each sheet prints one page wide (as many pages tall as it needs), landscape when it is
    wider than a portrait page, with its title and column headings again at the top of every
    page: printed as saved, the return's sheets ran to 61 A4 pages with a label on one page and
    its value on the next; a three-column sheet wider than the page printed shrunk on portrait,
    and a sheet with a title above its headings repeated the title alone."""
    for ws in wb.worksheets:
        if ws.col_breaks.count:  # laid out in column groups (print_in_column_groups): kept
            if ws.max_row > 1 and ws.print_title_rows is None:
                ws.print_title_rows = f"1:{header_row(ws)}"
            continue
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        _normal_margins(ws)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        if sheet_width(ws) > PORTRAIT_UNITS:
            ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        if ws.max_row > 1 and ws.print_title_rows is None:
            ws.print_title_rows = f"1:{header_row(ws)}"  # title and headings again on every page


def readable(wb: Any) -> None:
    """What every workbook saferhub writes gets before it is saved: rows tall enough for their
    text, and sheets that print one page wide."""
    fit_rows(wb)
    print_to_width(wb)
