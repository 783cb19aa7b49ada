"""Live papers: papers that saferhub generates from its own data at the moment a pack is built,
so the pack never carries a stale copy. Each is registered by name; a ``Paper`` row with
``kind="live"`` names its generator. A generator returns the paper as PDF bytes.

The commissioning update reads the commissioning app through one replaceable *source*
(``connect_commissioning_source``), imported lazily, so governance works before that app has
data, and shows a clear "no commissioning data" paper meanwhile.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Optional

from saferhub.domain.calendar import Month

from .models import Meeting, Paper

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


def render_paper(paper: Paper, meeting: Meeting, now: datetime.datetime) -> bytes:
    if paper.kind == "upload":
        return bytes(paper.content)
    return LIVE_PAPERS[paper.generator].render(paper, meeting, now)


# ---------------------------------------------------------------------------- performance report
def report_month_for(meeting: Meeting, paper: Paper) -> Month | None:
    """The month the report covers: the paper's ``period`` option, else the latest month with
    data that ended before the meeting (a January meeting reports to November or December)."""
    if paper.options.get("period"):
        return Month.parse(paper.options["period"])
    from saferhub.performance.models import IndicatorValue

    cutoff = Month(meeting.date.year, meeting.date.month).label
    periods = [p for p in IndicatorValue.objects.filter(indicator__partnership=meeting.board.partnership)
               .values_list("period", flat=True).distinct() if "Q" not in p and p < cutoff]
    return Month.parse(max(periods)) if periods else None


@live_paper("performance_report", "Performance report")
def performance_paper(paper: Paper, meeting: Meeting, now: datetime.datetime) -> bytes:
    from saferhub.performance.report import build_performance_report
    from saferhub.rendering import render_report
    from saferhub.rendering.pack_pdf import render_html_pdf

    month = report_month_for(meeting, paper)
    if month is None:
        return render_html_pdf("rendering/pack_notice.html", {
            "title": paper.title, "message": "No performance figures had been imported before this meeting.", "now": now})
    report = build_performance_report(meeting.board.partnership, month)
    return render_report(report, "pdf")


# ------------------------------------------------------------------------ commissioning update
# The source returns None (no data yet) or a dict:
#   {"financial_year": "2017/18",
#    "intentions": [{"area": str, "recommendation": str, "opcc_contribution": Decimal | None,
#                    "total_budget": Decimal | None, "note": str}],
#    "balances": [{"label": str, "amount": Decimal}]}
CommissioningSource = Callable[..., Optional[dict[str, Any]]]


def _default_commissioning_source(*, partnership: Any, now: datetime.datetime) -> Optional[dict[str, Any]]:
    """Look for ``saferhub.commissioning.selectors.commissioning_update(partnership=, now=)``;
    None when the module or the function is not there yet."""
    try:
        module = importlib.import_module("saferhub.commissioning.selectors")
    except ImportError:
        return None
    fn = getattr(module, "commissioning_update", None)
    return fn(partnership=partnership, now=now) if callable(fn) else None


_commissioning_source: CommissioningSource = _default_commissioning_source


def connect_commissioning_source(source: CommissioningSource | None) -> None:
    """Connect the commissioning app: ``source(partnership=, now=)`` returns the dict above or
    None. ``None`` restores the default lazy lookup."""
    global _commissioning_source
    _commissioning_source = source or _default_commissioning_source


def commissioning_data(partnership: Any, now: datetime.datetime) -> Optional[dict[str, Any]]:
    try:
        data = _commissioning_source(partnership=partnership, now=now)
    except (LookupError, AttributeError, ImportError):
        # The commissioning app not yet migrated or missing a piece: a clear paper, not a crash.
        return None
    if not data or not (data.get("intentions") or data.get("balances")):
        return None
    return data


def _money(v: Any) -> str:
    if v is None or v == "":
        return "To be confirmed"
    if isinstance(v, str):
        return v
    return f"£{Decimal(v):,.2f}".replace(".00", "")


@live_paper("commissioning_update", "Commissioning update")
def commissioning_paper(paper: Paper, meeting: Meeting, now: datetime.datetime) -> bytes:
    from saferhub.rendering.pack_pdf import render_html_pdf

    data = commissioning_data(meeting.board.partnership, now)
    rows = [{**r, "opcc": _money(r.get("opcc_contribution")), "total": _money(r.get("total_budget"))}
            for r in (data or {}).get("intentions", [])]
    balances = [{"label": b["label"], "amount": _money(b["amount"])} for b in (data or {}).get("balances", [])]
    return render_html_pdf("rendering/pack_commissioning.html", {
        "title": paper.title, "data": data, "rows": rows, "balances": balances, "now": now,
        "partnership": meeting.board.partnership})


# ---------------------------------------------------------------------------- terms of reference
@live_paper("terms_of_reference", "Terms of reference")
def terms_paper(paper: Paper, meeting: Meeting, now: datetime.datetime) -> bytes:
    from saferhub.rendering.pack_pdf import render_html_pdf

    terms = meeting.board.terms.all()
    if paper.options.get("version"):
        terms = terms.filter(version=paper.options["version"])
    t = terms.first()
    if t is None:
        return render_html_pdf("rendering/pack_notice.html", {
            "title": paper.title, "message": "The board has no terms of reference recorded.", "now": now})
    return render_html_pdf("rendering/pack_terms.html", {"title": paper.title, "terms": t, "board": meeting.board,
                                                         "sections": list(t.sections.all()), "now": now})


# ---------------------------------------------------------------------------------- priorities
@live_paper("priorities", "Priorities: threat, risk and harm scores")
def priorities_paper(paper: Paper, meeting: Meeting, now: datetime.datetime) -> bytes:
    from saferhub.rendering.pack_pdf import render_html_pdf

    from .selectors import ranked_priorities

    ranked = ranked_priorities(meeting.board)
    return render_html_pdf("rendering/pack_priorities.html", {
        "title": paper.title, "ranked": ranked, "now": now,
        "illustrative": any(r["score"].illustrative for r in ranked if r["score"] is not None)})
