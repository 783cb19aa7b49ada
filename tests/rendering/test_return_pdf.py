"""The PDF return's uploaded pages: the return's footer on each, placed on the page's own size."""

import datetime
import io

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from saferhub.commissioning import appendices
from saferhub.commissioning.models import HalfYearReturn, Project
from saferhub.commissioning.returns import build_half_year_return
from saferhub.rendering.formats import render_return

NOW = datetime.datetime(2017, 11, 6, 9, 0, tzinfo=datetime.timezone.utc)
MM = 72 / 25.4


def _upload(size: str) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=f"<style>@page {{ size: {size}; margin: 20mm }}</style><p>Uploaded sheet on {size}</p>"
    ).write_pdf()


@pytest.mark.parametrize("size", ["letter", "A4 landscape", "A4"])
def test_the_returns_footer_sits_at_the_bottom_corners_of_an_uploaded_page_of_any_size(fund, size):
    """On a US Letter or A4 landscape upload the return's footer was laid out as on A4 portrait:
    "Page x of y" stood 17 pt (Letter) or 247 pt (landscape) in from the right edge's margin."""
    project = Project.objects.get(fund=fund, letter="H")
    upload = SimpleUploadedFile("sheet.pdf", _upload(size), "application/pdf")
    appendices.appendix_add_pdf(project=project, title="Sheet", upload=upload, actor="t", now=NOW)
    hyr = HalfYearReturn.objects.filter(fund=fund).order_by("-version").first()
    pdf = render_return(build_half_year_return(hyr, today=NOW.date()), "pdf", attachments=appendices.appendix_pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        (page,) = [p for p in doc.pages if f"Uploaded sheet on {size}" in (p.extract_text() or "")]
        width, height = float(page.width), float(page.height)
        assert (width > height) == ("landscape" in size)
        assert round(width) == {"letter": 612, "A4 landscape": 842, "A4": 595}[size]
        words = page.extract_words()
        lines = [w for w in words if float(w["top"]) > height - 18 * MM]  # in the bottom margin
        page_word = next(i for i, w in enumerate(lines) if w["text"] == "Page")
        number = lines[page_word : page_word + 4]
        assert " ".join(w["text"] for w in number) == f"Page {page.page_number} of {len(doc.pages)}"
        # right-aligned at the page's own right margin (14 mm), the return's name at its left margin
        assert abs(float(number[-1]["x1"]) - (width - 14 * MM)) < 2, (number[-1]["x1"], width)
        assert abs(min(float(w["x0"]) for w in lines) - 14 * MM) < 2
        assert float(number[0]["bottom"]) < height - 3 * MM
