"""The half-year return to the funder, built from the database as the domain's typed value
(``saferhub.domain.returns.ReturnDocument``). A signed version is answered from its snapshot
(the JSON stored when it was signed, read back by ``rendering.return_json.return_from_json``), so it stays reproducible."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from saferhub.domain import commissioning as rules
from saferhub.domain import returns as doc
from saferhub.rendering.return_json import return_from_json

from .models import Award, HalfYearReturn, Intention, IntentionState, Project, ProjectReturn


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


def _appendices(project: Project, first: int) -> tuple[doc.Appendix, ...]:
    """A project's appendices, lettered from the ``first``-th letter of the return (A = 0)."""
    return tuple(
        doc.Appendix(
            letter=doc.appendix_letter(first + i),
            title=a.title,
            kind=doc.AppendixKind(a.kind),
            text=a.text,
            pdf_sha=a.file_id or "",
            pdf_name=a.file_name,
            pdf_pages=a.file.pages if a.file else 0,
        )
        for i, a in enumerate(project.appendices.all())
    )


def _project_section(
    project: Project, pr: ProjectReturn | None, spent: Decimal, *, first_appendix: int = 0
) -> doc.ProjectSection:
    provider = project.provider
    spend = list(pr.spend_lines.all()) if pr else []
    actuals = {a.kpi_id: a for a in pr.actuals.all()} if pr else {}
    return doc.ProjectSection(
        letter=project.letter,
        title=project.title,
        provider=provider.name if provider else None,
        provider_type=provider.get_kind_display() if provider else None,
        charity_number=(provider.charity_number or None) if provider else None,
        company_number=(provider.company_number or None) if provider else None,
        provider_note=project.provider_note,
        commissioning_body=project.commissioning_body,
        funding=project.amount,
        carried_forward_included=project.carried_forward_included,
        share_of_service=project.share_of_service,
        total_service_budget=project.total_service_budget,
        funding_note=project.funding_note,
        cofunders=tuple(doc.Cofunder(name=c.name, amount=c.amount, note=c.note) for c in project.cofunders.all()),
        contract_start=project.contract_start,
        contract_end=project.contract_end,
        expenditure_breakdown=project.expenditure_breakdown,
        spend_lines=tuple(doc.SpendLine(category=s.category, amount=s.amount) for s in spend),
        spend_this_half=sum((s.amount for s in spend), Decimal("0.00")),
        spend_to_date=spent,
        outcomes=tuple(doc.Outcome(description=o.description, measure=o.measure) for o in project.outcomes.all()),
        how_measured=project.how_measured,
        kpis=tuple(
            doc.Kpi(
                name=k.name,
                measure=k.measure,
                annual_target=k.annual_target,
                target_to_be_agreed=k.target_to_be_agreed,
                evidence_source=k.evidence_source,
                reporting_mechanism=k.reporting_mechanism,
                actual=actuals[k.pk].value if k.pk in actuals else None,
                actual_note=actuals[k.pk].note if k.pk in actuals else "",
            )
            for k in project.kpis.all()
        ),
        milestones=tuple(
            doc.Milestone(
                activity=m.activity,
                deadline=m.deadline,
                deadline_label=m.deadline_label or m.deadline.strftime("%-d %B %Y"),
                deliverables=m.deliverables,
                done=m.done,
            )
            for m in project.milestones.all()
        ),
        achieved=pr.achieved if pr else "",
        actions=pr.actions if pr else "",
        rag=rules.Rag(pr.rag) if pr and pr.rag else None,
        rag_set_by=pr.rag_set_by if pr else "",
        rag_set_at=pr.rag_set_at if pr else None,
        review_state=rules.ReviewState(pr.state) if pr else None,
        appendices=_appendices(project, first_appendix),
    )


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
        done = hyr.csp_signed_on if hyr.state != rules.SignOffState.DRAFT else None
        findings.append(rules.check_overdue(what="The half-year return", due=hyr.due_on, today=today, done_on=done))
    return findings


def build_half_year_return(
    hyr: HalfYearReturn, *, live: bool = False, today: datetime.date | None = None
) -> doc.ReturnDocument:
    """The return as a typed value. A signed version gives its snapshot (read back from its
    stored JSON, of whatever schema version) unless ``live`` is asked."""
    if hyr.snapshot is not None and not live:
        return return_from_json(hyr.snapshot)
    half = hyr.half
    award = Award.objects.get(fund=hyr.fund, year=half.start_year)
    projects = list(
        Project.objects.filter(fund=hyr.fund, year=half.start_year)
        .select_related("provider")
        .prefetch_related("cofunders", "outcomes", "kpis", "milestones", "appendices__file")
    )
    returns = {
        pr.project_id: pr
        for pr in ProjectReturn.objects.filter(project__in=projects, period=hyr.period).prefetch_related(
            "spend_lines", "actuals"
        )
    }
    spent_by_project = spend_to_date_for(projects, through=hyr.period)
    sections: list[doc.ProjectSection] = []
    for p in projects:  # appendices are lettered A, B, ... through the whole return, in project order
        first = sum(len(s.appendices) for s in sections)
        sections.append(_project_section(p, returns.get(p.pk), spent_by_project[p.pk], first_appendix=first))
    spent = {p.letter: spent_by_project[p.pk] for p in projects}
    figures = rules.FundYearFigures.of(award.available, (p.amount for p in projects), spent.values())
    when = today or (hyr.csp_signed_on if hyr.csp_signed_on else datetime.date.today())
    checks = fund_checks(award=award, projects=projects, spent=spent, hyr=hyr, today=when)
    checks += doc.check_appendix_references(sections)
    fund = hyr.fund
    return doc.ReturnDocument(
        partnership=doc.Partnership(slug=fund.partnership.slug, name=fund.partnership.name),
        fund=doc.Fund(slug=fund.slug, name=fund.name, funder=fund.funder.name),
        period=half,
        version=hyr.version,
        state=rules.SignOffState(hyr.state),
        area=hyr.area,
        half_year_end=hyr.half_year_end_label or half.last_day.strftime("%B %Y"),
        due_on=hyr.due_on,
        allocation=award.amount,
        carried_forward=award.carried_forward,
        carried_forward_note=award.carried_forward_note,
        allocated=figures.allocated,
        claimed=hyr.claimed,
        spent=figures.spent,
        projects=tuple(sections),
        checks=tuple(doc.Check.of(f) for f in checks),
        csp_manager=_signature(
            rules.SignOffStep.CSP_MANAGER, hyr.csp_name, hyr.csp_job_title, hyr.csp_signed_on, hyr.csp_signed_by
        ),
        treasurer=_signature(
            rules.SignOffStep.TREASURER, hyr.cfo_name, hyr.cfo_job_title, hyr.cfo_signed_on, hyr.cfo_signed_by
        ),
    )


def _signature(
    step: rules.SignOffStep, name: str, job_title: str, on: datetime.date | None, account: Any
) -> doc.Signature | None:
    """A signature: the signatory's name and job title (copied from their account and office
    when they signed), the date, the office and the account's username."""
    if not name:
        return None
    if account is None:
        return doc.Signature(name=name, job_title=job_title, date=on)
    return doc.Signature(
        name=name, job_title=job_title, date=on, office=rules.SIGN_OFF_OFFICES[step], account=account.get_username()
    )


def half_year_return_for(
    fund, year: int, *, half: int | None = None, version: int | None = None
) -> HalfYearReturn | None:
    qs = HalfYearReturn.objects.filter(fund=fund, period__startswith=f"{year}-H")
    if half is not None:
        qs = qs.filter(period=f"{year}-H{half}")
    if version is not None:
        qs = qs.filter(version=version)
    return qs.order_by("-period", "-version").first()
