"""The set-up pages (issue 15): the task list "Set up your partnership", the partnership and its
area, organisations, and each partnership's indicators and targets. Thin: the rules are in the
services, which audit every change; a refusal is shown on the field it is about."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from saferhub.accounts.permissions import require
from saferhub.domain.calendar import FinancialYear, Month
from saferhub.domain.problems import InputError
from saferhub.partnerships.current import choose_partnership
from saferhub.partnerships.models import AreaKind, Organisation, Partnership
from saferhub.partnerships.permissions import ORGANISATIONS, SETUP
from saferhub.partnerships.selectors import area_described
from saferhub.partnerships.services import (
    PartnershipError,
    organisation_retire,
    organisation_save,
    partnership_area_set,
    partnership_create,
    partnership_rename,
    partnership_retire,
    suggested_slug,
)
from saferhub.performance.models import Indicator, Source, TargetValue
from saferhub.performance.services import (
    IndicatorError,
    indicator_retire,
    indicator_save,
    standard_indicators_add,
    targets_set_year,
)
from saferhub.security.query import BadQuery, bad_query_response, query_financial_year

from .forms import AreaForm, IndicatorForm, NameForm, OrganisationForm, PartnershipForm, TargetsForm
from .task_list import task_list, tasks_done

INDICATORS = "performance.edit"  # who owns a partnership's indicators and targets
RESERVED_SLUGS = {"new", "organisations"}


def _partnership(slug: str) -> Partnership:
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise Http404("No such partnership")
    return partnership


def _refusal(exc: Exception) -> str:
    """A service's refusal as a sentence: "a partnership needs a name" -> "A partnership needs a name"."""
    text = str(exc.problems[0].message if isinstance(exc, InputError) else exc)
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------- the task list
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    require(SETUP, request.user, request=request)
    partnerships = list(Partnership.objects.order_by("name"))
    return render(
        request,
        "setup/start.html",
        {
            "partnerships": [p for p in partnerships if p.retired_at is None],
            "retired": [p for p in partnerships if p.retired_at is not None],
            "nav": "setup",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def partnership_new(request: HttpRequest) -> HttpResponse:
    require(SETUP, request.user, request=request)
    form = PartnershipForm(request.POST or None, initial={"standard_indicators": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        slug = data["slug"] or suggested_slug(data["name"])
        if not slug:
            form.add_error("slug", "Enter a short name for web addresses")
        elif slug in RESERVED_SLUGS:
            # /setup/new/ and /setup/organisations/ are pages of their own.
            form.add_error("slug", f"The short name cannot be {slug}: choose another")
        else:
            try:
                with transaction.atomic():
                    partnership = partnership_create(
                        slug=slug, name=data["name"], actor=request.user, now=timezone.now()
                    )
                    if data["standard_indicators"]:
                        standard_indicators_add([partnership])
            except (PartnershipError, InputError) as exc:
                form.add_error("slug" if "slug" in str(exc) else "name", _refusal(exc))
            else:
                messages.success(request, f"{partnership.name} has been created. Now set its area.")
                return redirect("setup:tasks", slug=partnership.slug)
    return render(request, "setup/partnership_new.html", {"form": form, "nav": "setup"})


@never_cache
def tasks(request: HttpRequest, slug: str) -> HttpResponse:
    require(SETUP, request.user, request=request)
    partnership = _partnership(slug)
    # The pages that name no partnership (/data/, /dashboard/) follow the one being set up.
    choose_partnership(request, partnership.slug)
    sections = task_list(partnership)
    done, total = tasks_done(sections)
    return render(
        request,
        "setup/tasks.html",
        {"partnership": partnership, "sections": sections, "done": done, "total": total, "nav": "setup"},
    )


# ------------------------------------------------------------------------ the partnership and its area
@never_cache
@require_http_methods(["GET", "POST"])
def area(request: HttpRequest, slug: str) -> HttpResponse:
    require(SETUP, request.user, request=request)
    partnership = _partnership(slug)
    pieces = {k: [a.value for a in partnership.areas.all() if a.kind == k] for k in AreaKind.values}
    name_form = NameForm(initial={"name": partnership.name}, prefix="name")
    form = AreaForm(
        initial={
            "csps": "\n".join(pieces[AreaKind.CSP]),
            "local_authorities": "\n".join(pieces[AreaKind.LOCAL_AUTHORITY]),
            "lsoa_codes": "\n".join(pieces[AreaKind.LSOA]),
        }
    )
    if request.method == "POST":
        now = timezone.now()
        action = request.POST.get("action")
        if action in ("retire", "reinstate"):
            partnership_retire(partnership=partnership, retire=action == "retire", actor=request.user, now=now)
            messages.success(
                request,
                f"{partnership.name} has been "
                + (
                    "retired: its data is kept, it is no longer offered as a choice"
                    if action == "retire"
                    else "reinstated"
                ),
            )
            return redirect("setup:start")
        if action == "rename":
            name_form = NameForm(request.POST, prefix="name")
            if name_form.is_valid():
                try:
                    partnership_rename(
                        partnership=partnership, name=name_form.cleaned_data["name"], actor=request.user, now=now
                    )
                except PartnershipError as exc:
                    name_form.add_error("name", _refusal(exc))
                else:
                    messages.success(request, f"The partnership is now called {partnership.name}")
                    return redirect("setup:area", slug=slug)
        else:
            form = AreaForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    partnership_area_set(
                        partnership=partnership,
                        csps=data["csps"],
                        local_authorities=data["local_authorities"],
                        lsoa_codes=data["lsoa_codes"],
                        actor=request.user,
                        now=now,
                    )
                except InputError as exc:
                    form.add_error("lsoa_codes", _refusal(exc))
                except PartnershipError as exc:
                    text = str(exc).lower()
                    field = "csps" if "csp" in text or "community safety" in text else "local_authorities"
                    form.add_error(field, _refusal(exc))
                else:
                    n = partnership.lsoas.count()
                    messages.success(request, f"The area of {partnership.name} is set: {n} LSOAs")
                    return redirect("setup:tasks", slug=slug)
    return render(
        request,
        "setup/area.html",
        {
            "partnership": partnership,
            "form": form,
            "name_form": name_form,
            "lsoas": partnership.lsoas.count(),
            "described": area_described(partnership),
            "nav": "setup",
        },
    )


# ---------------------------------------------------------------------------------- organisations
@never_cache
def organisations(request: HttpRequest) -> HttpResponse:
    require(ORGANISATIONS, request.user, request=request)
    rows = Organisation.objects.annotate(
        user_count=Count("users", filter=Q(users__is_active=True), distinct=True)
    ).order_by("name")
    return render(
        request,
        "setup/organisations.html",
        {
            "current": [o for o in rows if o.retired_at is None],
            "retired": [o for o in rows if o.retired_at is not None],
            "nav": "setup",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(ORGANISATIONS, request.user, request=request)
    organisation = get_object_or_404(Organisation, pk=pk) if pk is not None else None
    fields = ("name", "kind", "charity_number", "company_number")
    form = OrganisationForm(initial={f: getattr(organisation, f) for f in fields} if organisation else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if organisation is not None and action in ("retire", "reinstate"):
            organisation_retire(
                organisation=organisation, retire=action == "retire", actor=request.user, now=timezone.now()
            )
            messages.success(
                request,
                f"{organisation.name} has been {'retired: it is kept, but no longer offered as a choice' if action == 'retire' else 'reinstated'}",
            )
            return redirect("setup:organisations")
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                saved = organisation_save(
                    organisation=organisation, actor=request.user, now=timezone.now(), **form.cleaned_data
                )
            except PartnershipError as exc:
                form.add_error("kind" if "kind" in str(exc) else "name", _refusal(exc))
            else:
                messages.success(request, f"{saved.name} has been {'saved' if organisation else 'added'}")
                return redirect("setup:organisations")
    return render(request, "setup/organisation.html", {"organisation": organisation, "form": form, "nav": "setup"})


# ------------------------------------------------------------------------- indicators and targets
@never_cache
def indicators(request: HttpRequest, slug: str) -> HttpResponse:
    require(INDICATORS, request.user, request=request)
    partnership = _partnership(slug)
    rows = list(
        Indicator.objects.filter(partnership=partnership)
        .annotate(target_count=Count("targets"))
        .order_by("position", "code")
    )
    return render(
        request,
        "setup/indicators.html",
        {
            "partnership": partnership,
            "current": [i for i in rows if i.retired_at is None],
            "retired": [i for i in rows if i.retired_at is not None],
            "nav": "setup",
        },
    )


def _indicator(partnership: Partnership, code: str) -> Indicator:
    indicator = Indicator.objects.filter(partnership=partnership, code=code).first()
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


@never_cache
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, slug: str, code: str | None = None) -> HttpResponse:
    require(INDICATORS, request.user, request=request)
    partnership = _partnership(slug)
    indicator = _indicator(partnership, code) if code is not None else None
    editing = indicator is not None
    fields = ("title", "noun", "polarity", "frequency", "unit", "source", "crime_types", "owner", "notes", "sensitive")
    form = IndicatorForm(initial={f: getattr(indicator, f) for f in fields} if editing else None, editing=editing)
    if request.method == "POST":
        action = request.POST.get("action")
        if editing and action in ("retire", "reinstate"):
            indicator_retire(indicator=indicator, retire=action == "retire", actor=request.user, now=timezone.now())
            messages.success(
                request,
                f"{indicator.title} has been {'retired: its figures are kept, it leaves the dashboard and reports' if action == 'retire' else 'reinstated'}",
            )
            return redirect("setup:indicators", slug=slug)
        form = IndicatorForm(request.POST, editing=editing)
        if form.is_valid():
            try:
                saved = indicator_save(
                    partnership=partnership,
                    indicator=indicator,
                    actor=request.user,
                    now=timezone.now(),
                    **form.cleaned_data,
                )
            except IndicatorError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, f"{saved.title} has been {'saved' if editing else 'added'}")
                return redirect("setup:indicators", slug=slug)
    return render(
        request,
        "setup/indicator.html",
        {"partnership": partnership, "indicator": indicator, "form": form, "nav": "setup"},
    )


def _this_year() -> FinancialYear:
    today = timezone.localdate()
    return Month(today.year, today.month).financial_year


@never_cache
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The indicator's targets for one financial year (?year=2019/20), police.uk ones included."""
    require(INDICATORS, request.user, request=request)
    partnership = _partnership(slug)
    indicator = _indicator(partnership, code)
    try:
        year = query_financial_year(request.GET, "year") or _this_year()
    except BadQuery as error:
        return bad_query_response(request, error)
    periods = year.periods(indicator.frequency)
    held = {t.period: t for t in TargetValue.objects.filter(indicator=indicator, period__in=[p.label for p in periods])}
    kind = next(iter(held.values())).kind if held else ("flat" if indicator.unit == "percentage" else "cumulative")
    initial: dict[str, Any] = {"kind": kind, **{f"target_{label}": _plain(t.value) for label, t in held.items()}}
    form = TargetsForm(initial=initial, periods=periods)
    if request.method == "POST":
        form = TargetsForm(request.POST, periods=periods)
        if form.is_valid():
            try:
                changed = targets_set_year(
                    indicator=indicator,
                    year=year,
                    kind=form.cleaned_data["kind"],
                    values=form.cleaned_data["values"],
                    actor=request.user,
                    now=timezone.now(),
                )
            except IndicatorError as exc:
                form.add_error("kind", str(exc))
            else:
                messages.success(
                    request,
                    f"Targets for {indicator.title} in {year.label} saved: {changed} period{'s' if changed != 1 else ''} changed",
                )
                return redirect(f"{request.path}?year={year.label}")
    return render(
        request,
        "setup/targets.html",
        {
            "partnership": partnership,
            "indicator": indicator,
            "year": year,
            "years": _years_around(year),
            "form": form,
            "is_police": indicator.source == Source.POLICEUK,
            "nav": "setup",
        },
    )


def _years_around(year: FinancialYear) -> list[FinancialYear]:
    """The years to choose from: police.uk's (2010 on) to three years ahead, and the one shown."""
    last = max(_this_year().start_year + 3, year.start_year)
    return [FinancialYear(y) for y in range(min(2010, year.start_year), last + 1)]


def _plain(value: Any) -> str:
    """120.0000 -> "120", 62.5000 -> "62.5": the figure as a person would type it."""
    text = format(value.normalize(), "f")
    return text
