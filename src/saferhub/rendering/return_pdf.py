"""The half-year return as HTML and PDF (WeasyPrint), in the funder's layout. An uploaded PDF
appendix is printed as its own pages: the HTML holds one empty page for each (so the footer's
"Page x of y" counts them), and pypdf puts the uploaded pages in their places with that empty
page laid over each, so they carry the return's footer; their own page numbers are taken out
first, as in a board pack (pack_pdf.without_own_page_numbers)."""

from __future__ import annotations

import io
from typing import Callable, cast

from django.template.loader import render_to_string

from saferhub.domain.returns import KPI_HEADINGS, ReturnDocument

# The bytes of an uploaded appendix by its digest (None if not to hand).
Attachments = Callable[[str], "bytes | None"]


def render_return_html(r: ReturnDocument, attachments: Attachments | None = None) -> str:
    return cast(
        str,
        render_to_string(
            "rendering/return_halfyear.html",
            {"r": r, "kpi_headings": KPI_HEADINGS, "attached": attachments is not None},
        ),
    )


def render_return_pdf(r: ReturnDocument, attachments: Attachments | None = None) -> bytes:
    from weasyprint import HTML

    document = HTML(string=render_return_html(r, attachments), base_url=".").render()
    body = cast(bytes, document.write_pdf())
    uploaded = [a for a in r.appendices if a.is_pdf]
    if attachments is None or not uploaded:
        return body
    # Which page of the body is the place of each uploaded page.
    places: dict[int, tuple[bytes, int]] = {}
    for a in uploaded:
        content = attachments(a.pdf_sha)
        if content is None:
            continue
        for n in a.pdf_page_numbers:
            anchor = f"appendix-{a.letter}-page-{n}"
            index = next((i for i, page in enumerate(document.pages) if anchor in page.anchors), None)
            if index is not None:
                places[index] = (content, n - 1)
    if not places:
        return body
    from pypdf import PdfReader, PdfWriter, Transformation

    from .pack_pdf import without_own_page_numbers

    writer = PdfWriter()
    readers: dict[bytes, PdfReader] = {}
    for i, page in enumerate(PdfReader(io.BytesIO(body)).pages):
        if i in places:
            content, n = places[i]
            if content not in readers:
                readers[content] = PdfReader(io.BytesIO(without_own_page_numbers(content)[0]))
            placed = writer.add_page(readers[content].pages[n])
            # The return's own (otherwise empty) page on top: its footer, "Page x of y".
            box = placed.cropbox
            placed.merge_transformed_page(page, Transformation().translate(float(box.left), float(box.bottom)))
        else:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_internal_html(r: ReturnDocument) -> str:
    """The officers' internal summary of a return: its checks (overspends, a late return), which
    never go on the funder's copy."""
    return cast(str, render_to_string("rendering/return_internal.html", {"r": r}))


def render_internal_pdf(r: ReturnDocument) -> bytes:
    from weasyprint import HTML

    return cast(bytes, HTML(string=render_internal_html(r), base_url=".").write_pdf())
