"""PDF pieces of a board pack: HTML papers and the agenda rendered with WeasyPrint, page counts,
page stamps ("Page N", "Agenda Item N") laid over each page, and the join into one file.

Stamps are drawn by WeasyPrint on blank pages of exactly each page's size and merged onto the
pages with pypdf, so uploaded PDFs of any size get the same numbering as generated papers."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence, cast

from django.template.loader import render_to_string

from saferhub.domain.problems import SaferhubError

if TYPE_CHECKING:
    from saferhub.domain.report import PerformanceReport


def render_html_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return cast(bytes, HTML(string=render_to_string(template, context), base_url=".").write_pdf())


# A paper inside a pack keeps no page numbers of its own: the pack stamps one number on each page.
_IN_PACK_CSS = (
    "@page { @bottom-right { content: none !important; } @top-right { content: none !important; } "
    "@bottom-center { content: none !important; } }"
)


def render_report_pdf_in_pack(report: PerformanceReport) -> bytes:
    """The performance report as a pack's paper: the PDF of ``render_report``, without its own
    "Page n of m" (the pack's numbering replaces it)."""
    from weasyprint import CSS, HTML

    from .formats import charts_for
    from .html_report import render_html

    html = render_html(report, charts_for(report), standalone=True, for_print=True)
    return cast(bytes, HTML(string=html, base_url=".").write_pdf(stylesheets=[CSS(string=_IN_PACK_CSS)]))


class PdfUnreadable(SaferhubError, ValueError):
    pass


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            raise PdfUnreadable("it is encrypted (password-protected)")
        return len(reader.pages)
    except PyPdfError as e:
        raise PdfUnreadable(str(e)) from None


@dataclass(frozen=True)
class Stamp:
    """What to print on one page of the joined pack."""

    number: int
    header: str = ""


def _stamp_sheets(sizes: Sequence[tuple[float, float]], stamps: Sequence[Stamp]) -> bytes:
    """One blank page per stamp, each of the size of the page it will be laid on."""
    distinct = sorted(set(sizes))
    name = {size: f"s{i}" for i, size in enumerate(distinct)}
    page_css = "".join(
        f"@page {name[s]} {{ size: {s[0]:.2f}pt {s[1]:.2f}pt; margin: 0; }}\n"
        f".{name[s]} {{ page: {name[s]}; width: {s[0]:.2f}pt; height: {s[1] - 1:.2f}pt; }}\n"
        for s in distinct
    )
    return render_html_pdf(
        "rendering/pack_stamps.html",
        {"page_css": page_css, "sheets": [(name[size], st) for size, st in zip(sizes, stamps)]},
    )


def stamp_and_join(
    parts: Sequence[bytes], stamps: Sequence[Stamp], *, title: str, outline: Sequence[tuple[str, int]] = ()
) -> bytes:
    """Join the PDFs in order and lay ``stamps[i]`` over page i of the result; ``outline`` gives
    bookmarks (title, 1-based page)."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    if len(writer.pages) != len(stamps):
        raise ValueError(f"{len(writer.pages)} pages but {len(stamps)} stamps")
    for page in writer.pages:
        # A rotated page (landscape scans) is turned upright first so the stamp reads the right way.
        if page.rotation:
            page.transfer_rotation_to_content()
    # Stamp the visible area (the crop box), wherever it sits on the page.
    sizes = [(float(p.cropbox.width), float(p.cropbox.height)) for p in writer.pages]
    sheets = PdfReader(io.BytesIO(_stamp_sheets(sizes, stamps)))
    for page, sheet in zip(writer.pages, sheets.pages):
        box = page.cropbox
        page.merge_transformed_page(sheet, Transformation().translate(float(box.left), float(box.bottom)))
    for text, number in outline:
        writer.add_outline_item(title=text, page_number=number - 1)
    writer.add_metadata({"/Title": title, "/Producer": "saferhub"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page (for checks and tests)."""
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
