"""The signed-in pages of the current partnership: dashboard, indicator, reports. Thin: find,
check the rule, build, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from saferhub.accounts.permissions import has_permission, require
from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain.calendar import Month
from saferhub.partnerships.current import choose_partnership, current_partnership
from saferhub.partnerships.models import Partnership
from saferhub.rendering import FORMATS
from saferhub.security.query import query_checked, query_choice, query_month

from .cache import performance_report, rendered_report, report_and_body
from .current import months_with_figures
from .forms import CommentForm
from .models import Indicator
from .pages import (
    comment_history,
    dashboard_tiles,
    indicator_changes,
    police_file_history,
    spc_rows,
    value_revisions,
)
from .permissions import FIGURES
from .services import comment_set


def _context(request: HttpRequest) -> tuple[Partnership | None, Month | None]:
    partnership, month, _months = _time(request)
    return partnership, month


def _time(request: HttpRequest) -> tuple[Partnership | None, Month | None, list[Month]]:
    """The current partnership, the month asked for (``?period=YYYY-MM``) or else that
    partnership's own latest month, and the months it holds figures for (the month chooser's)."""
    partnership = current_partnership(request)
    months = months_with_figures(partnership) if partnership else []
    month = months[0] if months else None
    asked = query_month(request.GET, "period")  # a bad one is a 400 (query_checked)
    if asked is not None and partnership:
        month = asked
    return partnership, month, months


def _chooser(month: Month | None, months: list[Month]) -> dict[str, Any]:
    """The month chooser's context: every month held, newest first, and one asked for beyond them."""
    choices = list(months)
    if month is not None and month not in choices:
        choices = sorted([*choices, month], reverse=True)
    return {"months": choices, "period": month.label if month is not None else ""}


@login_required
@query_checked
def dashboard(request: HttpRequest) -> HttpResponse:
    require(FIGURES, request.user, request=request)
    partnership, month, months = _time(request)
    ctx = {
        "nav": "dashboard",
        "partnership": partnership,
        "month": month,
        "partnerships": Partnership.objects.current(),
        "can_import": has_permission("performance.import", request.user),
        "can_setup": has_permission("partnerships.setup", request.user),
        **_chooser(month, months),
    }
    if partnership is not None and month is not None:
        report = performance_report(partnership, month)
        ctx.update(report=report, tiles=dashboard_tiles(report))
    return render(request, "performance/dashboard.html", ctx)


@login_required
@require_POST
def partnership_choose(request: HttpRequest) -> HttpResponse:
    require(FIGURES, request.user, request=request)
    if choose_partnership(request, request.POST.get("partnership", "")) is None:
        raise Http404("No such partnership")
    return redirect("performance:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
@query_checked
def indicator_page(request: HttpRequest, code: str) -> HttpResponse:
    require(FIGURES, request.user, request=request)
    partnership, month, months = _time(request)
    indicator = (
        Indicator.objects.filter(partnership=partnership, code=code, retired_at__isnull=True).first()
        if partnership
        else None
    )
    if indicator is None or month is None:
        raise Http404("No such indicator")
    can_edit = has_permission("performance.edit", request.user, indicator)
    form = CommentForm()
    if request.method == "POST":
        require("performance.edit", request.user, indicator, request=request)
        form = CommentForm(request.POST)
        if form.is_valid():
            comment_set(
                indicator=indicator,
                period=month.label,
                text=form.cleaned_data["text"],
                author=request.user.get_full_name() or request.user.get_username(),
                now=timezone.now(),
                actor=request.user,
            )
            messages.success(request, f"Commentary saved for {month.name}")
            return redirect(f"{request.path}?period={month.label}&saved=1")
    # "saved=1" marks the page shown after a save; the banner is the flash message, shown once.
    query_choice(request.GET, "saved", ("1",))
    report = performance_report(partnership, month)
    ind = report.indicator(code)
    if ind is None:
        raise Http404("No such indicator")
    if request.method == "GET" and ind.analyst_comment:
        form = CommentForm(initial={"text": ind.analyst_comment})
    from saferhub.rendering.charts import indicator_chart, spc_chart

    return render(
        request,
        "performance/indicator.html",
        {
            "nav": "dashboard",
            "partnership": partnership,
            "month": month,
            "report": report,
            "ind": ind,
            "indicator": indicator,
            "chart": indicator_chart(ind, report.financial_year),
            "spc_chart": spc_chart(ind),
            "spc_rows": spc_rows(ind),
            "revisions": value_revisions(indicator),
            "changes": indicator_changes(indicator),
            "police_files": police_file_history(partnership) if indicator.source == "policeuk" else [],
            "comments": comment_history(indicator, month.label),
            "form": form,
            "can_edit": can_edit,
            **_chooser(month, months),
        },
    )


@login_required
@query_checked
def reports_page(request: HttpRequest) -> HttpResponse:
    require(FIGURES, request.user, request=request)
    partnership, month, months = _time(request)
    ctx = {
        "nav": "reports",
        "partnership": partnership,
        "month": month,
        "formats": [f for f in FORMATS if f != "html"],
        **_chooser(month, months),
    }
    if partnership is not None:
        from saferhub.commissioning.selectors import half_year_returns_latest
        from saferhub.rendering.formats import RETURN_DOWNLOADS

        ctx.update(
            half_year_returns=half_year_returns_latest(request.user, partnership), return_downloads=RETURN_DOWNLOADS
        )
    if partnership is not None and month is not None:
        report, body = report_and_body(partnership, month)
        ctx.update(report=report, body=body)
    return render(request, "performance/reports.html", ctx)


@login_required
@query_checked
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    require(FIGURES, request.user, request=request)
    partnership, month = _context(request)
    if fmt not in FORMATS or partnership is None or month is None:
        raise Http404("No such report")
    return report_response(request, partnership, month, fmt)


def needs_password_again(request: HttpRequest, partnership: Partnership) -> bool:
    """Exports hold every figure unsuppressed: with sensitive indicators among them, the user
    re-enters the password first (saferhub.accounts.reauth)."""
    from saferhub.accounts.reauth import password_recently_confirmed

    from .models import Indicator

    return Indicator.objects.filter(
        partnership=partnership, sensitive=True
    ).exists() and not password_recently_confirmed(request)


def report_response(request: HttpRequest, partnership: Partnership, month: Month, fmt: str) -> HttpResponse:
    """The report as a file, the export audited; sensitive figures need the password again."""
    from saferhub.accounts.reauth import confirm_password_redirect
    from saferhub.rendering.formats import CONTENT_TYPES

    if needs_password_again(request, partnership):
        return confirm_password_redirect(request)
    response = HttpResponse(rendered_report(partnership, month, fmt), content_type=CONTENT_TYPES[fmt])
    name = f"{partnership.slug}-performance-{month.label}.{fmt}"
    # The standalone HTML carries its own styles, which the site's Content Security Policy (no
    # inline styles) would block in the browser: it is a file to save and open, like the others.
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=partnership,
        summary=f"performance report {month.label} as {fmt.upper()}",
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return response
