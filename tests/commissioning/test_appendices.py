"""Appendices to the half-year return (issue 17): attached per project, narratives written in
saferhub and uploaded PDFs, printed in order after the return with the body's references
pointing at them; every change audited, on the project page under commissioning's rules."""

import io
import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from saferhub.accounts.models import User
from saferhub.audit.models import AuditEvent
from saferhub.commissioning import appendices
from saferhub.commissioning.models import Appendix, HalfYearReturn, Project
from saferhub.commissioning.returns import build_half_year_return, half_year_return_for
from saferhub.rendering.formats import render_return

from .conftest import NOW


def pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(t.split()) for t in text.split("\f")[:-1]]


def uploaded_pdf(*texts: str) -> bytes:
    from weasyprint import HTML

    body = "".join(f'<p style="break-before: page">{t}</p>' for t in texts)
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def test_the_demo_return_has_the_seeds_appendices_a_to_d_where_its_text_cites_them(fund, tmp_path):
    r = build_half_year_return(half_year_return_for(fund, 2017))
    assert [(a.letter, a.title) for a in r.appendices] == [
        ("A", "Report For Harbours Criminal Justice Team"),
        ("B", "Service Specification – Healthy Relationships"),
        ("C", "Awareness Raising for Community Safety"),
        ("D", "Prevent and Welcoming City: Service Specification – Schools Based Empathy Pilot"),
    ]
    by_project = {p.letter: [a.letter for a in p.appendices] for p in r.projects if p.appendices}
    assert by_project == {"C": ["A"], "D": ["B"], "E": ["C"], "G": ["D"]}
    # every "appendix X" the body cites is one of that project's own appendices
    cited = {p.letter: p.appendix_references for p in r.projects if p.appendix_references}
    assert cited == by_project
    refs = [c for c in r.checks if c.code == "appendix_references"]
    assert refs and all(c.ok for c in refs)

    texts = pages(render_return(r, "pdf"), tmp_path)
    signed = next(i for i, t in enumerate(texts) if "TO BE SIGNED BY TREASURER / CFO" in t)
    starts = [next(i for i, t in enumerate(texts) if f"APPENDIX {a.letter} {a.title}" in t) for a in r.appendices]
    assert signed < starts[0] and starts == sorted(starts)  # after the return, in order
    assert "Exits For all the tier 3 structured treatment episodes in CJIT" in texts[starts[0]]
    # each project's row names its appendices by their letters
    body = " ".join(texts[:signed])
    section_c = body[body.index("(Project C)") : body.index("(Project D)")]
    assert "Appendix A: Report For Harbours Criminal Justice Team" in section_c
    # the specifications' outcome tables are tables in the Word file too
    word = Document(io.BytesIO(render_return(r, "docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert [h for h in headings if h.startswith("APPENDIX")] == ["APPENDIX A", "APPENDIX B", "APPENDIX C", "APPENDIX D"]
    assert any(t.rows[0].cells[0].text == "Key Performance Indicator" for t in word.tables)
    # and their bulleted lists are lists
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert "Delivering strong and safe communities" in bullets
    assert "<li>Delivering strong and safe communities</li>" in render_return(r, "html").decode()


def test_the_return_page_lists_each_projects_appendices(fund, client):
    hyr = half_year_return_for(fund, 2017)
    client.force_login(User.objects.create_user(username="cath", password="x", role="commissioner"))
    page = client.get(f"/commissioning/half-year/{hyr.pk}/").content.decode()
    assert "Appendix A: Report For Harbours Criminal Justice Team" in page
    assert "Appendix D: Prevent and Welcoming City" in page


def test_a_reference_to_an_appendix_that_is_not_attached_is_an_internal_finding(fund):
    hyr = half_year_return_for(fund, 2017)
    Appendix.objects.filter(project__letter="G").delete()
    r = build_half_year_return(hyr, live=True)
    (g,) = [c for c in r.checks if c.code == "appendix_references" and c.subject == "G"]
    assert g.ok is False and "appendix D" in g.message


def test_an_uploaded_pdf_is_printed_as_its_own_pages_in_order(fund, tmp_path):
    project = Project.objects.get(fund=fund, letter="H")
    upload = SimpleUploadedFile("spec.pdf", uploaded_pdf("Uploaded page one", "Uploaded page two"), "application/pdf")
    appendix = appendices.appendix_add_pdf(
        project=project, title="Tender specification", upload=upload, actor="t", now=NOW
    )
    assert appendix.file.pages == 2
    hyr = HalfYearReturn.objects.filter(fund=fund).order_by("-version").first()
    assert hyr.version == 2 and hyr.state == "draft"  # a change to a signed period opens a new version
    r = build_half_year_return(hyr, today=NOW.date())
    assert [a.letter for a in r.appendices][-1] == "E" and r.appendices[-1].kind == "pdf"
    texts = pages(render_return(r, "pdf", attachments=appendices.appendix_pdf), tmp_path)
    intro = next(i for i, t in enumerate(texts) if "APPENDIX E Tender specification" in t)
    # each uploaded page carries the return's footer (left: the return; right: its page number)
    footer = f"{r.area}: {r.fund.name} {r.financial_year}, {r.period_name.lower()} return (version {r.version})"
    assert texts[intro + 1] == f"Uploaded page one {footer} Page {intro + 2} of {len(texts)}"
    assert texts[intro + 2] == f"Uploaded page two {footer} Page {intro + 3} of {len(texts)}"
    assert intro + 3 == len(texts)
    assert f"Page {intro} of {len(texts)}" in texts[intro - 1]  # the footer counts the uploaded pages
    word = Document(io.BytesIO(render_return(r, "docx")))
    assert any("spec.pdf, 2 pages, attached to the PDF return" in p.text for p in word.paragraphs)
    # the signed version 1 is unchanged: no appendix E
    assert [a.letter for a in build_half_year_return(half_year_return_for(fund, 2017, version=1)).appendices] == list(
        "ABCD"
    )
    assert AuditEvent.objects.filter(summary__contains="Tender specification").exists()


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_kept(fund):
    project = Project.objects.get(fund=fund, letter="H")
    before = Appendix.objects.count()
    with pytest.raises(appendices.CommissioningError, match="does not match its type"):
        appendices.appendix_add_pdf(
            project=project, title="x", upload=SimpleUploadedFile("x.pdf", b"MZ not a pdf"), actor="t", now=NOW
        )
    with pytest.raises(appendices.CommissioningError, match="not accepted here"):
        appendices.appendix_add_pdf(
            project=project, title="x", upload=SimpleUploadedFile("x.docx", b"PK\x03\x04"), actor="t", now=NOW
        )
    with pytest.raises(appendices.CommissioningError, match="could not be read as a PDF"):
        appendices.appendix_add_pdf(
            project=project, title="x", upload=SimpleUploadedFile("x.pdf", b"%PDF-1.7 garbage"), actor="t", now=NOW
        )
    assert Appendix.objects.count() == before


def test_officers_add_and_remove_appendices_on_the_project_page(fund, client):
    project = Project.objects.get(fund=fund, letter="H")
    url = f"/commissioning/projects/{project.pk}/"
    client.force_login(User.objects.create_user(username="cath", password="x", role="commissioner"))
    page = client.get(url).content.decode()
    assert "Appendices to the half-year return" in page and "Add an appendix" in page
    missing = client.post(url + "appendices/", {"title": "Notes", "text": ""})
    assert (
        missing.status_code == 400 and "Write the text of the appendix or choose a PDF file" in missing.content.decode()
    )
    response = client.post(url + "appendices/", {"title": "Steering group notes", "text": "First paragraph."})
    assert response.status_code == 302
    added = Appendix.objects.get(project=project, title="Steering group notes")
    assert AuditEvent.objects.filter(action="create", summary__contains="Steering group notes").exists()
    assert "Steering group notes" in client.get(url).content.decode()
    assert client.post(url + f"appendices/{added.pk}/remove/").status_code == 302
    assert not Appendix.objects.filter(pk=added.pk).exists()
    assert AuditEvent.objects.filter(action="delete", summary__contains="Steering group notes").exists()


def test_a_viewer_cannot_add_an_appendix(fund, client):
    project = Project.objects.get(fund=fund, letter="H")
    client.force_login(User.objects.create_user(username="vic", password="x", role="board"))
    page = client.get(f"/commissioning/projects/{project.pk}/")
    if page.status_code == 200:
        assert "Add an appendix" not in page.content.decode()
    response = client.post(f"/commissioning/projects/{project.pk}/appendices/", {"title": "x", "text": "y"})
    assert response.status_code in (403, 404)
    assert not Appendix.objects.filter(project=project, title="x").exists()
    assert re.search(r"Traceback|/src/saferhub", response.content.decode()) is None


def test_the_excel_return_has_the_appendices_sheet_and_the_projects_link_to_it(fund):
    """The Excel return holds each appendix, lettered as in the PDF and Word return: a written one
    with its text, an uploaded one by file name, pages and checksum (its pages are in the PDF);
    each project's row names its appendices and links to them."""
    from openpyxl import load_workbook

    project = Project.objects.get(fund=fund, letter="H")
    content = uploaded_pdf("Uploaded page one", "Uploaded page two")
    upload = SimpleUploadedFile("spec.pdf", content, "application/pdf")
    appendices.appendix_add_pdf(project=project, title="Tender specification", upload=upload, actor="t", now=NOW)
    hyr = HalfYearReturn.objects.filter(fund=fund).order_by("-version").first()
    r = build_half_year_return(hyr, today=NOW.date())
    wb = load_workbook(io.BytesIO(render_return(r, "xlsx")))
    assert "Appendices" in wb.sheetnames
    ws = wb["Appendices"]
    head = [c.value for c in ws[1]]
    assert head[:5] == ["Appendix", "Title", "Project", "Project title", "Kind"]
    every = [dict(zip(head, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    # A written appendix a paragraph a row (each naming its appendix and project), its title and
    # kind on the first.
    assert all(x["Appendix"] and x["Project"] for x in every)
    rows = [x for x in every if x["Kind"]]
    assert [(x["Appendix"], x["Project"], x["Kind"]) for x in rows] == [
        ("A", "C", "written"),
        ("B", "D", "written"),
        ("C", "E", "written"),
        ("D", "G", "written"),
        ("E", "H", "uploaded"),
    ]
    assert rows[0]["Title"] == "Report For Harbours Criminal Justice Team"
    text = "\n\n".join(x["Text (written) or where it is (uploaded)"] for x in every if x["Appendix"] == "A")
    assert re.findall(r"\w+", text) == re.findall(r"\w+", r.appendices[0].text)
    assert "For all the tier 3 structured treatment episodes in CJIT" in text
    from blake3 import blake3

    e = rows[4]
    assert (e["File name"], e["Pages"], e["Checksum (BLAKE3)"]) == ("spec.pdf", 2, blake3(content).hexdigest())
    assert "in the PDF return" in e["Text (written) or where it is (uploaded)"]

    # The body's references point at them: each project's row names its appendices, linked.
    # (The Narratives sheet by letter, as the narratives cite them: LibreOffice never wraps a
    # linked cell, and the titles cut off its printed page.)
    for sheet, titled in (("Projects", True), ("Narratives", False)):
        s = wb[sheet]
        col = [c.value for c in s[1]].index("Appendices")
        cells: dict = {}
        for row in s.iter_rows(min_row=2):  # a project's first row (a long narrative continues below)
            cells.setdefault(row[0].value, row[col])
        c_name = "Appendix A: Report For Harbours Criminal Justice Team" if titled else "Appendix A"
        assert cells["C"].value == c_name
        assert cells["C"].hyperlink.location == "'Appendices'!A2"
        assert cells["H"].value == ("Appendix E: Tender specification" if titled else "Appendix E")
        assert cells["H"].hyperlink.location == f"'Appendices'!A{every.index(rows[4]) + 2}"
        assert cells["A"].value is None


def test_a_narrative_longer_than_an_excel_cell_continues_on_further_rows():
    from saferhub.rendering.return_xlsx import TEXT_WIDTH
    from saferhub.rendering.xlsx_rows import MAX_ROW_LINES, text_pieces, wrapped_lines

    paragraphs = [f"Paragraph {i}. " + "word " * 2000 for i in range(40)]  # about 400,000 characters
    text = "\n\n".join(p.strip() for p in paragraphs)
    parts = text_pieces(text, TEXT_WIDTH)
    assert len(parts) > 1 and all(len(p) <= 32_000 and wrapped_lines(p, TEXT_WIDTH) <= MAX_ROW_LINES for p in parts)
    assert " ".join(parts).split() == text.split()
    huge = "x" * 70_000  # one "word" longer than a cell is cut
    assert "".join(text_pieces(huge, TEXT_WIDTH)) == huge


def test_a_written_appendix_has_its_sub_headings_and_lists_in_pdf_and_word(fund):
    """The markup of every paper written in saferhub: "## Exits" is a sub-heading, and lines
    starting "- " are a list even directly under their introductory line, nested when indented
    (seen on the demo's return: appendix C's programme printed as dashes, A's "Exits" as text)."""
    from saferhub.domain.returns import Appendix as AppendixText
    from saferhub.domain.returns import AppendixKind

    r = build_half_year_return(half_year_return_for(fund, 2017))
    html = render_return(r, "html").decode()
    assert "<h3>Exits</h3>" in html and "<h3>Prison Releases</h3>" in html
    assert "<li>A 12 month programme, incorporating direct delivery of:<ul><li>2 conferences" in html
    assert "<li>1 Week of Action</li>" in html and "\n- " not in html
    word = Document(io.BytesIO(render_return(r, "docx")))
    styles = {p.text: p.style.name for p in word.paragraphs}
    assert styles["Exits"].startswith("Heading") and styles["1. Introduction"].startswith("Heading")
    assert styles["1 Week of Action"] == "List Bullet 2"
    assert styles["A 12 month programme, incorporating direct delivery of:"] == "List Bullet"
    # a list typed straight under its introductory line, as a user writes one
    typed = AppendixText("A", "Notes", AppendixKind.NARRATIVE, text="We will:\n- train staff\n- report termly")
    assert [type(b).__name__ for b in typed.blocks] == ["Paragraph", "ItemList"]


def test_an_uploaded_pdfs_pages_carry_the_returns_page_numbers_not_their_own(fund, tmp_path):
    """Seen on the return: an uploaded appendix's pages came in whole, with their own "Page 1 of
    2" and without the return's footer."""
    from weasyprint import HTML

    own = HTML(
        string="<style>@page { @bottom-center { content: 'Page ' counter(page) ' of ' counter(pages) } }</style>"
        '<p>Tender page one</p><p style="break-before: page">Tender page two</p>'
    ).write_pdf()
    project = Project.objects.get(fund=fund, letter="H")
    upload = SimpleUploadedFile("tender.pdf", own, "application/pdf")
    appendices.appendix_add_pdf(project=project, title="Tender", upload=upload, actor="t", now=NOW)
    hyr = HalfYearReturn.objects.filter(fund=fund).order_by("-version").first()
    r = build_half_year_return(hyr, today=NOW.date())
    texts = pages(render_return(r, "pdf", attachments=appendices.appendix_pdf), tmp_path)
    first = next(i for i, t in enumerate(texts) if t.startswith("Tender page one"))
    total = len(texts)
    footer = f"{r.area}: {r.fund.name} {r.financial_year}, {r.period_name.lower()} return (version {r.version})"
    assert texts[first] == f"Tender page one {footer} Page {first + 1} of {total}"
    assert texts[first + 1] == f"Tender page two {footer} Page {first + 2} of {total}"
    assert not any(re.search(r"Page [12] of 2(?!\d)", t) for t in texts)  # the upload's own numbers are gone
