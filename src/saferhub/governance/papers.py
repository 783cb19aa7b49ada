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
    periods = [
        p
        for p in IndicatorValue.objects.filter(indicator__partnership=meeting.board.partnership)
        .values_list("period", flat=True)
        .distinct()
        if "Q" not in p and p < cutoff
    ]
    return Month.parse(max(periods)) if periods else None


@live_paper("performance_report", "Performance report")
def performance_paper(paper: Paper, meeting: Meeting, now: datetime.datetime) -> bytes:
    from saferhub.performance.report import build_performance_report
    from saferhub.rendering import render_report
    from saferhub.rendering.pack_pdf import render_html_pdf

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
    report = build_performance_report(meeting.board.partnership, month)
    return render_report(report, "pdf")


# ------------------------------------------------------------------------ commissioning update
# None (no data yet) or a dict:
#   {"financial_year": "2017/18",
#    "intentions": [{"area": str, "recommendation": str, "opcc_contribution": Decimal | None,
#                    "total_budget": Decimal | None, "note": str}],
#    "balances": [{"label": str, "amount": Decimal}]}
def commissioning_from_models(*, partnership: Any, now: datetime.datetime) -> Optional[dict[str, Any]]:
    """The commissioning app's funds, awards, intentions and projects: the intentions of the
    latest year that has any, and per fund that year's award, carry-forward, what projects commit
    and what remains. None when there are no intentions."""
    from saferhub.commissioning.models import Award, Fund, Intention, Project

    funds = list(Fund.objects.filter(partnership=partnership).order_by("name"))
    intentions = list(Intention.objects.filter(fund__in=funds))
    if not intentions:
        return None
    year = max(i.year for i in intentions)
    rows = [
        {
            "area": i.area_of_need,
            "recommendation": i.recommendation,
            "opcc_contribution": i.contribution,
            "total_budget": i.total_budget if i.total_budget is not None else (i.total_budget_note or None),
            "note": "" if i.state == "confirmed" else i.get_state_display(),
        }
        for i in sorted((i for i in intentions if i.year == year), key=lambda i: (i.fund_id, i.as_at, i.position))
    ]
    balances = []
    for fund in funds:
        award = Award.objects.filter(fund=fund, year=year).first()
        if award is None:
            continue
        committed = sum((p.amount for p in Project.objects.filter(fund=fund, year=year)), Decimal(0))
        confirmed = sum(
            (
                i.contribution
                for i in intentions
                if i.fund_id == fund.pk and i.year == year and i.contribution is not None and i.state == "confirmed"
            ),
            Decimal(0),
        )
        label = f"{fund.name} {award.year_label}"
        balances += [
            {"label": f"{label}: award", "amount": award.amount},
            {"label": f"{label}: carried forward", "amount": award.carried_forward},
            {"label": f"{label}: available", "amount": award.available},
            {"label": f"{label}: confirmed intentions", "amount": confirmed},
            {"label": f"{label}: committed to projects", "amount": committed},
            {"label": f"{label}: not yet committed", "amount": award.available - committed},
        ]
    return {"financial_year": f"{year}/{(year + 1) % 100:02d}", "intentions": rows, "balances": balances}


def commissioning_data(partnership: Any, now: datetime.datetime) -> Optional[dict[str, Any]]:
    from django.core.exceptions import FieldError
    from django.db import DatabaseError, transaction

    try:
        # A savepoint: a missing table must not break the pack's own transaction.
        with transaction.atomic():
            data = commissioning_from_models(partnership=partnership, now=now)
    except (LookupError, FieldError, DatabaseError):
        # The commissioning tables not yet migrated, or unreadable: a clear paper, not a crash.
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
    rows = [
        {**r, "opcc": _money(r.get("opcc_contribution")), "total": _money(r.get("total_budget"))}
        for r in (data or {}).get("intentions", [])
    ]
    balances = [{"label": b["label"], "amount": _money(b["amount"])} for b in (data or {}).get("balances", [])]
    return render_html_pdf(
        "rendering/pack_commissioning.html",
        {
            "title": paper.title,
            "data": data,
            "rows": rows,
            "balances": balances,
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
    return render_html_pdf(
        "rendering/pack_terms.html",
        {"title": paper.title, "terms": t, "board": meeting.board, "sections": list(t.sections.all()), "now": now},
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
            "illustrative": any(r["score"].illustrative for r in ranked if r["score"] is not None),
        },
    )
