"""The report as a Word document with real tables and headings, so boards can paste it into
their own templates."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from saferhub.domain.report import PerformanceReport

from .cells import MONTH_TABLE_HEADINGS, SUMMARY_HEADINGS

if TYPE_CHECKING:
    from .charts import Chart
    from .formats import Charts

# The charts' printed widths. An indicator's month table, figures chart, commentary and SPC block
# (heading, sentence, chart, limits table) share one A4 page at these sizes: the SPC chart at
# 16 cm never fitted below the commentary and took a page of its own, a third full (the demo's
# Word report was 22 pages, now 13). The charts' type prints at 6 to 7 points.
FIGURES_CM = 7
SPC_CM = 11
SUMMARY_CM = (4.0, 1.6, 1.8, 1.5, 1.6, 2.2, 4.7)  # 17.4 cm: the A4 page inside 1.8 cm margins


def _char(paragraph: Any, kind: str) -> None:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        el.set(qn("w:dirty"), "true")  # ask Word to update the field when it opens the file
    paragraph.add_run()._r.append(el)


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES) in a paragraph, with its last result as placeholder text."""
    _char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    _char(paragraph, "separate")
    paragraph.add_run(placeholder)
    _char(paragraph, "end")


def _contents(doc: Any, entries: list[str]) -> None:
    """A contents list: a TOC field over the Heading 1 paragraphs. Its result is prefilled with
    the headings themselves, so a reader whose program does not update fields still sees the
    list; Word replaces it with page numbers and links when it updates the field."""
    doc.add_paragraph().add_run("Contents").bold = True
    first = doc.add_paragraph()
    _char(first, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-1" \\h \\z \\u '
    first.add_run()._r.append(instr)
    _char(first, "separate")
    paragraphs = [first] + [doc.add_paragraph() for _ in entries[1:]]
    for paragraph, entry in zip(paragraphs, entries):
        paragraph.add_run(entry)
        paragraph.paragraph_format.space_after = Pt(1)  # a list's lines, not paragraphs apart
    _char(paragraphs[-1], "end")


def page_footer(section: Any, title: str) -> None:
    """The document's title on the left and "Page n of m" on the right of every page, as in the PDF
    (the report, the half-year return)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.text = ""
    paragraph.add_run(f"{title}\t")
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")
    tabs = paragraph.paragraph_format.tab_stops
    for inherited in (Cm(8.255), Cm(16.51)):  # the Footer style's centre and right stops (3.25", 6.5")
        tabs.add_tab_stop(inherited, WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(section.page_width - section.left_margin - section.right_margin, WD_TAB_ALIGNMENT.RIGHT)
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _table(
    doc: Any,
    headings: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths: Sequence[float] | None = None,
    words: Sequence[int] = (),
) -> Any:
    """A table of figures, right-aligned after the first column except the ``words`` columns;
    ``widths``: the columns' widths in cm (else equal shares of the page)."""
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Light Grid Accent 1"
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row)):
            cell.text = value
            if i > 0 and i not in words:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
        _row_whole(row)
    _row_whole(table.rows[0], header=True)
    for cell in table.rows[0].cells:  # the headings never alone at a page's foot: kept with the first row
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    if widths is not None:
        set_column_widths(table, widths)
    return table


def set_column_widths(table: Any, cm: Sequence[float]) -> None:
    """Column widths kept by Word and LibreOffice alike: the grid's (which LibreOffice reads) and
    each cell's (which Word reads), with autofit off. A cell spanning columns (its ``gridSpan``)
    is as wide as they are together."""
    table.autofit = False
    for column, width in zip(table.columns, cm):
        column.width = Cm(width)
    for row in table.rows:
        at = 0
        for tc in row._tr.tc_lst:
            tc.width = Cm(sum(cm[at : at + tc.grid_span]))
            at += tc.grid_span


def _row_whole(row: Any, header: bool = False) -> None:
    """A row never broken across pages (the summary's "Anti-social" at the foot of page 1 and
    "behaviour incidents" on page 2); ``header``: the headings row repeated on each page."""
    tr_pr = row._tr.get_or_add_trPr()
    tag = "w:tblHeader" if header else "w:cantSplit"
    if tr_pr.find(qn(tag)) is None:
        tr_pr.append(OxmlElement(tag))


def _picture(doc: Any, chart: Chart, width: Any) -> Any:
    """A chart as an inline picture in a paragraph of its own, with the chart's description as
    the picture's alternative text (what a screen reader says, and what Word shows as alt text)."""
    shape = doc.add_picture(io.BytesIO(chart.png), width=width)
    shape._inline.docPr.set("descr", chart.alt)
    paragraph = doc.paragraphs[-1]
    paragraph.paragraph_format.space_before = Pt(3)  # a little air between a table and the chart below it
    paragraph.paragraph_format.space_after = Pt(4)  # the chart's own margins leave room: not a text line's gap
    return paragraph


def render_docx(report: PerformanceReport, charts: Charts) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as the PDF
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin, section.bottom_margin, section.footer_distance = Cm(1.8), Cm(2.0), Cm(1.0)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    # An indicator's heading opens a page: a third of the template's 24 points above it is enough.
    doc.styles["Heading 1"].paragraph_format.space_before = Pt(12)

    page_footer(section, report.title)
    doc.add_paragraph(report.partnership_name)
    doc.add_heading("Performance report", level=0)
    doc.add_paragraph(f"Figures to the end of {report.period_name}, financial year {report.financial_year}.")
    _contents(doc, ["Summary: year to date"] + [ind.title for ind in report.indicators] + ["Data sources and notes"])
    doc.add_heading("Summary: year to date", level=1)
    # The indicator's name and the SPC reading take the room; the figures need little.
    _table(
        doc,
        SUMMARY_HEADINGS,
        [ind.summary_text for ind in report.indicators],
        widths=SUMMARY_CM,
        words=(SUMMARY_HEADINGS.index("Status"), len(SUMMARY_HEADINGS) - 1),
    )
    doc.add_paragraph("Change is always this year minus last year.")

    for ind in report.indicators:
        # Each indicator from the top of a page: the heading's own page break, rather than a
        # paragraph holding one (which leaves an empty line at the top of the next page).
        doc.add_heading(ind.title, level=1).paragraph_format.page_break_before = True
        doc.add_paragraph(f"{ind.polarity_words} · {ind.frequency} · {ind.source_label} · status: {ind.status_label}")
        _table(doc, MONTH_TABLE_HEADINGS, [p.table_text for p in ind.periods])
        drawn = charts.get(ind.code)
        if drawn is not None:
            _picture(doc, drawn.figures, Cm(FIGURES_CM))
        doc.add_heading("Commentary", level=2)
        doc.add_paragraph(ind.commentary)
        if ind.significance is not None:
            doc.add_paragraph(ind.significance.summary)
        if ind.analyst_comment:
            doc.add_heading("Analyst's comment", level=2)
            doc.add_paragraph(ind.analyst_comment)
        for note in ind.data_notes:
            doc.add_paragraph(note)
        if drawn is not None and drawn.spc is not None and ind.spc is not None:
            # The heading, its sentence and the chart stay together, with the limits table's headings
            # and first row: they move to the next page as one where the chart does not fit, rather
            # than the heading staying behind. The table's further rows may run on to the next page
            # under its repeated headings.
            doc.add_heading("Variation over time", level=2).paragraph_format.keep_with_next = True
            doc.add_paragraph(ind.spc.text + ".").paragraph_format.keep_with_next = True
            _picture(doc, drawn.spc, Cm(SPC_CM)).paragraph_format.keep_with_next = True
            _table(
                doc,
                ("From", "To", "Mean", "Lower limit", "Upper limit"),
                [
                    [s.period_text("start"), s.period_text("end"), s.mean_text, s.lower_text, s.upper_text]
                    for s in ind.spc.segments
                ],
            )

    doc.add_heading("Data sources and notes", level=1).paragraph_format.page_break_before = True
    for d in report.datasets:
        doc.add_paragraph(d.line, style="List Bullet")
    if report.police_months_text:
        doc.add_paragraph(report.police_months_text)
    if report.sources:
        doc.add_heading("Imports", level=2)
        for s in report.sources:
            doc.add_paragraph(s.line, style="List Bullet")
    doc.add_heading("How to read this report", level=2)
    for note in report.how_to_read:
        doc.add_paragraph(note)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
