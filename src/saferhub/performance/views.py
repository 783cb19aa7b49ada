"""The report pages addressed by partnership and month (/partnerships/<slug>/performance/...).
Thin views: check the rule, find the partnership, build the report structure, render it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from saferhub.accounts.permissions import require
from saferhub.accounts.reauth import confirm_password_redirect
from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain.calendar import Month, PeriodError
from saferhub.partnerships.models import Partnership
from saferhub.partnerships.selectors import PartnershipNotFound, partnership_get
from saferhub.rendering import FORMATS
from saferhub.rendering import report_json as report_document
from saferhub.security.query import month_in_range, query_checked, query_month

from .cache import performance_report, report_and_body
from .current import months_with_figures
from .pages import latest_month
from .permissions import FIGURES
from .web_views import needs_password_again, report_response

__all__ = ["home", "latest_month", "report_latest", "report_page", "report_download", "report_json"]


def _partnership_or_404(slug: str) -> Partnership:
    try:
        return partnership_get(slug)
    except PartnershipNotFound:
        raise Http404("No such partnership") from None


def _month_or_404(period: str) -> Month:
    try:
        return month_in_range(period)
    except PeriodError:
        raise Http404("No such period") from None


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in people start at the dashboard (providers at their commissioning work);
    visitors at the sign-in page."""
    from saferhub.accounts.permissions import has_permission

    if request.user.is_authenticated:
        from saferhub.partnerships.models import Partnership

        # A new installation: the administrator starts at "Set up a partnership".
        if has_permission("partnerships.setup", request.user) and not Partnership.objects.exists():
            return redirect("setup:start")
        if has_permission(FIGURES, request.user):
            return redirect("performance:dashboard")
        return redirect("commissioning:overview")
    return redirect("accounts:login")


@login_required
@query_checked
def report_latest(request: HttpRequest, slug: str) -> HttpResponse:
    """The partnership's own latest month, or the one its month chooser asks for (?period=)."""
    require(FIGURES, request.user, request=request)
    partnership = _partnership_or_404(slug)
    month = query_month(request.GET, "period") or latest_month(partnership)
    if month is None:
        return render(request, "performance/empty.html", {"partnership": partnership})
    return redirect("performance:report", slug=slug, period=month.label)


@login_required
def report_page(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    require(FIGURES, request.user, request=request)
    partnership = _partnership_or_404(slug)
    month = _month_or_404(period)
    report, body = report_and_body(partnership, month)
    months = months_with_figures(partnership)
    if month not in months:
        months = sorted([*months, month], reverse=True)
    return render(
        request,
        "performance/report.html",
        {
            "report": report,
            "partnership": partnership,
            "body": body,
            "nav": "reports",
            "formats": [f for f in FORMATS if f != "html"],
            "months": months,
            "period": month.label,
        },
    )


@login_required
def report_download(request: HttpRequest, slug: str, period: str, fmt: str) -> HttpResponse:
    require(FIGURES, request.user, request=request)
    partnership = _partnership_or_404(slug)
    if fmt not in FORMATS:
        raise Http404("No such format")
    return report_response(request, partnership, _month_or_404(period), fmt)


@login_required
def report_json(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    require(FIGURES, request.user, request=request)
    partnership = _partnership_or_404(slug)
    month = _month_or_404(period)
    if needs_password_again(request, partnership):
        return confirm_password_redirect(request)
    report = performance_report(partnership, month)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=partnership,
        summary=f"performance report {report.period.label} as JSON",
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return JsonResponse(report_document.report_json(report), json_dumps_params={"indent": 2, "ensure_ascii": False})
