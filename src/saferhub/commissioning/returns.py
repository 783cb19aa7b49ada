"""The half-year return to the funder as a JSON-able dict: the header block, one section a
project, the RAG ticks, the checks and the sign-off block. Money is written as strings with two
decimals. A signed version is answered from its snapshot, so it stays reproducible."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from saferhub.domain import commissioning as rules

from .models import Award, HalfYearReturn, Intention, IntentionState, Project, ProjectReturn, Rag


def _m(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def spend_to_date(project: Project, period: str) -> Decimal:
    """A return's spend lines are that half year's spend; spend to date adds the year's earlier
    halves up to ``period`` (periods of one year sort in order: 2017-H1 < 2017-H2)."""
    return spend_to_date_for([project], through=period)[project.pk]


def spend_to_date_for(projects: list[Project], *, through: str | None = None) -> dict[int, Decimal]:
    """``spend_to_date`` of many projects in one query (the fund overview lists every project of
    every fund-year: a query each would grow with the list). ``through`` is the last half counted,
    by default each project's second half."""
    from django.db.models import Sum

    from .models import SpendLine

    by_period = (
        SpendLine.objects.filter(project_return__project__in=[p.pk for p in projects])
        .values("project_return__project", "project_return__period")
        .annotate(total=Sum("amount"))
        .values_list("project_return__project", "project_return__period", "total")
    )
    year_of = {p.pk: p.year for p in projects}
    totals: dict[int, Decimal] = {p.pk: Decimal("0.00") for p in projects}
    for pk, period, total in by_period:
        year = year_of[pk]
        if period.startswith(f"{year}-H") and period <= (through or f"{year}-H2"):
            totals[pk] += Decimal(total or 0)
    return {pk: total.quantize(Decimal("0.01")) for pk, total in totals.items()}


def _project_section(project: Project, pr: ProjectReturn | None, spent: Decimal) -> dict[str, Any]:
    provider = project.provider
    spend = list(pr.spend_lines.all()) if pr else []
    actuals = {a.kpi_id: a for a in pr.actuals.all()} if pr else {}
    return {
        "letter": project.letter,
        "title": project.title,
        "provider": provider.name if provider else None,
        "provider_type": provider.get_kind_display() if provider else None,
        "charity_number": (provider.charity_number or None) if provider else None,
        "company_number": (provider.company_number or None) if provider else None,
        "provider_note": project.provider_note,
        "commissioning_body": project.commissioning_body,
        "funding": _m(project.amount),
        "carried_forward_included": _m(project.carried_forward_included),
        "share_of_service": project.share_of_service,
        "total_service_budget": _m(project.total_service_budget),
        "funding_note": project.funding_note,
        "cofunders": [{"name": c.name, "amount": _m(c.amount), "note": c.note} for c in project.cofunders.all()],
        "contract_start": project.contract_start.isoformat() if project.contract_start else None,
        "contract_end": project.contract_end.isoformat() if project.contract_end else None,
        "expenditure_breakdown": project.expenditure_breakdown,
        "spend_lines": [{"category": s.category, "amount": _m(s.amount)} for s in spend],
        "spend_this_half": _m(sum((s.amount for s in spend), Decimal("0.00"))),
        "spend_to_date": _m(spent),
        "outcomes": [{"description": o.description, "measure": o.measure} for o in project.outcomes.all()],
        "how_measured": project.how_measured,
        "kpis": [
            {
                "name": k.name,
                "measure": k.measure,
                "annual_target": k.annual_target,
                "target_to_be_agreed": k.target_to_be_agreed,
                "evidence_source": k.evidence_source,
                "reporting_mechanism": k.reporting_mechanism,
                "actual": _m(actuals[k.pk].value) if k.pk in actuals else None,
                "actual_note": actuals[k.pk].note if k.pk in actuals else "",
            }
            for k in project.kpis.all()
        ],
        "milestones": [
            {
                "activity": m.activity,
                "deadline": m.deadline.isoformat(),
                "deadline_label": m.deadline_label or m.deadline.strftime("%-d %B %Y"),
                "deliverables": m.deliverables,
                "done": m.done,
            }
            for m in project.milestones.all()
        ],
        "achieved": pr.achieved if pr else "",
        "outcome_tables": outcome_tables(pr.achieved) if pr else [],
        "actions": pr.actions if pr else "",
        "rag": (pr.rag or None) if pr else None,
        "rag_label": Rag(pr.rag).label if pr and pr.rag else None,
        "rag_set_by": pr.rag_set_by if pr else "",
        "rag_set_at": pr.rag_set_at.isoformat() if pr and pr.rag_set_at else None,
        "review_state": pr.state if pr else None,
    }


def fund_checks(
    *,
    award: Award,
    projects: list[Project],
    spent: dict[str, Decimal],
    hyr: HalfYearReturn | None,
    today: datetime.date,
    intentions: list[Intention] | None = None,
) -> list[rules.Finding]:
    """Every check that applies to a year of a fund, in the order a reader meets them. Pass the
    fund-year's ``intentions`` when they are already loaded (a page listing many fund-years)."""
    findings = [
        rules.check_allocations(
            award=award.amount, carried_forward=award.carried_forward, allocations=[p.amount for p in projects]
        )
    ]
    if intentions is None:
        intentions = list(Intention.objects.filter(fund=award.fund, year=award.year))
    first = min(intentions, key=lambda i: i.as_at, default=None)
    if first is not None:
        confirmed = [
            i.contribution for i in intentions if i.as_at == first.as_at and i.state == IntentionState.CONFIRMED
        ]
        findings.append(
            rules.unallocated_intentions(award=award.amount, confirmed=confirmed, as_at=first.as_at.strftime("%B %Y"))
        )
    findings += [
        rules.check_spend(subject=p.letter, funding=p.amount, spend=[spent.get(p.letter, Decimal("0.00"))])
        for p in projects
    ]
    if hyr is not None:
        findings.append(rules.check_claim(claimed=hyr.claimed, award=award.amount, half=hyr.half.number))
        done = hyr.csp_signed_on if hyr.state != "draft" else None
        findings.append(rules.check_overdue(what="The half-year return", due=hyr.due_on, today=today, done_on=done))
    return findings


def build_half_year_return(
    hyr: HalfYearReturn, *, live: bool = False, today: datetime.date | None = None
) -> dict[str, Any]:
    """The return as data. A signed version gives its snapshot unless ``live`` is asked."""
    if hyr.snapshot is not None and not live:
        return hyr.snapshot
    half = hyr.half
    award = Award.objects.get(fund=hyr.fund, year=half.start_year)
    projects = list(
        Project.objects.filter(fund=hyr.fund, year=half.start_year)
        .select_related("provider")
        .prefetch_related("cofunders", "outcomes", "kpis", "milestones")
    )
    returns = {
        pr.project_id: pr
        for pr in ProjectReturn.objects.filter(project__in=projects, period=hyr.period).prefetch_related(
            "spend_lines", "actuals"
        )
    }
    spent_by_project = spend_to_date_for(projects, through=hyr.period)
    sections = [_project_section(p, returns.get(p.pk), spent_by_project[p.pk]) for p in projects]
    spent = {p.letter: spent_by_project[p.pk] for p in projects}
    when = today or (hyr.csp_signed_on if hyr.csp_signed_on else datetime.date.today())
    checks = fund_checks(award=award, projects=projects, spent=spent, hyr=hyr, today=when)
    fund = hyr.fund
    return {
        "kind": "half_year_return",
        "partnership": {"slug": fund.partnership.slug, "name": fund.partnership.name},
        "fund": {"slug": fund.slug, "name": fund.name, "funder": fund.funder.name},
        "financial_year": half.financial_year_label,
        "period": hyr.period,
        "period_name": half.name,
        "version": hyr.version,
        "state": hyr.state,
        "area": hyr.area,
        "half_year_end": hyr.half_year_end_label or half.last_day.strftime("%B %Y"),
        "due_on": hyr.due_on.isoformat() if hyr.due_on else None,
        "allocation": _m(award.amount),
        "carried_forward": _m(award.carried_forward),
        "carried_forward_note": award.carried_forward_note,
        "allocated": _m(sum((p.amount for p in projects), Decimal("0.00"))),
        "claimed": _m(hyr.claimed),
        "spent": _m(sum(spent.values(), Decimal("0.00"))),
        "projects": sections,
        "rag_scale": [{"code": r.value, "label": r.label} for r in Rag],
        "checks": [f.as_dict() for f in checks],
        "sign_off": {
            "csp_manager": _signature(
                rules.SignOffStep.CSP_MANAGER, hyr.csp_name, hyr.csp_job_title, hyr.csp_signed_on, hyr.csp_signed_by
            ),
            "treasurer": _signature(
                rules.SignOffStep.TREASURER, hyr.cfo_name, hyr.cfo_job_title, hyr.cfo_signed_on, hyr.cfo_signed_by
            ),
        },
    }


def _signature(
    step: rules.SignOffStep, name: str, job_title: str, on: datetime.date | None, account: Any
) -> dict[str, Any] | None:
    """A signature: the signatory's name and job title (copied from their account and office
    when they signed), the date, the office and the account's username. Snapshots signed
    before accounts were recorded have the first three keys only; every reader keeps to those."""
    if not name:
        return None
    signed = {"name": name, "job_title": job_title, "date": on.isoformat() if on else None}
    if account is not None:
        signed.update(office=rules.SIGN_OFF_OFFICES[step], account=account.get_username())
    return signed


def half_year_return_for(
    fund, year: int, *, half: int | None = None, version: int | None = None
) -> HalfYearReturn | None:
    qs = HalfYearReturn.objects.filter(fund=fund, period__startswith=f"{year}-H")
    if half is not None:
        qs = qs.filter(period=f"{year}-H{half}")
    if version is not None:
        qs = qs.filter(version=version)
    return qs.order_by("-period", "-version").first()


# --- outcome data as tables ---------------------------------------------------------------


def outcome_blocks(text: str) -> list[dict[str, Any]]:
    """A project's progress text as blocks, in order: ``{"text": ...}`` paragraphs and
    ``{"table": {"title", "columns", "rows"}}`` tables. A table is a paragraph whose lines after
    an optional title line all start with "|", cells separated by "|" (the first row the column
    headings), as the DOMES tables of the seed's project C."""
    blocks: list[dict[str, Any]] = []
    for paragraph in (text or "").split("\n\n"):
        if not paragraph.strip():
            continue
        lines = [line.strip() for line in paragraph.strip().split("\n")]
        title = "" if lines[0].startswith("|") else lines[0]
        rows = lines[1:] if title else lines
        if rows and all(line.startswith("|") for line in rows):
            cells = [[c.strip() for c in line[1:].split("|")] for line in rows]
            blocks.append({"table": {"title": title, "columns": cells[0], "rows": cells[1:]}})
        else:
            blocks.append({"text": paragraph.strip()})
    return blocks


def outcome_tables(text: str) -> list[dict[str, Any]]:
    return [b["table"] for b in outcome_blocks(text) if "table" in b]


def outcome_prose(text: str) -> str:
    """The progress text without its tables (for a spreadsheet cell)."""
    return "\n\n".join(b["text"] for b in outcome_blocks(text) if "text" in b)
