"""Thin views: permission through the one door, a form, one service call, render or redirect."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from saferhub.accounts.permissions import get_visible_or_404, has_permission, require
from saferhub.accounts.permissions import visible as is_visible
from saferhub.accounts.reauth import confirm_password_redirect, password_recently_confirmed
from saferhub.domain.commissioning import REVIEW, FundYearFigures, ReviewAction
from saferhub.domain.problems import SaferhubError
from saferhub.partnerships.current import current_partnership
from saferhub.partnerships.models import Partnership

from . import services
from .forms import BLANK_SPEND_ROWS, AppendixForm, OfficeForm, ReturnForm, ReviewForm, SignOffForm, spend_rows_asked
from .models import Award, HalfYearReturn, Intention, Office, Project, ProjectReturn
from .returns import build_half_year_return, fund_checks, spend_to_date, spend_to_date_for
from .selectors import projects_visible_to, sign_off_status


def _fund_year_summary(
    award: Award,
    projects: list[Project],
    today,
    *,
    spent_by_project: dict[int, Decimal],
    hyr: HalfYearReturn | None,
    intentions: list,
) -> dict:
    """One fund-year of the overview, from rows loaded once for every fund-year on the page;
    ``hyr`` is the fund-year's latest half-year return."""
    spent = {p.letter: spent_by_project[p.pk] for p in projects}
    figures = FundYearFigures.of(award.available, (p.amount for p in projects), spent.values())
    return {
        "award": award,
        "projects": projects,
        "allocated": figures.allocated,
        "spent": figures.spent,
        "unallocated": figures.unallocated,
        "spent_by_letter": spent,
        "half_year_return": hyr,
        "intentions": intentions,
        "checks": fund_checks(award=award, projects=projects, spent=spent, hyr=hyr, today=today, intentions=intentions)
        if projects
        else [],
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require("commissioning.view", request.user, request=request)
    visible = set(projects_visible_to(request.user).values_list("pk", flat=True))
    today = timezone.localdate()
    # Those who choose a partnership (on the dashboard) see its funds alone; a provider, who does
    # not choose, sees every fund it works for, each named with its partnership.
    # (Those who choose are those who may see the figures: performance's rule, asked by its name.)
    partnership = current_partnership(request) if has_permission("performance.figures.view", request.user) else None
    awards_held = (
        Award.objects.filter(fund__retired_at__isnull=True)  # a retired fund is kept, not shown
        .select_related("fund", "fund__partnership", "fund__funder")
        .order_by("fund__name", "-year")
    )
    if partnership is not None:
        awards_held = awards_held.filter(fund__partnership=partnership)
    awards = list(awards_held)
    funds = {a.fund_id for a in awards}
    # Every fund-year's rows in one query each, whatever the number of fund-years and projects.
    projects = list(Project.objects.filter(fund__in=funds).select_related("provider"))
    spent_by_project = spend_to_date_for(projects)
    projects_of, intentions_of = defaultdict(list), defaultdict(list)
    for p in projects:
        projects_of[p.fund_id, p.year].append(p)
    for i in Intention.objects.filter(fund__in=funds):
        intentions_of[i.fund_id, i.year].append(i)
    latest_return_of: dict[tuple[int, int], HalfYearReturn] = {}
    for h in HalfYearReturn.objects.filter(fund__in=funds).order_by("period", "version"):
        latest_return_of[h.fund_id, h.half.start_year] = h  # the last one wins: the latest half, its latest version
    years = []
    for award in awards:
        all_projects = projects_of[award.fund_id, award.year]
        summary = _fund_year_summary(
            award,
            all_projects,
            today,
            spent_by_project=spent_by_project,
            hyr=latest_return_of.get((award.fund_id, award.year)),
            intentions=intentions_of[award.fund_id, award.year],
        )
        # A provider sees the fund's totals but only its own projects (and no per-project checks of others).
        summary["visible_projects"] = [p for p in all_projects if p.pk in visible]
        if summary["half_year_return"] is not None and not is_visible(request.user, summary["half_year_return"]):
            summary["half_year_return"] = None
        summary["checks"] = [
            c
            for c in summary["checks"]
            if not c.subject or any(p.letter == c.subject for p in summary["visible_projects"])
        ]
        years.append(summary)
    can_set_up = partnership is not None and has_permission("commissioning.edit", request.user, partnership)
    return render(
        request, "commissioning/overview.html", {"years": years, "partnership": partnership, "can_set_up": can_set_up}
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require("commissioning.view", request.user, request=request)
    project = get_visible_or_404(
        request.user, Project.objects.filter(pk=pk).select_related("provider", "fund").first(), request=request
    )
    return _project_page(request, project)


def _project_page(request: HttpRequest, project: Project, appendix_form: AppendixForm | None = None) -> HttpResponse:
    returns = list(project.returns.order_by("-period").prefetch_related("spend_lines", "actuals__kpi"))
    latest = returns[0] if returns else None
    return render(
        request,
        "commissioning/project.html",
        {
            "appendices": list(project.appendices.select_related("file")),
            "appendix_form": appendix_form or AppendixForm(),
            "can_edit": has_permission("commissioning.edit", request.user, project),
            "project": project,
            "returns": returns,
            "latest": latest,
            "spend_lines": [s for r in reversed(returns) for s in r.spend_lines.all()],
            "spent": spend_to_date(project, f"{project.year}-H2"),
            "actuals": {a.kpi_id: a for a in latest.actuals.all()} if latest else {},
        },
        status=400 if appendix_form is not None else 200,
    )


def _editable_project(request: HttpRequest, pk: int) -> Project:
    require("commissioning.view", request.user, request=request)
    project = get_visible_or_404(
        request.user, Project.objects.filter(pk=pk).select_related("provider", "fund").first(), request=request
    )
    require("commissioning.edit", request.user, project, request=request)
    return project


@login_required
@require_POST
def appendix_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach an appendix (a narrative or a PDF) to the project's section of the return."""
    from saferhub.security.uploads import upload_refusal

    from . import appendices

    project = _editable_project(request, pk)
    form = AppendixForm(request.POST, request.FILES, refusal=upload_refusal(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                appendices.appendix_add_pdf(
                    project=project, title=data["title"], upload=data["file"], actor=request.user, now=timezone.now()
                )
            else:
                appendices.appendix_add_narrative(
                    project=project, title=data["title"], text=data["text"], actor=request.user, now=timezone.now()
                )
        except services.CommissioningError as exc:
            form.add_error("file" if data["file"] else "text", str(exc))
        else:
            messages.success(request, "Appendix added")
            return redirect("commissioning:project", pk=project.pk)
    return _project_page(request, project, appendix_form=form)


@login_required
@require_POST
def appendix_remove(request: HttpRequest, pk: int, appendix_pk: int) -> HttpResponse:
    from . import appendices
    from .models import Appendix

    project = _editable_project(request, pk)
    appendix = Appendix.objects.filter(pk=appendix_pk, project=project).first()
    if appendix is None:
        raise Http404("No such appendix")
    appendices.appendix_remove(appendix=appendix, actor=request.user, now=timezone.now())
    messages.success(request, "Appendix removed")
    return redirect("commissioning:project", pk=project.pk)


def _visible_return(request: HttpRequest, pk: int) -> ProjectReturn:
    pr = ProjectReturn.objects.filter(pk=pk).select_related("project", "project__provider", "project__fund").first()
    return get_visible_or_404(request.user, pr, request=request)


def _return_context(request: HttpRequest, pr: ProjectReturn, review_form: ReviewForm) -> dict:
    actuals = {a.kpi_id: a for a in pr.actuals.all()}
    lines = list(pr.spend_lines.all())
    # What the page offers is read from the review table: the provider's while it may be
    # submitted (draft, changes requested), the reviewer's while changes may be requested.
    open_to_provider = REVIEW.allows(pr.state, ReviewAction.SUBMIT)
    return {
        "pr": pr,
        "project": pr.project,
        "kpi_rows": [(k, actuals.get(k.pk)) for k in pr.project.kpis.all()],
        "spend_lines": lines,
        "spent": sum((s.amount for s in lines), Decimal("0.00")),
        "can_edit": open_to_provider and has_permission("commissioning.return.edit", request.user, pr),
        "can_submit": open_to_provider and has_permission("commissioning.return.submit", request.user, pr),
        "can_review": REVIEW.allows(pr.state, ReviewAction.REQUEST_CHANGES)
        and has_permission("commissioning.return.review", request.user, pr),
        "review_form": review_form,
    }


@login_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require("commissioning.view", request.user, request=request)
    pr = _visible_return(request, pk)
    return render(request, "commissioning/return.html", _return_context(request, pr, ReviewForm()))


@login_required
def return_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pr = _visible_return(request, pk)
    require("commissioning.return.edit", request.user, pr, request=request)
    if request.method == "POST" and "add_line" in request.POST:
        # "Add another spend line": the same form again, with what was typed and more empty lines
        # (no JavaScript needed), nothing saved and nothing checked yet.
        typed = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "add_line")}
        form = ReturnForm(
            initial=typed, project_return=pr, spend_rows=spend_rows_asked(request.POST) + BLANK_SPEND_ROWS
        )
    else:
        form = ReturnForm(request.POST or None, project_return=pr, spend_rows=spend_rows_asked(request.POST))
    if request.method == "POST" and "add_line" not in request.POST and form.is_valid():
        try:
            services.project_return_update(
                project_return=pr,
                actor=request.user,
                now=timezone.now(),
                achieved=form.cleaned_data["achieved"],
                actions=form.cleaned_data["actions"],
                rag=form.cleaned_data["rag"],
                actuals=form.cleaned_data["actuals"],
                spend_lines=form.cleaned_data["spend_lines"],
            )
        except services.CommissioningError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Return saved")
            return redirect("commissioning:return", pk=pr.pk)
    kpi_fields = [(k, form[f"kpi_{k.pk}"], form[f"kpi_{k.pk}_note"]) for k in form.kpis]
    spend_fields = [(form[f"spend_{i}_category"], form[f"spend_{i}_amount"]) for i in range(form.spend_count)]
    return render(
        request,
        "commissioning/return_form.html",
        {"pr": pr, "project": pr.project, "form": form, "kpi_fields": kpi_fields, "spend_fields": spend_fields},
    )


@login_required
@require_POST
def return_submit(request: HttpRequest, pk: int) -> HttpResponse:
    pr = _visible_return(request, pk)
    require("commissioning.return.submit", request.user, pr, request=request)
    try:
        services.project_return_submit(project_return=pr, actor=request.user, now=timezone.now())
        messages.success(request, "Return submitted for review")
    except SaferhubError as exc:  # the one base: every refusal's message is for the user
        messages.error(request, str(exc))
    return redirect("commissioning:return", pk=pr.pk)


@login_required
@require_POST
def return_review(request: HttpRequest, pk: int) -> HttpResponse:
    pr = _visible_return(request, pk)
    require("commissioning.return.review", request.user, pr, request=request)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.project_return_accept(
                    project_return=pr, actor=request.user, now=timezone.now(), comment=form.cleaned_data["comment"]
                )
                messages.success(request, "Return accepted")
            else:
                services.project_return_request_changes(
                    project_return=pr, actor=request.user, now=timezone.now(), comment=form.cleaned_data["comment"]
                )
                messages.success(request, "Changes requested from the provider")
            return redirect("commissioning:return", pk=pr.pk)
        except SaferhubError as exc:  # the one base: every refusal's message is for the user
            form.add_error(None, str(exc))
    return render(request, "commissioning/return.html", _return_context(request, pr, form), status=400)


def _visible_half_year_return(request: HttpRequest, pk: int) -> HalfYearReturn:
    hyr = HalfYearReturn.objects.filter(pk=pk).select_related("fund", "fund__partnership", "fund__funder").first()
    return get_visible_or_404(request.user, hyr, request=request)


@login_required
def half_year_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The return, and the next signature for the office holder whose turn it is. Signing asks
    for the password again first (``accounts.reauth``); the service decides who may sign."""
    require("commissioning.view", request.user, request=request)
    hyr = _visible_half_year_return(request, pk)
    form = SignOffForm(request.POST or None)
    if request.method == "POST":
        require("commissioning.return.sign_off", request.user, hyr, request=request)
        if not password_recently_confirmed(request):
            return confirm_password_redirect(request)
        if form.is_valid():
            try:
                services.half_year_return_sign(
                    half_year_return=hyr, step=form.cleaned_data["step"], actor=request.user, now=timezone.now()
                )
                messages.success(request, "Signature recorded")
                return redirect("commissioning:half-year", pk=hyr.pk)
            except SaferhubError as exc:  # the one base: every refusal's message is for the user
                form.add_error(None, str(exc))
        hyr.refresh_from_db()
    versions = HalfYearReturn.objects.filter(fund=hyr.fund, period=hyr.period).order_by("-version")
    from saferhub.rendering.formats import INTERNAL_DOWNLOADS, RETURN_DOWNLOADS

    return render(
        request,
        "commissioning/half_year.html",
        {
            "internal_downloads": INTERNAL_DOWNLOADS,
            "hyr": hyr,
            "r": build_half_year_return(hyr, today=timezone.localdate()),
            "form": form,
            "sign": sign_off_status(hyr, request.user),
            "downloads": RETURN_DOWNLOADS,
            "versions": versions,
            "can_edit": has_permission("commissioning.edit", request.user, hyr),
            "can_appoint": has_permission("commissioning.offices.manage", request.user, hyr.fund.partnership),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def offices(request: HttpRequest, slug: str) -> HttpResponse:
    """Administrators appoint who holds each office that signs the partnership's returns."""
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise Http404("No such partnership")
    require("commissioning.offices.manage", request.user, partnership, request=request)
    form = OfficeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_appoint(
                partnership=partnership,
                office=form.cleaned_data["office"],
                user=form.cleaned_data["user"],
                job_title=form.cleaned_data["job_title"],
                actor=request.user,
                now=timezone.now(),
            )
        except services.CommissioningError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Office holder appointed")
            return redirect("commissioning:offices", slug=slug)
    held = services.office_holders(partnership)
    rows = [(value, label, held.get(value)) for value, label in Office.choices]
    return render(
        request,
        "commissioning/offices.html",
        {"partnership": partnership, "rows": rows, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def half_year_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the amount claimed; on a signed version this opens a new draft version."""
    hyr = _visible_half_year_return(request, pk)
    require("commissioning.edit", request.user, hyr, request=request)
    from .setup_forms import AmountClaimedForm

    form = AmountClaimedForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["claimed"][0])
        return redirect("commissioning:half-year", pk=hyr.pk)
    new = services.half_year_return_update(
        half_year_return=hyr, claimed=form.cleaned_data["claimed"], actor=request.user, now=timezone.now()
    )
    messages.success(request, f"Amount claimed changed (version {new.version})")
    return redirect("commissioning:half-year", pk=new.pk)


@login_required
def half_year_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    require("commissioning.view", request.user, request=request)
    hyr = _visible_half_year_return(request, pk)
    from saferhub.rendering.formats import CONTENT_TYPES, INTERNAL_DOWNLOADS, RETURN_DOWNLOADS, render_return

    if fmt not in dict(RETURN_DOWNLOADS) and fmt not in dict(INTERNAL_DOWNLOADS):
        raise Http404("No such format")
    from .appendices import appendix_pdf

    body = render_return(build_half_year_return(hyr, today=timezone.localdate()), fmt, attachments=appendix_pdf)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    # "internal-pdf" -> "...-internal-summary.pdf": the officers' copy is never mistaken for the return
    ext = fmt.replace("internal-", "internal-summary.").split(".")
    name = f"{hyr.fund.partnership.slug}-{hyr.fund.slug}-{hyr.period}-v{hyr.version}" + (
        f"-{ext[0]}.{ext[1]}" if len(ext) == 2 else f".{fmt}"
    )
    response["Content-Disposition"] = f'{"inline" if fmt == "json" else "attachment"}; filename="{name}"'
    return response
