"""The half-year return (``saferhub.domain.returns.ReturnDocument``) as JSON, and back: the one
writer (``return_to_json``: what a signed return's snapshot stores, the JSON download and the API
give) and the one reader (``return_from_json``), which upgrades an older schema in one place.
Snapshots signed before the version was recorded are version 1.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Mapping

from saferhub.domain.commissioning import Rag, ReviewState, SignOffState, parse_half
from saferhub.domain.problems import SaferhubError
from saferhub.domain.returns import (
    Appendix,
    AppendixKind,
    Check,
    Cofunder,
    Fund,
    Kpi,
    Milestone,
    Outcome,
    Partnership,
    ProjectSection,
    ReturnDocument,
    Signature,
    SpendLine,
)

__all__ = ["SCHEMA_VERSION", "ReturnSchemaError", "return_to_json", "return_from_json"]

# 1: snapshots signed before the version was written (no "schema_version" key).
# 2: the typed return; the same keys, with "schema_version".
# 3: appendices attached to each project (issue 17).
SCHEMA_VERSION = 3


class ReturnSchemaError(SaferhubError, ValueError):
    """Stored JSON that is not a half-year return this code can read."""


JSON = dict[str, Any]


def _m(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _signature_json(sig: Signature | None) -> JSON | None:
    if sig is None:
        return None
    out: JSON = {"name": sig.name, "job_title": sig.job_title, "date": _iso(sig.date)}
    if sig.account is not None:
        out.update(office=sig.office, account=sig.account)
    return out


def _appendix_json(a: Appendix) -> JSON:
    out: JSON = {"letter": a.letter, "title": a.title, "kind": a.kind.value}
    if a.is_pdf:
        out.update(pdf_sha=a.pdf_sha, pdf_name=a.pdf_name, pdf_pages=a.pdf_pages)
    else:
        out["text"] = a.text
    return out


def _project_json(p: ProjectSection) -> JSON:
    return {
        "letter": p.letter,
        "title": p.title,
        "provider": p.provider,
        "provider_type": p.provider_type,
        "charity_number": p.charity_number,
        "company_number": p.company_number,
        "provider_note": p.provider_note,
        "commissioning_body": p.commissioning_body,
        "funding": _m(p.funding),
        "carried_forward_included": _m(p.carried_forward_included),
        "share_of_service": p.share_of_service,
        "total_service_budget": _m(p.total_service_budget),
        "funding_note": p.funding_note,
        "cofunders": [{"name": c.name, "amount": _m(c.amount), "note": c.note} for c in p.cofunders],
        "contract_start": _iso(p.contract_start),
        "contract_end": _iso(p.contract_end),
        "expenditure_breakdown": p.expenditure_breakdown,
        "spend_lines": [{"category": s.category, "amount": _m(s.amount)} for s in p.spend_lines],
        "spend_this_half": _m(p.spend_this_half),
        "spend_to_date": _m(p.spend_to_date),
        "outcomes": [{"description": o.description, "measure": o.measure} for o in p.outcomes],
        "how_measured": p.how_measured,
        "kpis": [
            {
                "name": k.name,
                "measure": k.measure,
                "annual_target": k.annual_target,
                "target_to_be_agreed": k.target_to_be_agreed,
                "evidence_source": k.evidence_source,
                "reporting_mechanism": k.reporting_mechanism,
                "actual": _m(k.actual),
                "actual_note": k.actual_note,
            }
            for k in p.kpis
        ],
        "milestones": [
            {
                "activity": m.activity,
                "deadline": m.deadline.isoformat(),
                "deadline_label": m.deadline_label,
                "deliverables": m.deliverables,
                "done": m.done,
            }
            for m in p.milestones
        ],
        "achieved": p.achieved,
        "outcome_tables": [
            {"title": t.title, "columns": list(t.columns), "rows": [list(r) for r in t.rows]} for t in p.outcome_tables
        ],
        "actions": p.actions,
        "rag": p.rag.value if p.rag else None,
        "rag_label": p.rag_label,
        "rag_set_by": p.rag_set_by,
        "rag_set_at": p.rag_set_at.isoformat() if p.rag_set_at else None,
        "review_state": p.review_state.value if p.review_state else None,
        "appendices": [_appendix_json(a) for a in p.appendices],
    }


def return_to_json(r: ReturnDocument) -> JSON:
    """The return as JSON-able data: money as strings with two decimals, dates in ISO form."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "half_year_return",
        "partnership": {"slug": r.partnership.slug, "name": r.partnership.name},
        "fund": {"slug": r.fund.slug, "name": r.fund.name, "funder": r.fund.funder},
        "financial_year": r.financial_year,
        "period": r.period.label,
        "period_name": r.period_name,
        "version": r.version,
        "state": r.state.value,
        "area": r.area,
        "half_year_end": r.half_year_end,
        "due_on": _iso(r.due_on),
        "allocation": _m(r.allocation),
        "carried_forward": _m(r.carried_forward),
        "carried_forward_note": r.carried_forward_note,
        "allocated": _m(r.allocated),
        "claimed": _m(r.claimed),
        "spent": _m(r.spent),
        "projects": [_project_json(p) for p in r.projects],
        "rag_scale": [{"code": rag.value, "label": rag.label} for rag in Rag],
        "checks": [{"code": c.code, "ok": c.ok, "subject": c.subject, "message": c.message} for c in r.checks],
        "sign_off": {"csp_manager": _signature_json(r.csp_manager), "treasurer": _signature_json(r.treasurer)},
    }


def _money(value: object) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _day(value: object) -> datetime.date | None:
    return datetime.date.fromisoformat(str(value)) if value else None


def _upgrade(data: Mapping[str, Any]) -> JSON:
    """Stored JSON of any version as the current version's keys (the one place old versions
    are understood). Version 1 snapshots may lack keys added later: those read as absent."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or not 1 <= version <= SCHEMA_VERSION:
        raise ReturnSchemaError(
            f"a half-year return of schema version {version!r} (this code reads 1 to {SCHEMA_VERSION})"
        )
    if data.get("kind", "half_year_return") != "half_year_return":
        raise ReturnSchemaError(f"{data.get('kind')!r} is not a half-year return")
    out = dict(data)
    if version < 3:  # no appendices before version 3
        out["projects"] = [{**p, "appendices": []} for p in data["projects"]]
    out["schema_version"] = SCHEMA_VERSION
    return out


def _appendix(a: Mapping[str, Any]) -> Appendix:
    return Appendix(
        letter=a["letter"],
        title=a["title"],
        kind=AppendixKind(a["kind"]),
        text=a.get("text", ""),
        pdf_sha=a.get("pdf_sha", ""),
        pdf_name=a.get("pdf_name", ""),
        pdf_pages=a.get("pdf_pages", 0),
    )


def _project(p: Mapping[str, Any]) -> ProjectSection:
    return ProjectSection(
        letter=p["letter"],
        title=p["title"],
        provider=p.get("provider"),
        provider_type=p.get("provider_type"),
        charity_number=p.get("charity_number"),
        company_number=p.get("company_number"),
        provider_note=p.get("provider_note") or "",
        commissioning_body=p.get("commissioning_body") or "",
        funding=Decimal(p["funding"]),
        carried_forward_included=_money(p.get("carried_forward_included")),
        share_of_service=p.get("share_of_service") or "",
        total_service_budget=_money(p.get("total_service_budget")),
        funding_note=p.get("funding_note") or "",
        cofunders=tuple(
            Cofunder(name=c["name"], amount=_money(c.get("amount")), note=c.get("note") or "")
            for c in p.get("cofunders") or []
        ),
        contract_start=_day(p.get("contract_start")),
        contract_end=_day(p.get("contract_end")),
        expenditure_breakdown=p.get("expenditure_breakdown") or "",
        spend_lines=tuple(
            SpendLine(category=s["category"], amount=Decimal(s["amount"])) for s in p.get("spend_lines") or []
        ),
        spend_this_half=_money(p.get("spend_this_half")),
        spend_to_date=Decimal(p["spend_to_date"]),
        outcomes=tuple(
            Outcome(description=o["description"], measure=o.get("measure") or "") for o in p.get("outcomes") or []
        ),
        how_measured=p.get("how_measured") or "",
        kpis=tuple(
            Kpi(
                name=k["name"],
                measure=k.get("measure") or "",
                annual_target=k.get("annual_target") or "",
                target_to_be_agreed=bool(k.get("target_to_be_agreed")),
                evidence_source=k.get("evidence_source") or "",
                reporting_mechanism=k.get("reporting_mechanism") or "",
                actual=_money(k.get("actual")),
                actual_note=k.get("actual_note") or "",
            )
            for k in p.get("kpis") or []
        ),
        milestones=tuple(
            Milestone(
                activity=m["activity"],
                deadline=datetime.date.fromisoformat(m["deadline"]),
                deadline_label=m.get("deadline_label") or "",
                deliverables=m.get("deliverables") or "",
                done=bool(m.get("done")),
            )
            for m in p.get("milestones") or []
        ),
        achieved=p.get("achieved") or "",
        actions=p.get("actions") or "",
        rag=Rag(p["rag"]) if p.get("rag") else None,
        rag_set_by=p.get("rag_set_by") or "",
        rag_set_at=datetime.datetime.fromisoformat(p["rag_set_at"]) if p.get("rag_set_at") else None,
        review_state=ReviewState(p["review_state"]) if p.get("review_state") else None,
        appendices=tuple(_appendix(a) for a in p["appendices"]),
    )


def _signature(sig: Mapping[str, Any] | None) -> Signature | None:
    if not sig:
        return None
    return Signature(
        name=sig["name"],
        job_title=sig.get("job_title") or "",
        date=_day(sig.get("date")),
        office=sig.get("office"),
        account=sig.get("account"),
    )


def return_from_json(stored: Mapping[str, Any]) -> ReturnDocument:
    """The typed return from stored JSON of any schema version (a signed return's snapshot)."""
    try:
        data = _upgrade(stored)
        sign_off = data.get("sign_off") or {}
        return ReturnDocument(
            partnership=Partnership(slug=data["partnership"]["slug"], name=data["partnership"]["name"]),
            fund=Fund(slug=data["fund"]["slug"], name=data["fund"]["name"], funder=data["fund"]["funder"]),
            period=parse_half(data["period"]),
            version=int(data["version"]),
            state=SignOffState(data["state"]),
            area=data.get("area") or "",
            half_year_end=data.get("half_year_end") or "",
            due_on=_day(data.get("due_on")),
            allocation=Decimal(data["allocation"]),
            carried_forward=Decimal(data.get("carried_forward") or "0.00"),
            carried_forward_note=data.get("carried_forward_note") or "",
            allocated=Decimal(data["allocated"]),
            claimed=Decimal(data["claimed"]),
            spent=Decimal(data.get("spent") or "0.00"),
            projects=tuple(_project(p) for p in data["projects"]),
            checks=tuple(
                Check(code=c["code"], ok=c.get("ok"), subject=c.get("subject") or "", message=c.get("message") or "")
                for c in data.get("checks") or []
            ),
            csp_manager=_signature(sign_off.get("csp_manager")),
            treasurer=_signature(sign_off.get("treasurer")),
            schema_version=int(stored.get("schema_version", 1)),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        if isinstance(exc, ReturnSchemaError):
            raise
        raise ReturnSchemaError(f"stored half-year return cannot be read: {exc!r}") from exc
