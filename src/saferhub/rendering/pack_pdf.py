"""PDF pieces of a board pack: HTML papers and the agenda rendered with WeasyPrint, page counts,
page stamps ("Agenda Item N" at the top; the pack's footer and "Page N" at the foot) laid over
each page, and the join into one file.

Stamps are drawn by WeasyPrint on blank pages of exactly each page's size and merged onto the
pages with pypdf, so uploaded PDFs of any size get the same numbering as generated papers. An
uploaded paper's own page numbers ("Page 3 of 7", "- 3 -", a bare "3" in its footer, "3 | Safer
Plymouth") are found in its header and footer bands (pdfplumber's word boxes) and taken out or
covered on the stamp, so each page of the pack shows one number: the pack's."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence, cast

from django.template.loader import render_to_string

from saferhub.domain.problems import SaferhubError

if TYPE_CHECKING:
    from saferhub.domain.report import PerformanceReport


def render_html_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return cast(bytes, HTML(string=render_to_string(template, context), base_url=".").write_pdf())


# A paper inside a pack keeps no page numbers or footer of its own: the pack stamps its footer and
# one number on each page.
_IN_PACK_CSS = (
    "@page { @bottom-right { content: none !important; } @top-right { content: none !important; } "
    "@bottom-center { content: none !important; } @bottom-left { content: none !important; } }"
)


def render_report_pdf_in_pack(report: PerformanceReport) -> bytes:
    """The performance report as a pack's paper: the PDF of ``render_report``, without its own
    "Page n of m" and footer (the pack's footer and numbering replace them)."""
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
class Box:
    """A rectangle on a page, in points from the top-left corner of its visible area (crop box)."""

    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Stamp:
    """What to print on one page of the joined pack: ``header`` at its top (the agenda item),
    ``footer`` (the pack's name, date and issue) and "Page ``number``" at its foot; ``masks``:
    what to cover first (the page's own page numbers)."""

    number: int
    header: str = ""
    masks: tuple[Box, ...] = ()
    footer: str = ""


def upright(pdf: bytes) -> bytes:
    """The PDF with each rotated page turned upright (the rotation moved into its content), so
    positions read from it are where the stamp lands."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    if not any(p.rotation for p in reader.pages):
        return pdf
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        if page.rotation:
            page.transfer_rotation_to_content()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Where a document prints its page numbers: the top and bottom bands of the page.
BAND = 0.12
_NUMBERED = [
    re.compile(r"(?:page|pg\.?|p\.)\s*(\d{1,4})(?:\s*(?:of|/)\s*\d{1,4})?", re.I),  # Page 3, Page 3 of 7
    re.compile(r"(\d{1,4})\s*(?:of|/)\s*\d{1,4}", re.I),  # 3 of 7, 3/7
    re.compile(r"[-–—]\s*(\d{1,4})\s*[-–—]"),  # - 3 -
]
_BARE = re.compile(r"(\d{1,4}|[ivxlc]{1,7})", re.I)  # 3, iii: a page number only if it counts the pages
# A number at the start or end of a line of words, the separator that may stand beside it.
_LEADING = re.compile(r"(?P<n>\d{1,4})(?:[|·•:]?|(?P<glued>[|·•]\S+))")  # "3", "3:", "3|Safer"
_TRAILING = re.compile(r"(?:[|·•:]?|(?P<glued>\S+[|·•]))(?P<n>\d{1,4})")  # "3", "Plymouth|3"
_SEPARATORS = {"|", "·", "•", "-", "–", "—", "/", ":"}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _roman(text: str) -> int | None:
    values = [_ROMAN.get(ch) for ch in text.lower()]
    if None in values:
        return None
    digits = cast(list[int], values)
    total = sum(-v if i + 1 < len(digits) and v < digits[i + 1] else v for i, v in enumerate(digits))
    return total if total > 0 else None


def _segments(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words on one line and close together (a footer's left, centre and right parts apart)."""
    lines: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"]))):
        if lines and abs(float(lines[-1][0]["top"]) - float(w["top"])) < 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    out: list[list[dict[str, Any]]] = []
    for line in lines:
        line.sort(key=lambda w: float(w["x0"]))
        segment = [line[0]]
        for w in line[1:]:
            height = float(w["bottom"]) - float(w["top"])
            if float(w["x0"]) - float(segment[-1]["x1"]) > 1.5 * height:
                out.append(segment)
                segment = []
            segment.append(w)
        out.append(segment)
    return out


def _box(words: list[dict[str, Any]], origin: tuple[float, float], pad: float = 1.5) -> Box:
    left = min(float(w["x0"]) for w in words) - origin[0] - pad
    top = min(float(w["top"]) for w in words) - origin[1] - pad
    right = max(float(w["x1"]) for w in words) - origin[0] + pad
    bottom = max(float(w["bottom"]) for w in words) - origin[1] + pad
    return Box(left, top, right - left, bottom - top)


def own_page_numbers(pdf: bytes) -> list[tuple[Box, ...]]:
    return [tuple(box for box, _ in found) for found in _own_page_numbers(pdf)]


# A box in the PDF's own coordinates (points, origin bottom-left): left, bottom, right, top.
UserRect = tuple[float, float, float, float]


def _own_page_numbers(pdf: bytes) -> list[list[tuple[Box, UserRect]]]:
    """For each page of an (upright) PDF, the boxes of the page numbers it prints itself in its
    header and footer bands: "Page n", "Page n of m", "n of m", "- n -" wherever they stand in a
    line of the band; a bare number or roman numeral alone in its place only when such numbers
    count the pages (n minus the page's place the same on at least two pages, or "1" on a
    one-page paper), so a year or a reference number in a footer stays; a number at either end
    of a line of words ("3 | Safer Plymouth", "Safer Plymouth 3", "3|Safer") when it counts
    the pages on at least half of them."""
    import pdfplumber

    strong: list[list[tuple[Box, UserRect]]] = []
    bare: list[tuple[int, int, tuple[Box, UserRect]]] = []  # (page index, number, box)
    in_line: list[tuple[int, int, tuple[Box, UserRect]]] = []  # a number at the end of a line of words
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for index, page in enumerate(doc.pages):
            x0, top, x1, bottom = (float(v) for v in page.cropbox)
            band = BAND * (bottom - top)
            # pdfplumber measures down from the top at the media box's height.
            height = float(page.mediabox[3]) - float(page.mediabox[1])

            def boxes(words: list[dict[str, Any]]) -> tuple[Box, UserRect]:
                b = _box(words, (x0, top))
                left, right = b.left + x0, b.left + x0 + b.width
                return b, (left, height - (b.top + top + b.height), right, height - (b.top + top))

            words = [
                w
                for w in page.extract_words(return_chars=True)
                if float(w["bottom"]) <= top + band or float(w["top"]) >= bottom - band
            ]
            found: list[tuple[Box, UserRect]] = []
            for segment in _segments(words):
                texts = [str(w["text"]).strip(".,;:()[]") for w in segment]
                whole = " ".join(texts)
                hit = False
                # A numbering phrase anywhere in the segment ("Report, Page 3 of 7", "Safer
                # Plymouth · Page 3 · January 2017").
                for length in range(min(4, len(segment)), 0, -1):
                    for start in range(len(segment) - length + 1):
                        phrase = " ".join(texts[start : start + length])
                        if any(p.fullmatch(phrase) for p in _NUMBERED):
                            found.append(boxes(segment[start : start + length]))
                            hit = True
                            break
                    if hit:
                        break
                if hit:
                    continue
                if _BARE.fullmatch(whole):
                    n = int(whole) if whole.isdigit() else _roman(whole)
                    if n is not None:
                        bare.append((index, n, boxes(segment)))
                    continue
                # A bare number at either end of a line of words ("3 | Safer Plymouth", "Safer
                # Plymouth 3"), with the separator beside it: a page number if such numbers count
                # the pages, as a bare one alone.
                raw = [str(w["text"]) for w in segment]
                for end, step in ((0, 1), (len(segment) - 1, -1)):
                    number = (_LEADING if step == 1 else _TRAILING).fullmatch(raw[end])
                    if number is None:
                        continue
                    if number.group("glued"):  # "3|Safer": the number's characters and the bar
                        chars = segment[end]["chars"]
                        taken = len(number.group("n")) + 1
                        parts = chars[:taken] if step == 1 else chars[-taken:]
                    else:
                        parts = [segment[end]]
                        beside = end + step
                        if 0 <= beside < len(segment) and raw[beside] in _SEPARATORS:
                            parts.append(segment[beside])
                    in_line.append((index, int(number.group("n")), boxes(parts)))
            strong.append(found)
        pages = len(doc.pages)
    offsets = Counter(k for _, k in {(i, n - i) for i, n, _ in bare})  # pages, not boxes
    counting = {k for k, c in offsets.items() if c >= 2} | ({1} if pages == 1 else set())
    for i, n, box in bare:
        if n - i in counting:
            strong[i].append(box)
    # A number beside words counts the pages on at least half of them (not a section's number).
    offsets = Counter(k for _, k in {(i, n - i) for i, n, _ in in_line})
    counting = {k for k, c in offsets.items() if c >= max(2, (pages + 1) // 2)} | ({1} if pages == 1 else set())
    for i, n, box in in_line:
        if n - i in counting:
            strong[i].append(box)
    return strong


def without_own_page_numbers(pdf: bytes) -> tuple[bytes, list[tuple[Box, ...]]]:
    """An uploaded paper made ready for a pack: upright, its own page numbers taken out (each
    text object that lies within a number's box is removed with PDFium, so neither the eye nor
    a text search finds them) and, for what is drawn otherwise (a number sharing one text object
    with other words, or inside a form), the boxes to cover on the stamp of each page."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = upright(pdf)
    found = _own_page_numbers(pdf)
    if not any(found):
        return pdf, [()] * len(found)
    doc = pdfium.PdfDocument(pdf)
    try:
        for index, page_found in enumerate(found):
            if not page_found:
                continue
            page = doc[index]
            rects = [r for _, r in page_found]
            removed = False
            for obj in list(page.get_objects(max_depth=1)):
                if obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT:
                    continue
                left, bottom, right, top = obj.get_bounds()
                if any(
                    left >= r[0] - 1 and right <= r[2] + 1 and bottom >= r[1] - 1 and top <= r[3] + 1 for r in rects
                ):
                    page.remove_obj(obj)
                    removed = True
            if removed:
                page.gen_content()
        out = io.BytesIO()
        doc.save(out)
    finally:
        doc.close()
    return out.getvalue(), [tuple(b for b, _ in page_found) for page_found in found]


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
