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
    from .formats import Charts


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
    doc: Any, headings: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[Any] | None = None
) -> Any:
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Light Grid Accent 1"
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row)):
            cell.text = value
            if i > 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
        _row_whole(row)
    _row_whole(table.rows[0], header=True)
    return table


def _row_whole(row: Any, header: bool = False) -> None:
    """A row never broken across pages (the summary's "Anti-social" at the foot of page 1 and
    "behaviour incidents" on page 2); ``header``: the headings row repeated on each page."""
    tr_pr = row._tr.get_or_add_trPr()
    tag = "w:tblHeader" if header else "w:cantSplit"
    if tr_pr.find(qn(tag)) is None:
        tr_pr.append(OxmlElement(tag))


def render_docx(report: PerformanceReport, charts: Charts) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as the PDF
    section.left_margin = section.right_margin = Cm(1.8)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)

    page_footer(section, report.title)
    doc.add_paragraph(report.partnership_name)
    doc.add_heading("Performance report", level=0)
    doc.add_paragraph(f"Figures to the end of {report.period_name}, financial year {report.financial_year}.")
    _contents(doc, ["Summary: year to date"] + [ind.title for ind in report.indicators] + ["Data sources and notes"])
    doc.add_heading("Summary: year to date", level=1)
    _table(doc, SUMMARY_HEADINGS, [ind.summary_text for ind in report.indicators])
    doc.add_paragraph("Change is always this year minus last year.")

    for ind in report.indicators:
        doc.add_page_break()
        doc.add_heading(ind.title, level=1)
        doc.add_paragraph(f"{ind.polarity_words} · {ind.frequency} · {ind.source_label} · status: {ind.status_label}")
        _table(doc, MONTH_TABLE_HEADINGS, [p.table_text for p in ind.periods])
        drawn = charts.get(ind.code)
        if drawn is not None:
            doc.add_picture(io.BytesIO(drawn.figures.png), width=Cm(8.5))  # narrow: drawn to stand beside a table
            doc.add_paragraph(drawn.figures.alt).runs[0].italic = True
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
            # The heading, its sentence, the chart and its limits table stay together: they move to
            # the next page as one where the chart does not fit, rather than the heading staying behind.
            doc.add_heading("Variation over time", level=2).paragraph_format.keep_with_next = True
            doc.add_paragraph(ind.spc.text + ".").paragraph_format.keep_with_next = True
            doc.add_picture(io.BytesIO(drawn.spc.png), width=Cm(16))
            doc.paragraphs[-1].paragraph_format.keep_with_next = True
            _table(
                doc,
                ("From", "To", "Mean", "Lower limit", "Upper limit"),
                [
                    [s.period_text("start"), s.period_text("end"), s.mean_text, s.lower_text, s.upper_text]
                    for s in ind.spc.segments
                ],
            )

    doc.add_page_break()
    doc.add_heading("Data sources and notes", level=1)
    for d in report.datasets:
        doc.add_paragraph(d.line, style="List Bullet")
    if report.sources:
        doc.add_heading("Imports", level=2)
        for s in report.sources:
            doc.add_paragraph(s.line, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
