"""The commissioning set-up pages: a partnership's funds, their awards, carry-forward,
intentions, projects (with their KPIs, outcomes, milestones and co-funders) and the claim
schedule, created, changed and retired by whoever may edit commissioning (``commissioning.edit``:
administrators and commissioners). Thin views: a form, one service from ``setup``, a redirect."""

from __future__ import annotations

from typing import Any, Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.permissions import has_permission, require
from saferhub.domain.commissioning import Half, format_money, scheduled_claim
from saferhub.domain.problems import SaferhubError
from saferhub.govuk_pages import confirm_page, form_page
from saferhub.partnerships.models import Partnership

from . import setup
from .models import Award, Fund, HalfYearReturn, Intention, Office, Project
from .services import office_holders
from .setup_forms import (
    PART_FORMS,
    AwardForm,
    AwardsForm,
    CarryForwardForm,
    ClaimForm,
    FundForm,
    IntentionForm,
    ProjectForm,
)

# The one base: a refused change (CommissioningError, MoneyError, TransitionError) is shown as it is.
_REFUSALS = (SaferhubError,)


def _partnership(request: HttpRequest, slug: str) -> Partnership:
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise Http404("No such partnership")
    require("commissioning.edit", request.user, partnership, request=request)
    return partnership


def _fund(request: HttpRequest, slug: str, fund_slug: str) -> Fund:
    partnership = _partnership(request, slug)
    # Retired funds stay readable here (their history); their forms refuse changes.
    fund = Fund.all_objects.filter(partnership=partnership, slug=fund_slug).select_related("funder").first()
    if fund is None:
        raise Http404("No such fund")
    return fund


def _project(request: HttpRequest, slug: str, fund_slug: str, pk: int) -> Project:
    fund = _fund(request, slug, fund_slug)
    project = Project.all_objects.filter(fund=fund, pk=pk).select_related("provider", "intention").first()
    if project is None:
        raise Http404("No such project")
    return project


def _fund_url(fund: Fund) -> str:
    return reverse("commissioning:setup-fund", args=[fund.partnership.slug, fund.slug])


def _project_url(project: Project) -> str:
    return reverse("commissioning:setup-project", args=[project.fund.partnership.slug, project.fund.slug, project.pk])


def _form_page(
    request: HttpRequest,
    form,
    save: Callable[[dict], str],
    *,
    title: str,
    caption: str,
    back: str,
    submit: str,
    done: str,
    intro: str = "",
) -> HttpResponse:
    return form_page(
        request,
        form,
        save,
        template="commissioning/setup_form.html",
        context={"title": title, "caption": caption, "back": back, "submit": submit, "intro": intro},
        done=done,
        refusals=_REFUSALS,
    )


def _confirm_page(
    request: HttpRequest, retire: Callable[[], Any], *, what: str, caption: str, back: str, done_url: str, explain: str
) -> HttpResponse:
    """Ask before retiring (GET), retire on the answer (POST)."""
    return confirm_page(
        request,
        retire,
        template="commissioning/setup_confirm.html",
        context={"what": what, "caption": caption, "back": back, "explain": explain},
        done=f"{what[0].upper()}{what[1:]} retired",
        done_url=done_url,
        refusals=_REFUSALS,
    )


# ----------------------------------------------------------------------------------- funds
@login_required
def setup_funds(request: HttpRequest, slug: str) -> HttpResponse:
    """The entry page: the partnership's funds, the way to add one, and who signs the returns."""
    partnership = _partnership(request, slug)
    funds = list(Fund.all_objects.filter(partnership=partnership).select_related("funder").order_by("name"))
    held = office_holders(partnership)
    return render(
        request,
        "commissioning/setup_funds.html",
        {
            "partnership": partnership,
            "funds": [f for f in funds if not f.retired],
            "retired_funds": [f for f in funds if f.retired],
            "awards": {f.pk: list(f.awards.all()) for f in funds},
            "offices": [(label, held.get(value)) for value, label in Office.choices],
            "can_appoint": has_permission("commissioning.offices.manage", request.user, partnership),
        },
    )


@login_required
def fund_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    form = FundForm(request.POST or None)

    def save(data: dict) -> str:
        fund = setup.fund_create(partnership=partnership, actor=request.user, now=timezone.now(), **data)
        return _fund_url(fund)

    return _form_page(
        request,
        form,
        save,
        title="Add a fund",
        caption=partnership.name,
        back=reverse("commissioning:setup-funds", args=[slug]),
        submit="Add the fund",
        done="Fund added",
        intro="A fund awards the partnership money each financial year, for example the PCC's Community Safety Fund.",
    )


@login_required
def fund_page(request: HttpRequest, slug: str, fund_slug: str) -> HttpResponse:
    fund = _fund(request, slug, fund_slug)
    awards = list(fund.awards.all())
    returns = {}
    for h in HalfYearReturn.objects.filter(fund=fund).order_by("period", "version"):
        returns[h.period] = h  # the latest version wins
    schedule = [
        {
            "award": a,
            "halves": [
                {
                    "half": Half(a.year, n),
                    "due": scheduled_claim(award=a.amount, half=n),
                    "hyr": returns.get(f"{a.year}-H{n}"),
                }
                for n in (1, 2)
            ],
        }
        for a in awards
    ]
    intentions = list(Intention.all_objects.filter(fund=fund).order_by("year", "as_at", "position"))
    projects = list(Project.all_objects.filter(fund=fund).select_related("provider").order_by("-year", "letter"))
    return render(
        request,
        "commissioning/setup_fund.html",
        {
            "fund": fund,
            "partnership": fund.partnership,
            "awards": awards,
            "schedule": schedule,
            "intentions": [i for i in intentions if not i.retired],
            "retired_intentions": [i for i in intentions if i.retired],
            "projects": [p for p in projects if not p.retired],
            "retired_projects": [p for p in projects if p.retired],
        },
    )


@login_required
def fund_edit(request: HttpRequest, slug: str, fund_slug: str) -> HttpResponse:
    fund = _fund(request, slug, fund_slug)
    initial = {"name": fund.name, "funder": fund.funder, "channelled_through": fund.channelled_through}
    form = FundForm(request.POST or None, initial=initial, editing=True)

    def save(data: dict) -> str:
        setup.fund_update(fund=fund, actor=request.user, now=timezone.now(), **data)
        return _fund_url(fund)

    return _form_page(
        request,
        form,
        save,
        title="Change the fund",
        caption=fund.name,
        back=_fund_url(fund),
        submit="Save",
        done="Fund changed",
    )


@login_required
def fund_retire(request: HttpRequest, slug: str, fund_slug: str) -> HttpResponse:
    fund = _fund(request, slug, fund_slug)
    return _confirm_page(
        request,
        lambda: setup.fund_retire(fund=fund, actor=request.user, now=timezone.now()),
        what=f"the fund {fund.name}",
        caption=fund.partnership.name,
        back=_fund_url(fund),
        done_url=reverse("commissioning:setup-funds", args=[slug]),
        explain="Its awards, projects and returns are kept for the record, but it will no longer be offered "
        "for new work or shown on the commissioning overview.",
    )


# ---------------------------------------------------------------------------------- awards
@login_required
def award_add(request: HttpRequest, slug: str, fund_slug: str) -> HttpResponse:
    fund = _fund(request, slug, fund_slug)
    form = AwardsForm(request.POST or None)

    def save(data: dict) -> str:
        setup.award_set(
            fund=fund,
            years=data["years"],
            amount=data["amount"],
            decided_on=data["decided_on"],
            actor=request.user,
            now=timezone.now(),
        )
        return _fund_url(fund)

    return _form_page(
        request,
        form,
        save,
        title="Add an award",
        caption=fund.name,
        back=_fund_url(fund),
        submit="Add the award",
        done="Award saved",
        intro="The amount the fund awards for a financial year. An award for a year the fund already has replaces its amount.",
    )


def _award(fund: Fund, pk: int) -> Award:
    award = Award.objects.filter(fund=fund, pk=pk).first()
    if award is None:
        raise Http404("No such award")
    return award


@login_required
def award_edit(request: HttpRequest, slug: str, fund_slug: str, pk: int) -> HttpResponse:
    fund = _fund(request, slug, fund_slug)
    award = _award(fund, pk)
    form = AwardForm(request.POST or None, initial={"amount": award.amount, "decided_on": award.decided_on})

    def save(data: dict) -> str:
        setup.award_update(award=award, actor=request.user, now=timezone.now(), **data)
        return _fund_url(fund)

    return _form_page(
        request,
        form,
        save,
        title=f"Change the award for {award.year_label}",
        caption=fund.name,
        back=_fund_url(fund),
        submit="Save",
        done="Award changed",
    )


@login_required
def carry_forward(request: HttpRequest, slug: str, fund_slug: str, pk: int) -> HttpResponse:
    fund = _fund(request, slug, fund_slug)
    award = _award(fund, pk)
    form = CarryForwardForm(
        request.POST or None, initial={"carried_forward": award.carried_forward, "note": award.carried_forward_note}
    )

    def save(data: dict) -> str:
        setup.carry_forward_record(
            award=award, amount=data["carried_forward"], note=data["note"], actor=request.user, now=timezone.now()
        )
        return _fund_url(fund)

    return _form_page(
        request,
        form,
        save,
        title=f"Carry-forward into {award.year_label}",
        caption=fund.name,
        back=_fund_url(fund),
        submit="Save",
        done="Carry-forward saved",
        intro="Money from an earlier year's grant that is spent in this year, on top of the award.",
    )


@login_required
def claim_edit(request: HttpRequest, slug: str, fund_slug: str, period: str) -> HttpResponse:
    """One half of the claim schedule: what is claimed from the funder, and when returns are due."""
    from saferhub.domain.commissioning import parse_half

    fund = _fund(request, slug, fund_slug)
    try:
        half = parse_half(period)
    except ValueError:
        raise Http404("No such half year") from None
    award = Award.objects.filter(fund=fund, year=half.start_year).first()
    if award is None:
        raise Http404("No award for that year")
    hyr = HalfYearReturn.objects.filter(fund=fund, period=period).order_by("-version").first()
    provider_due = (
        fund.projects.filter(year=half.start_year, returns__period=period)
        .values_list("returns__due_on", flat=True)
        .first()
    )
    initial = {
        "claimed": hyr.claimed if hyr else scheduled_claim(award=award.amount, half=half.number),
        "due_on": hyr.due_on if hyr else None,
        "provider_due_on": provider_due,
    }
    form = ClaimForm(request.POST or None, initial=initial)

    def save(data: dict) -> str:
        setup.claim_schedule_set(fund=fund, period=period, actor=request.user, now=timezone.now(), **data)
        return _fund_url(fund)

    due = scheduled_claim(award=award.amount, half=half.number)
    return _form_page(
        request,
        form,
        save,
        title=f"Claim for the {half.name[0].lower()}{half.name[1:]}",
        caption=fund.name,
        back=_fund_url(fund),
        submit="Save the claim",
        done="Claim schedule saved",
        intro=f"The schedule claims the award in two halves: {format_money(due, pence=True)} for this half. "
        "Saving opens the draft return to the funder and each project's return for the half.",
    )


# ------------------------------------------------------------------------------ intentions
def _intention_initial(i: Intention) -> dict:
    return {
        k: getattr(i, k)
        for k in (
            "year",
            "as_at",
            "area_of_need",
            "recommendation",
            "state",
            "contribution",
            "total_budget",
            "total_budget_note",
        )
    }


@login_required
def intention_add(request: HttpRequest, slug: str, fund_slug: str) -> HttpResponse:
    fund = _fund(request, slug, fund_slug)
    form = IntentionForm(request.POST or None)

    def save(data: dict) -> str:
        setup.intention_create(fund=fund, actor=request.user, now=timezone.now(), **data)
        return _fund_url(fund)

    return _form_page(
        request,
        form,
        save,
        title="Add a commissioning intention",
        caption=fund.name,
        back=_fund_url(fund),
        submit="Add the intention",
        done="Intention added",
    )


def _intention(fund: Fund, pk: int) -> Intention:
    intention = Intention.all_objects.filter(fund=fund, pk=pk).first()
    if intention is None:
        raise Http404("No such intention")
    return intention


@login_required
def intention_edit(request: HttpRequest, slug: str, fund_slug: str, pk: int) -> HttpResponse:
    fund = _fund(request, slug, fund_slug)
    intention = _intention(fund, pk)
    form = IntentionForm(request.POST or None, initial=_intention_initial(intention))

    def save(data: dict) -> str:
        setup.intention_update(intention=intention, actor=request.user, now=timezone.now(), **data)
        return _fund_url(fund)

    return _form_page(
        request,
        form,
        save,
        title="Change the commissioning intention",
        caption=fund.name,
        back=_fund_url(fund),
        submit="Save",
        done="Intention changed",
    )


@login_required
def intention_retire(request: HttpRequest, slug: str, fund_slug: str, pk: int) -> HttpResponse:
    fund = _fund(request, slug, fund_slug)
    intention = _intention(fund, pk)
    return _confirm_page(
        request,
        lambda: setup.intention_retire(intention=intention, actor=request.user, now=timezone.now()),
        what="the intention",
        caption=f"{fund.name}: {intention.recommendation[:80]}",
        back=_fund_url(fund),
        done_url=_fund_url(fund),
        explain="It is kept for the record and no longer offered to projects.",
    )


# -------------------------------------------------------------------------------- projects
_PROJECT_EDITABLE = (
    "title",
    "provider",
    "provider_note",
    "commissioning_body",
    "intention",
    "amount",
    "carried_forward_included",
    "share_of_service",
    "total_service_budget",
    "funding_note",
    "expenditure_breakdown",
    "how_measured",
    "contract_start",
    "contract_end",
)


@login_required
def project_add(request: HttpRequest, slug: str, fund_slug: str) -> HttpResponse:
    fund = _fund(request, slug, fund_slug)
    form = ProjectForm(request.POST or None, fund=fund)

    def save(data: dict) -> str:
        project = setup.project_create(
            fund=fund, actor=request.user, now=timezone.now(), follow_claim_schedule=True, **data
        )
        return _project_url(project)

    return _form_page(
        request,
        form,
        save,
        title="Add a project",
        caption=fund.name,
        back=_fund_url(fund),
        submit="Add the project",
        done="Project added: now give it its KPIs, outcomes and milestones",
        intro="A contract the fund pays for, lettered as in the return to the funder.",
    )


@login_required
def project_page(request: HttpRequest, slug: str, fund_slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug, fund_slug, pk)
    parts = []
    for kind, (model, _fields, _money) in setup.PROJECT_PARTS.items():
        rows = list(model.all_objects.filter(project=project).order_by(*model._meta.ordering or ["id"], "id"))
        parts.append(
            {
                "kind": kind,
                "name": setup.PART_NAMES[kind],
                "rows": [r for r in rows if not r.retired],
                "retired": [r for r in rows if r.retired],
            }
        )
    return render(
        request,
        "commissioning/setup_project.html",
        {"project": project, "fund": project.fund, "partnership": project.fund.partnership, "parts": parts},
    )


@login_required
def project_edit(request: HttpRequest, slug: str, fund_slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug, fund_slug, pk)
    form = ProjectForm(
        request.POST or None,
        fund=project.fund,
        editing=True,
        initial={k: getattr(project, k) for k in _PROJECT_EDITABLE},
    )

    def save(data: dict) -> str:
        setup.project_update(project=project, actor=request.user, now=timezone.now(), **data)
        return _project_url(project)

    return _form_page(
        request,
        form,
        save,
        title=f"Change project {project.letter}",
        caption=f"{project.fund.name} {project.year_label}",
        back=_project_url(project),
        submit="Save",
        done="Project changed",
    )


@login_required
def project_retire(request: HttpRequest, slug: str, fund_slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug, fund_slug, pk)
    return _confirm_page(
        request,
        lambda: setup.project_retire(project=project, actor=request.user, now=timezone.now()),
        what=f"project {project.letter}",
        caption=f"{project.fund.name} {project.year_label}: {project.title}",
        back=_project_url(project),
        done_url=_fund_url(project.fund),
        explain="It is kept for the record, its letter is free for a new project, and it is no longer shown "
        "on the overview or offered to providers.",
    )


# ------------------------------------------------------- KPIs, outcomes, milestones, co-funders
def _part_kind(kind: str) -> str:
    if kind not in PART_FORMS:
        raise Http404("No such part of a project")
    return kind


def _part(project: Project, kind: str, part_pk: int):
    model = setup.PROJECT_PARTS[kind][0]
    part = model.all_objects.filter(project=project, pk=part_pk).first()
    if part is None:
        raise Http404("No such part of the project")
    return part


@login_required
def part_add(request: HttpRequest, slug: str, fund_slug: str, pk: int, kind: str) -> HttpResponse:
    project = _project(request, slug, fund_slug, pk)
    kind = _part_kind(kind)
    form = PART_FORMS[kind](request.POST or None)
    name = setup.PART_NAMES[kind]

    def save(data: dict) -> str:
        setup.project_part_add(project=project, kind=kind, actor=request.user, now=timezone.now(), **data)
        return _project_url(project)

    return _form_page(
        request,
        form,
        save,
        title=f"Add {'an' if name == 'outcome' else 'a'} {name}",
        caption=f"Project {project.letter}: {project.title}",
        back=_project_url(project),
        submit=f"Add the {name}",
        done=f"{name[0].upper()}{name[1:]} added",
        intro="As in the service specification." if kind in ("kpis", "outcomes") else "",
    )


@login_required
def part_edit(request: HttpRequest, slug: str, fund_slug: str, pk: int, kind: str, part_pk: int) -> HttpResponse:
    project = _project(request, slug, fund_slug, pk)
    kind = _part_kind(kind)
    part = _part(project, kind, part_pk)
    fields = setup.PROJECT_PARTS[kind][1]
    form = PART_FORMS[kind](request.POST or None, initial={k: getattr(part, k) for k in fields})
    name = setup.PART_NAMES[kind]

    def save(data: dict) -> str:
        setup.project_part_update(part=part, kind=kind, actor=request.user, now=timezone.now(), **data)
        return _project_url(project)

    return _form_page(
        request,
        form,
        save,
        title=f"Change the {name}",
        caption=f"Project {project.letter}: {project.title}",
        back=_project_url(project),
        submit="Save",
        done=f"{name[0].upper()}{name[1:]} changed",
    )


@login_required
def part_retire(request: HttpRequest, slug: str, fund_slug: str, pk: int, kind: str, part_pk: int) -> HttpResponse:
    project = _project(request, slug, fund_slug, pk)
    kind = _part_kind(kind)
    part = _part(project, kind, part_pk)
    name = setup.PART_NAMES[kind]
    return _confirm_page(
        request,
        lambda: setup.project_part_retire(part=part, kind=kind, actor=request.user, now=timezone.now()),
        what=f"the {name}",
        caption=f"Project {project.letter}: {project.title}",
        back=_project_url(project),
        done_url=_project_url(project),
        explain="It is kept for the record (returns already made keep it) and no longer asked for in new returns.",
    )
