"""Live papers: papers that saferhub generates from its own data at the moment a pack is built,
so the pack never carries a stale copy. Each is registered by name; a ``Paper`` row with
``kind="live"`` names its generator. A generator returns the paper as PDF bytes.

The commissioning update reads the commissioning app's funds, awards, intentions and projects
(governance is the layer above commissioning), and shows a clear "no commissioning data" paper
while there are none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Callable, Optional

from saferhub.commissioning import selectors as commissioning_selectors
from saferhub.domain.calendar import Month
from saferhub.domain.commissioning_paper import CommissioningPaper

from .models import Meeting, Paper, PaperKind, PaperVersion

Generator = Callable[[Paper, Meeting, datetime.datetime], bytes]


@dataclass(frozen=True)
class LivePaper:
    name: str
    title: str
    render: Generator


LIVE_PAPERS: dict[str, LivePaper] = {}


def live_paper(name: str, title: str) -> Callable[[Generator], Generator]:
    def register(fn: Generator) -> Generator:
        if name in LIVE_PAPERS:
            raise ValueError(f"live paper {name!r} registered twice")
        LIVE_PAPERS[name] = LivePaper(name, title, fn)
        return fn

    return register


def render_paper(paper: Paper, meeting: Meeting, now: datetime.datetime) -> bytes | None:
    """The paper's PDF for a pack; None for an uploaded or written paper with no version yet
    released for the board (a draft never goes into a pack)."""
    if paper.kind == PaperKind.LIVE:
        return LIVE_PAPERS[paper.generator].render(paper, meeting, now)
    version = paper.board_version()
    if paper.kind == PaperKind.UPLOAD:
        if version is not None and version.content is not None:
            return bytes(version.content)
        # Uploaded before versions were kept: the upload itself is the board's copy.
        return bytes(paper.content) if not paper.versions.exists() else None
    if version is None:
        return None
    return written_paper_pdf(paper.title, version, meeting)


def written_paper_pdf(title: str, version: PaperVersion, meeting: Meeting | None = None) -> bytes:
    from saferhub.domain.document import parse_document
    from saferhub.rendering.pack_pdf import render_html_pdf

    return render_html_pdf(
        "rendering/pack_written.html",
        {"title": title, "version": version, "blocks": parse_document(version.body), "meeting": meeting},
    )


# ---------------------------------------------------------------------------- performance report
def report_month_for(meeting: Meeting, paper: Paper) -> Month | None:
    """The month the report covers: the paper's ``period`` option, else the latest month with
    data received by the meeting's date that ended before it (a January meeting reports to
    November or December)."""
    if paper.options.get("period"):
        return Month.parse(paper.options["period"])
    from saferhub.performance.models import IndicatorValue

    cutoff = Month(meeting.date.year, meeting.date.month).label
    # Only figures received by the paper's date: a pack built again later reports the same month.
    periods = [
        p
        for p in IndicatorValue.objects.filter(
            indicator__partnership=meeting.board.partnership, reported_on__lte=paper_date(meeting)
        )
        .values_list("period", flat=True)
        .distinct()
        if "Q" not in p and p < cutoff
    ]
    return Month.parse(max(periods)) if periods else None


@live_paper("performance_report", "Performance report")
def performance_paper(paper: Paper, meeting: Meeting, now: datetime.datetime) -> bytes:
    from saferhub.performance.report import build_performance_report
    from saferhub.rendering.pack_pdf import render_html_pdf, render_report_pdf_in_pack

    month = report_month_for(meeting, paper)
    if month is None:
        return render_html_pdf(
            "rendering/pack_notice.html",
            {
                "title": paper.title,
                "message": "No performance figures had been imported before this meeting.",
                "now": now,
            },
        )
    report = build_performance_report(meeting.board.partnership, month, as_at=paper_date(meeting))
    # The pack numbers every page once: the report's own "Page n of m" is left off.
    return render_report_pdf_in_pack(report)


# ------------------------------------------------------------------------ commissioning update
# The paper is a typed value of the domain (saferhub.domain.commissioning_paper) as it stood on
# a date, read from the commissioning records; None when there is nothing to report.


def commissioning_data(partnership: Any, as_at: datetime.date) -> Optional[CommissioningPaper]:
    from django.core.exceptions import FieldError
    from django.db import DatabaseError, transaction

    try:
        # A savepoint: a missing table must not break the pack's own transaction.
        with transaction.atomic():
            data = commissioning_selectors.commissioning_paper(partnership=partnership, as_at=as_at)
    except (LookupError, FieldError, DatabaseError):
        # The commissioning tables not yet migrated, or unreadable: a clear paper, not a crash.
        return None
    if data is None or not (data.intentions or data.funds):
        return None
    return data


def paper_date(meeting: Meeting) -> datetime.date:
    """The date a live paper's data is taken at: the meeting's (a pack built later, or built
    again years on, shows what was known then)."""
    return meeting.date


@live_paper("commissioning_update", "Commissioning update")
def commissioning_paper(paper: Paper, meeting: Meeting, now: datetime.datetime) -> bytes:
    from saferhub.rendering.pack_pdf import render_html_pdf

    as_at = paper_date(meeting)
    return render_html_pdf(
        "rendering/pack_commissioning.html",
        {
            "title": paper.title,
            "paper": commissioning_data(meeting.board.partnership, as_at),
            "as_at": as_at,
            # Off when the item's written paper already sets the intentions out (the demo's item 5).
            "show_intentions": paper.options.get("intentions", True),
            "now": now,
            "partnership": meeting.board.partnership,
        },
    )


# ---------------------------------------------------------------------------- terms of reference
@live_paper("terms_of_reference", "Terms of reference")
def terms_paper(paper: Paper, meeting: Meeting, now: datetime.datetime) -> bytes:
    from saferhub.rendering.pack_pdf import render_html_pdf

    terms = meeting.board.terms.all()
    if paper.options.get("version"):
        terms = terms.filter(version=paper.options["version"])
    t = terms.first()
    if t is None:
        return render_html_pdf(
            "rendering/pack_notice.html",
            {"title": paper.title, "message": "The board has no terms of reference recorded.", "now": now},
        )
    from saferhub.domain.document import parse_or_plain

    # Each section's text is the written paper's markup, so its lists and sub-headings are kept.
    sections = [(s.heading, parse_or_plain(s.text)) for s in t.sections.all()]
    return render_html_pdf(
        "rendering/pack_terms.html",
        {"title": paper.title, "terms": t, "board": meeting.board, "sections": sections, "now": now},
    )


# ---------------------------------------------------------------------------------- priorities
@live_paper("priorities", "Priorities: threat, risk and harm scores")
def priorities_paper(paper: Paper, meeting: Meeting, now: datetime.datetime) -> bytes:
    from saferhub.rendering.pack_pdf import render_html_pdf

    from .selectors import ranked_priorities

    ranked = ranked_priorities(meeting.board)
    return render_html_pdf(
        "rendering/pack_priorities.html",
        {
            "title": paper.title,
            "ranked": ranked,
            "now": now,
            # Scores not agreed by the partnership go to a board only as a draft for discussion.
            "illustrative": any(r["score"].illustrative for r in ranked if r["score"] is not None),
            "note": "Draft for discussion: scores not agreed by the partnership"
            if any(r["score"].illustrative for r in ranked if r["score"] is not None)
            else "",
        },
    )
