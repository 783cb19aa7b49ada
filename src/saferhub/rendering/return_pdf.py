"""The half-year return as HTML and PDF (WeasyPrint), in the funder's layout. An uploaded PDF
appendix is printed as its own pages: the HTML holds one empty page for each (so the footer's
"Page x of y" counts them), and pypdf puts the uploaded pages in their places with that empty
page laid over each, so they carry the return's footer; their own page numbers are taken out
first, as in a board pack (pack_pdf.without_own_page_numbers)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Callable, cast

from django.template.loader import render_to_string

from saferhub.domain.returns import KPI_HEADINGS, ReturnDocument

if TYPE_CHECKING:  # pypdf is imported on use, only when a return has uploaded pages
    from pypdf import PageObject

# The bytes of an uploaded appendix by its digest (None if not to hand).
Attachments = Callable[[str], "bytes | None"]


def render_return_html(r: ReturnDocument, attachments: Attachments | None = None, page_css: str = "") -> str:
    """``page_css``: rules giving an uploaded page's place the size of that page."""
    return cast(
        str,
        render_to_string(
            "rendering/return_halfyear.html",
            {"r": r, "kpi_headings": KPI_HEADINGS, "attached": attachments is not None, "page_css": page_css},
        ),
    )


def _page_css(sizes: dict[str, tuple[float, float]]) -> str:
    """Each uploaded page's place (by its anchor) on a named page of that page's own size, so the
    return's margins and footer ("Page x of y") are laid out on a US Letter or landscape page as
    on A4: at its own bottom corners, not where an A4 page has them."""
    names = {size: f"upload{i}" for i, size in enumerate(sorted(set(sizes.values())))}
    rules = [f"@page {name} {{ size: {w:.2f}pt {h:.2f}pt; }}" for (w, h), name in names.items()]
    rules += [f"#{anchor} {{ page: {names[size]}; }}" for anchor, size in sizes.items()]
    return "\n".join(rules)


def render_return_pdf(r: ReturnDocument, attachments: Attachments | None = None) -> bytes:
    from weasyprint import HTML

    uploaded = [a for a in r.appendices if a.is_pdf]
    if attachments is None or not uploaded:
        return cast(bytes, HTML(string=render_return_html(r, attachments), base_url=".").write_pdf())
    from pypdf import PdfReader, PdfWriter, Transformation

    from .pack_pdf import without_own_page_numbers

    # Each uploaded page (upright, its own numbers taken out) by the anchor of its place.
    uploads: dict[str, PageObject] = {}
    readers: dict[str, PdfReader] = {}
    for a in uploaded:
        content = attachments(a.pdf_sha)
        if content is None:
            continue
        if a.pdf_sha not in readers:
            readers[a.pdf_sha] = PdfReader(io.BytesIO(without_own_page_numbers(content)[0]))
        pages = readers[a.pdf_sha].pages
        for n in a.pdf_page_numbers:
            if n <= len(pages):
                uploads[f"appendix-{a.letter}-page-{n}"] = pages[n - 1]
    sizes = {anchor: (float(p.cropbox.width), float(p.cropbox.height)) for anchor, p in uploads.items()}
    document = HTML(string=render_return_html(r, attachments, _page_css(sizes)), base_url=".").render()
    body = cast(bytes, document.write_pdf())
    # Which page of the body is the place of each uploaded page.
    places: dict[int, PageObject] = {}
    for anchor, uploaded_page in uploads.items():
        index = next((i for i, page in enumerate(document.pages) if anchor in page.anchors), None)
        if index is not None:
            places[index] = uploaded_page
    if not places:
        return body
    writer = PdfWriter()
    for i, page in enumerate(PdfReader(io.BytesIO(body)).pages):
        if i in places:
            placed = writer.add_page(places[i])
            # The return's own (otherwise empty) page of the same size on top: its footer.
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
