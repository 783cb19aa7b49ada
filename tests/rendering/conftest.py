"""The reports the renderers' tests render: the demo's (Safer Plymouth, November 2016) and the
real 2019 police.uk files' (Plymouth, December 2019), each built once per test module; and
commissioning's seed fund for the half-year return's documents."""

import subprocess

import pytest

from saferhub.demo import load_demo
from saferhub.domain.calendar import Month
from saferhub.performance.report import build_performance_report
from saferhub.performance.services import policeuk_import

from ..commissioning.conftest import safer_plymouth, seed_fund
from ..conftest import DEVON_AND_CORNWALL, standard_partnership
from ..performance.conftest import NOW


@pytest.fixture(scope="module")
def demo_report(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            report = build_performance_report(load_demo(now=NOW), Month(2016, 11))
            transaction.set_rollback(True)
    return report


@pytest.fixture(scope="module")
def real_report(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            p = standard_partnership(slug="plymouth", name="Safer Plymouth", local_authorities=["Plymouth"])
            policeuk_import(paths=[DEVON_AND_CORNWALL], partnership=p, now=NOW)
            report = build_performance_report(p, Month(2019, 12))
            transaction.set_rollback(True)
    return report


def pdf_pages(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def printed_pages(data: bytes, suffix: str, tmp_path) -> list[str]:
    """A Word or Excel file as a reader prints it (converted by LibreOffice headless): each page's text."""
    source = tmp_path / f"printed.{suffix}"
    source.write_bytes(data)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return pdf_pages((tmp_path / "printed.pdf").read_bytes(), tmp_path)


def printed_text_sizes(pdf: bytes) -> list[float]:
    """Each page's most common text size in points, as printed: 11-point cells printed at a
    scale of s show as 11 * s (how small a sheet printed to fit its page came out)."""
    import collections
    import io

    from pypdf import PdfReader

    result = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        sizes: collections.Counter[float] = collections.Counter()

        def visit(text, cm, tm, font, size, sizes=sizes):
            if text.strip():
                sizes[round(size * tm[3] * cm[3], 1)] += len(text.strip())

        page.extract_text(visitor_text=visit)
        result.append(sizes.most_common(1)[0][0] if sizes else 0.0)
    return result


def figures_then_words(pdf_path):
    """On each printed line (words by their place on the page, not pdftotext's reading order),
    a figure and the word to its right: the gap between them in units of the line's text
    height (a word space is about a quarter)."""
    import re
    import subprocess

    html = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True, check=True)
    box = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    for page in html.stdout.split("<page ")[1:]:
        lines: dict[float, list] = {}
        for a, b, c, d, w in re.findall(box, page):
            lines.setdefault(round(float(b)), []).append((float(a), float(c), float(d) - float(b), w))
        for words in lines.values():
            words.sort()
            for (_, x1, height, w), (u0, _, _, t) in zip(words, words[1:]):
                if re.fullmatch(r"-?[\d,]+(\.\d+)?%?", w) and re.match("[A-Za-z]", t):
                    yield (u0 - x1) / height, w, t


@pytest.fixture
def fund(db):
    return seed_fund(safer_plymouth())


def cells_opening_empty(document) -> list[str]:
    """The cells of a Word document's tables (and of the tables inside them) whose first line is
    empty: a first paragraph with no text, followed by text or a table. What a reader sees as
    the cell's text starting on its second line. Each as its row's first cell and its text."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    found = []

    def walk(table) -> None:
        for row in table.rows:
            for cell in row.cells:
                blocks = [el for el in cell._tc if el.tag in (qn("w:p"), qn("w:tbl"))]
                first = blocks[0]
                later = blocks[1:]
                if (
                    first.tag == qn("w:p")
                    and not Paragraph(first, cell).text
                    and not first.xpath(".//w:drawing")
                    and any(el.tag == qn("w:tbl") or Paragraph(el, cell).text for el in later)
                ):
                    found.append(f"{row.cells[0].text[:40]!r}: {cell.text[:60]!r}")
                for el in blocks:
                    if el.tag == qn("w:tbl"):
                        walk(Table(el, cell))

    for table in document.tables:
        walk(table)
    return found
