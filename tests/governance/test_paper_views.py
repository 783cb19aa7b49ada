"""The paper pages: write a paper, save versions (each kept), release one for the board, upload a
PDF or a Word file (converted by LibreOffice headless); who may do what; the pack carries the
version for the board and never a draft."""

import io
import shutil

import pytest

from saferhub.audit.models import AuditEvent
from saferhub.governance import services as s
from saferhub.governance.models import Paper, PaperVersion
from saferhub.governance.packs import pack_issue
from saferhub.rendering.pack_pdf import page_texts

from .conftest import NOW, blank_pdf

BASE = "/governance/testham/"
TEXT = """The purpose of this report.

# 1. Background

- protect their communities;
- help people feel safer <script>alert(1)</script>

| Area | Recommendation | OPCC contribution |
|---|---|---|
| Domestic abuse | Continue the contract | £110,000 |
"""


@pytest.fixture
def item(meeting):
    return s.agenda_item_create(
        meeting=meeting, number=5, subject="Commissioning Intentions", purpose="To discuss.", actor="t", now=NOW
    )


def _write(client, meeting, item, **extra):
    data = {"item": item.pk, "title": "Integrated Commissioning", "author": "Integrated Commissioning"}
    data.update({"body": TEXT, "status": "draft", **extra})
    return client.post(f"{BASE}meetings/{meeting.pk}/papers/write/", data)


def test_a_written_paper_is_versioned_and_only_its_version_for_the_board_goes_into_a_pack(client, users, meeting, item):
    client.force_login(users["commissioner"])
    response = _write(client, meeting, item)
    paper = Paper.objects.get(kind="written")
    assert response.status_code == 302 and response["Location"] == f"{BASE}papers/{paper.pk}/"
    page = client.get(f"{BASE}papers/{paper.pk}/").content.decode()
    # The text is shown as blocks, every character escaped: the markup carries no HTML.
    assert (
        '<ul class="govuk-list govuk-list--bullet">' in page
        and '<th scope="col" class="govuk-table__header">Area' in page
    )
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    # A draft is never in a pack.
    pack = pack_issue(meeting=meeting, kind="agenda", actor="t", now=NOW)
    assert "The purpose of this report" not in " ".join(page_texts(bytes(pack.pdf)))

    # A second save is version 2; version 1 is kept as it was.
    client.post(
        f"{BASE}papers/{paper.pk}/versions/",
        {"author": "Integrated Commissioning", "body": TEXT + "\nA second thought.", "status": "draft"},
    )
    client.post(f"{BASE}papers/{paper.pk}/release/")
    versions = list(paper.versions.order_by("number").values_list("number", "status"))
    assert versions == [(1, "draft"), (2, "draft"), (3, "for_board")]
    assert PaperVersion.objects.get(paper=paper, number=1).body == TEXT.strip()
    pack = pack_issue(meeting=meeting, kind="agenda", actor="t", now=NOW)
    text = " ".join(page_texts(bytes(pack.pdf)))
    assert "A second thought." in text and "Continue the contract" in text and "1. Background" in text
    assert AuditEvent.objects.filter(object_type="governance.paperversion").count() == 3

    pdf = client.get(f"{BASE}papers/{paper.pk}/versions/1.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "A second thought." not in " ".join(page_texts(pdf.content))
    assert AuditEvent.objects.filter(action="export", object_type="governance.paperversion").exists()


def test_a_table_row_with_the_wrong_number_of_cells_is_refused_with_its_line(client, users, meeting, item):
    client.force_login(users["commissioner"])
    response = _write(client, meeting, item, body="| A | B |\n| only one |\n")
    assert response.status_code == 400
    assert (
        "line 2: this table row has 1 cell but the table&#x27;s first row (line 1) has 2" in response.content.decode()
    )
    assert not Paper.objects.exists()


def test_board_members_read_papers_but_cannot_change_them(client, users, meeting, item):
    client.force_login(users["commissioner"])
    _write(client, meeting, item)
    paper = Paper.objects.get()
    client.force_login(users["board"])
    assert client.get(f"{BASE}papers/{paper.pk}/").status_code == 200
    assert _write(client, meeting, item).status_code == 403
    assert client.post(f"{BASE}papers/{paper.pk}/release/").status_code == 403
    assert (
        client.post(f"{BASE}papers/{paper.pk}/versions/", {"author": "x", "body": "y", "status": "draft"}).status_code
        == 403
    )
    assert paper.versions.count() == 1


def test_an_uploaded_pdf_gets_versions(client, users, meeting, item):
    client.force_login(users["commissioner"])
    upload = io.BytesIO(blank_pdf(2, "First"))
    upload.name = "paper.pdf"
    data = {"item": item.pk, "title": "Uploaded paper", "author": "Analyst", "status": "for_board", "file": upload}
    assert client.post(f"{BASE}meetings/{meeting.pk}/papers/upload/", data).status_code == 302
    paper = Paper.objects.get()
    second = io.BytesIO(blank_pdf(1, "Second"))
    second.name = "paper-v2.pdf"
    client.post(f"{BASE}papers/{paper.pk}/versions/", {"author": "Analyst", "status": "for_board", "file": second})
    assert list(paper.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    text = " ".join(page_texts(bytes(pack_issue(meeting=meeting, kind="agenda", actor="t", now=NOW).pdf)))
    assert "Second sheet 1" in text and "First sheet 1" not in text


def test_a_word_file_is_converted_to_pdf(client, users, meeting, item, tmp_path):
    assert shutil.which("soffice"), "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
    from docx import Document

    doc = Document()
    doc.add_heading("Commissioning intentions from Word", 1)
    doc.add_paragraph("Written in Word and converted on upload.")
    buffer = io.BytesIO()
    doc.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "intentions.docx"
    client.force_login(users["commissioner"])
    data = {"item": item.pk, "title": "From Word", "author": "Analyst", "status": "for_board", "file": upload}
    response = client.post(f"{BASE}meetings/{meeting.pk}/papers/upload/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = Paper.objects.get().versions.get()
    assert bytes(version.content).startswith(b"%PDF") and version.original_name == "intentions.docx"
    assert "Written in Word and converted on upload." in " ".join(page_texts(bytes(version.content)))
