"""What the half-year return says, as display text, shared by its PDF and Word renderings so
they cannot disagree. Input is the JSON-able return of ``commissioning.returns``."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from saferhub.commissioning.returns import outcome_blocks
from saferhub.domain.commissioning import check_words, format_money

RAG_ROWS = [
    ("achieved", "Outcomes Achieved"),
    ("on_track", "On Track to Achieve"),
    ("behind", "Not Achieved/Behind Schedule"),
]
TICK = "✓"
CHECK_LABELS = {
    "allocations_reconcile": "Allocations equal award plus carry-forward",
    "unallocated_intentions": "Unallocated balance of the intentions",
    "spend_within_funding": "Spend within funding",
    "claim_matches_schedule": "Claim matches the schedule",
    "return_on_time": "Return made by its deadline",
}


def money_text(value: str | None, *, pence: bool | None = None) -> str:
    return "" if value is None else format_money(Decimal(value), pence=pence)


def _date(value: str | None) -> str:
    return datetime.date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""


def funding_text(p: dict[str, Any]) -> str:
    parts = [money_text(p["funding"])]
    if p["share_of_service"]:
        total = f" (total service budget {money_text(p['total_service_budget'])})" if p["total_service_budget"] else ""
        parts.append(f"which provides {p['share_of_service']} of the total service funding{total}.")
    if p["carried_forward_included"] and Decimal(p["carried_forward_included"]):
        parts.append(f"Includes {money_text(p['carried_forward_included'])} carried forward.")
    for c in p["cofunders"]:
        amount = f" {money_text(c['amount'])}" if c["amount"] else ""
        note = f" ({c['note']})" if c["note"] else ""
        parts.append(f"Co-funded by {c['name']}{amount}{note}.")
    if p["funding_note"]:
        parts.append(p["funding_note"])
    return " ".join(parts)


def provider_text(p: dict[str, Any]) -> str:
    if not p["provider"]:
        who = p["provider_note"] or "Provider not yet appointed"
    else:
        who = f"Delivered by {p['provider']} ({(p['provider_type'] or '').lower()})"
        if p["charity_number"]:
            who += f", registered charity {p['charity_number']}"
        if p["company_number"]:
            who += f", company {p['company_number']}"
        if p["provider_note"]:
            who += f". {p['provider_note']}"
    if p["commissioning_body"]:
        who += f". Commissioned through {p['commissioning_body']}"
    return who + "."


def spend_text(p: dict[str, Any]) -> str:
    if p["spend_lines"] or Decimal(p["spend_to_date"]):
        this_half = p.get("spend_this_half") or p["spend_to_date"]
        if this_half != p["spend_to_date"]:
            return f"{money_text(p['spend_to_date'])} to date, of which {money_text(this_half)} in this half year."
        return f"{money_text(p['spend_to_date'])} to date."
    return p["expenditure_breakdown"] or "No spend recorded to date."


def kpi_rows(p: dict[str, Any]) -> list[list[str]]:
    rows = []
    for k in p["kpis"]:
        actual = k["actual"]
        # 20.00 reads as 20, 68.50 as 68.5 (``:f`` keeps normalize() from writing 2E+1)
        shown = "" if actual is None else f"{Decimal(actual).normalize():f}"
        if k["actual_note"]:
            shown = f"{shown} – {k['actual_note']}" if shown else k["actual_note"]
        rows.append(
            [
                k["name"],
                k["measure"],
                k["annual_target"],
                k["evidence_source"],
                k["reporting_mechanism"],
                shown or "Not yet reported",
            ]
        )
    return rows


STATUS_TEXT = {
    "draft": "Draft: not yet signed",
    "csp_signed": "Signed by the CSP manager; awaiting the treasurer/CFO",
    "signed": "Signed off",
}
KPI_HEADINGS = [
    "Key performance indicator",
    "Measure",
    "Annual target",
    "Evidence source",
    "Reporting mechanism",
    "This half year",
]


def signature(sig: dict[str, Any] | None) -> dict[str, str]:
    if not sig:
        return {"name": "", "job_title": "", "date": "", "signed": ""}
    return {
        "name": sig["name"].upper(),
        "job_title": sig["job_title"].upper(),
        "date": _date(sig["date"]),
        "signed": f"Signed electronically by {sig['name']}",
    }


def present(data: dict[str, Any]) -> dict[str, Any]:
    """The return with every display string computed once."""
    projects = []
    for p in data["projects"]:
        projects.append(
            {
                **p,
                "funding_text": funding_text(p),
                "provider_text": provider_text(p),
                "spend_text": spend_text(p),
                "spend_rows": [[s["category"], money_text(s["amount"], pence=True)] for s in p["spend_lines"]],
                "kpi_rows": kpi_rows(p),
                "rag_rows": [(label, TICK if p["rag"] == code else "") for code, label in RAG_ROWS],
                "rag_by": f"Rated by {p['rag_set_by']} on {_date(p['rag_set_at'][:10])}" if p["rag_set_at"] else "",
                "achieved_paragraphs": [b["text"] for b in outcome_blocks(p["achieved"]) if "text" in b],
                "achieved_blocks": outcome_blocks(p["achieved"]),
                "actions_paragraphs": [t for t in p["actions"].split("\n\n") if t.strip()],
            }
        )
    checks = [
        {
            **c,
            "label": CHECK_LABELS.get(c["code"], c["code"]),
            "status": check_words(c["ok"]),
        }
        for c in data["checks"]
    ]
    fy = data["financial_year"].replace("/", "-")
    return {
        **data,
        "title": f"HALF YEAR REPORT RETURN - {data['fund']['name'].upper()} {fy}",
        "due_text": _date(data["due_on"]),
        "due_long": datetime.date.fromisoformat(data["due_on"]).strftime("%A %-d %B %Y") if data["due_on"] else "",
        "allocation_text": money_text(data["allocation"]),
        "claimed_text": money_text(data["claimed"]),
        "allocated_text": money_text(data["allocated"]),
        "carried_forward_text": money_text(data["carried_forward"]),
        "half_word": "First" if data["period"].endswith("H1") else "Second",
        "projects": projects,
        "checks": checks,
        "csp": signature(data["sign_off"]["csp_manager"]),
        "cfo": signature(data["sign_off"]["treasurer"]),
        "status_text": STATUS_TEXT[data["state"]],
    }
