"""The half-year return as the PCC expects it (issue 17): no RAG box or project header split from
its content across a page; the internal checks on a separate internal summary, not on the
funder's copy; a project's outcome data as a table."""

import html
import io
import re
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from saferhub.commissioning import returns
from saferhub.commissioning.returns import half_year_return_for
from saferhub.rendering.formats import render_return
from saferhub.rendering.return_json import return_to_json


def build_half_year_return(*args, **kwargs):
    """The return in its JSON rendering (the keys these assertions read; issue 13 made the
    return a typed value)."""
    return return_to_json(returns.build_half_year_return(*args, **kwargs))


RAG_LABELS = ("Outcomes Achieved", "On Track to Achieve", "Not Achieved/Behind Schedule")


@pytest.fixture
def data(fund):
    return build_half_year_return(half_year_return_for(fund, 2017))


def pages(pdf: bytes, tmp_path, layout: bool = True) -> list[str]:
    """The text of each page (in layout mode a form row's label and its content share lines)."""
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", *(["-layout"] if layout else []), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


@pytest.mark.parametrize("extra", [0, 2, 4, 6, 9, 13])
def test_no_rag_box_or_project_header_splits_across_a_page(data, tmp_path, extra):
    """Wherever the page breaks fall (project A's text made longer by some paragraphs shifts
    every later box down the pages), no box splits."""
    a = data["projects"][0]
    a["achieved"] += "".join(
        f"\n\nA further paragraph of progress, number {i}, written at length to push the "
        "later projects down the page by a line or two each time."
        for i in range(extra)
    )
    texts = pages(render_return(data, "pdf"), tmp_path)
    for p in data["projects"]:
        head = f"(Project {p['letter']})"
        where = next(i for i, t in enumerate(texts) if head in t)
        # The header keeps company: its funding row is on the same page.
        assert "Amount of funding" in texts[where].split(head, 1)[1], f"project {p['letter']}'s header is alone"
        # Its RAG box is whole on one page: the row label and the three ratings together.
        after_head = texts[where].split(head, 1)[1]
        first = (
            where
            if "Rag Rating" in after_head
            else next(i for i in range(where + 1, len(texts)) if "Rag Rating" in texts[i])
        )
        box = (after_head if first == where else texts[first]).split("Rag Rating", 1)[1]
        assert all(label in box for label in RAG_LABELS), f"project {p['letter']}'s RAG box is split"
        # and is never alone at the top of a page: a page that continues a project starts with its
        # letter and title again (project C's box began page 5 under no name but project D's).
        if first != where:
            assert head in texts[first].split("Rag Rating", 1)[0], f"project {p['letter']}'s RAG box has no project"


def test_a_page_that_continues_a_project_names_it_first(data, tmp_path):
    """A page that starts inside a project (a KPI table's later rows, its progress text, its RAG
    box) begins with that project's letter and title, as the page where it starts does."""
    texts = pages(render_return(data, "pdf"), tmp_path)
    started = False
    for n, text in enumerate(texts, 1):
        first_line = next(line for line in text.splitlines() if line.strip()).strip()
        if started:
            assert first_line.startswith(("(Project ", "TO BE COMPLETED")), f"page {n} starts without its project"
        started = started or "(Project A)" in text
        if "TO BE COMPLETED AND SIGNED" in text:
            break
    assert started and n < len(texts)


def test_a_page_that_continues_a_written_appendix_names_it_at_its_top(data, tmp_path):
    """Appendix B's later pages (a KPI table's rows, a list) began with no word of which appendix
    they belong to; each now carries "Appendix B: <its title>" at its top, as a project's later
    pages carry the project's letter and title. The page an appendix starts on has its heading."""
    written = [a for p in data["projects"] for a in p["appendices"] if a["kind"] == "narrative"]
    assert len(written) >= 2
    texts = pages(render_return(data, "pdf"), tmp_path)
    current, continued = None, 0
    for n, text in enumerate(texts, 1):
        starts = [a for a in written if f"APPENDIX {a['letter']}" in text]
        if starts:
            current = starts[-1]
            assert f"Appendix {current['letter']}: {current['title']}" not in text.split("APPENDIX", 1)[0]
            continue
        if current is not None:
            first_line = next(line for line in text.splitlines() if line.strip()).strip()
            assert first_line == f"Appendix {current['letter']}: {current['title']}", f"page {n}: {first_line!r}"
            continued += 1
    assert continued >= 3


def test_the_funders_copy_has_no_internal_checks(data, tmp_path):
    b = next(c for c in data["checks"] if c["code"] == "spend_within_funding" and c["subject"] == "B")
    assert "£12,500" in b["message"]
    pdf = " ".join(" ".join(t.split()) for t in pages(render_return(data, "pdf"), tmp_path, layout=False))
    assert "Checks made on this return" not in pdf and "£12,500" not in pdf and "Needs attention" not in pdf
    word = Document(io.BytesIO(render_return(data, "docx")))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for r in t.rows for c in r.cells
    )
    assert "Checks made on this return" not in text and "£12,500" not in text
    wb = load_workbook(io.BytesIO(render_return(data, "xlsx")))
    assert "Checks" not in wb.sheetnames
    assert not any("£12,500" in str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)


def test_the_internal_summary_carries_the_checks_for_officers(data, tmp_path):
    pdf = " ".join(" ".join(t.split()) for t in pages(render_return(data, "internal-pdf"), tmp_path, layout=False))
    assert "Internal summary" in pdf and "not for the funder" in pdf
    assert "£12,500" in pdf and "Needs attention" in pdf
    assert "Return made by its deadline" in pdf


def test_an_outcome_table_renders_as_a_table(data, tmp_path):
    """Project C's DOMES tables (seed page 4): rows and columns, not prose."""
    c = next(p for p in data["projects"] if p["letter"] == "C")
    tables = c["outcome_tables"]
    assert [t["title"] for t in tables][0].startswith(
        "1. Proportion of the treatment population in contact with the CJ system"
    )
    first = tables[0]
    assert first["columns"] == ["", "Plymouth Q1 %", "Plymouth Q1 (n)", "National average %"]
    assert first["rows"][0] == ["Opiate", "26", "329/1265", "21.6"]
    assert len(tables) == 3 and all(len(t["rows"]) == 4 for t in tables)
    word = Document(io.BytesIO(render_return(data, "docx")))
    cells = [[c.text for c in r.cells] for t in word.tables for row_t in [t] for r in row_t.rows]
    nested = [
        [c.text for c in r.cells]
        for t in word.tables
        for r in t.rows
        for cell in r.cells
        for nt in cell.tables
        for r2 in [r]
        for r in nt.rows
    ]
    assert ["Opiate", "26", "329/1265", "21.6"] in nested + cells
    html = render_return(data, "html").decode("utf-8")
    assert "<td>329/1265</td>" in html.replace('<td class="num">', "<td>")
    pdf = " ".join(" ".join(t.split()) for t in pages(render_return(data, "pdf"), tmp_path, layout=False))
    assert "opiate 26% (329/1265" not in pdf  # the flattened prose is gone


def test_officers_download_the_internal_summary_from_the_return_page(fund, client):
    from saferhub.accounts.models import User
    from saferhub.commissioning.models import HalfYearReturn

    hyr = HalfYearReturn.objects.filter(fund=fund).order_by("-version").first()
    client.force_login(User.objects.create_user(username="cath", password="x", role="commissioner"))
    page = client.get(f"/commissioning/half-year/{hyr.pk}/")
    assert page.status_code == 200
    assert "Internal summary for officers" in page.content.decode()
    response = client.get(f"/commissioning/half-year/{hyr.pk}/return.internal-pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "internal-summary.pdf" in response["Content-Disposition"]


def test_no_check_of_the_return_is_on_the_funders_copy_and_every_one_is_on_the_internal_summary(data, tmp_path):
    """Each check's finding (an overspend, a late return, an appendix cited but missing) is for
    the officers: none is printed on the PDF, Word or Excel that goes to the funder."""
    from saferhub.domain.returns import CHECK_LABELS

    assert {c["code"] for c in data["checks"]} >= {"spend_within_funding", "return_on_time", "appendix_references"}
    pdf = " ".join(" ".join(t.split()) for t in pages(render_return(data, "pdf"), tmp_path, layout=False))
    word = Document(io.BytesIO(render_return(data, "docx")))
    text = " ".join([p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells])
    wb = load_workbook(io.BytesIO(render_return(data, "xlsx")))
    cells = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    # the internal summary's table cells, read from its HTML (the PDF's text interleaves columns)
    internal = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", render_return(data, "internal-html").decode())).split())
    for check in data["checks"]:
        message = " ".join(check["message"].split())
        for copy, name in ((pdf, "PDF"), (" ".join(text.split()), "Word"), (" ".join(cells.split()), "Excel")):
            assert message not in copy, f"{check['code']} is on the funder's {name}"
            assert CHECK_LABELS[check["code"]] not in copy
        assert message in internal and CHECK_LABELS[check["code"]] in internal


@pytest.mark.parametrize("extra", [0, 3, 7])
def test_no_row_of_a_kpi_or_milestone_table_splits_across_a_page(data, tmp_path, extra):
    """A table row's cells stay side by side on one page (the seed's project D had its last KPI's
    name on one page and its target on the one before; project G a milestone so)."""
    data["projects"][0]["achieved"] += "".join(f"\n\nA further paragraph, number {i}." for i in range(extra))
    texts = [" ".join(t.split()) for t in pages(render_return(data, "pdf"), tmp_path, layout=False)]
    texts = texts[: next(i for i, t in enumerate(texts) if "TO BE COMPLETED AND SIGNED BY CSP MANAGER" in t)]
    rows = [
        (k["name"], [k["measure"], k["annual_target"], k["evidence_source"], k["reporting_mechanism"]])
        for p in data["projects"]
        for k in p["kpis"]
    ] + [(m["activity"], [m["deadline_label"], m["deliverables"]]) for p in data["projects"] for m in p["milestones"]]
    checked = 0
    for first, cells in rows:
        start = " ".join(first.split()[:3])
        where = [i for i, t in enumerate(texts) if start in t]
        if len(where) != 1 or len(first.split()) < 3:
            continue  # a name found on more than one page (or too short to place) is not checked
        for cell in cells:
            words = " ".join((cell or "").split()[:2])
            if len(words) > 4 and sum(words in t for t in texts) == 1:
                assert words in texts[where[0]], f"{first!r}: {cell!r} is on another page"
                checked += 1
    assert checked > 15


def test_the_word_returns_columns_have_widths_that_libreoffice_and_word_keep(data):
    """The form's label and content columns, and the KPI table's columns (rows of the form, the
    content column divided), carry their widths in the table grid (LibreOffice reads that, not the cells'): without them the KPI table's six
    columns were squeezed until words broke inside ("perform-ance", "Evidenc-e")."""
    from docx.shared import Cm

    word = Document(io.BytesIO(render_return(data, "docx")))
    projects = [t for t in word.tables if t.rows[0].cells[0].text.startswith("(Project ")]
    assert len(projects) == len(data["projects"])
    kpis = []
    for t in projects:
        grid = [c.width / Cm(1) for c in t.columns]
        assert round(grid[0], 1) == 5.2 and round(sum(grid[1:]), 1) == 12.2
        for row in t.rows:  # every row as wide as the grid, its cells as wide as the columns they span
            tcs = row._tr.tc_lst
            assert sum(tc.grid_span for tc in tcs) == len(grid)
            assert round(sum(tc.width / Cm(1) for tc in tcs), 1) == 17.4
            if row.cells[1].text == "Key performance indicator":
                kpis.append([tc.width / Cm(1) for tc in tcs[1:]])
    assert kpis
    for widths in kpis:
        assert len(widths) == 6 and round(sum(widths), 1) == 12.2 and min(widths) >= 1.5 and widths[0] > 2.2
