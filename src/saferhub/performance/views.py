"""Thin views: find the partnership, build the report structure, render it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from saferhub.domain.calendar import Month, PeriodError
from saferhub.partnerships.models import Partnership
from saferhub.partnerships.selectors import PartnershipNotFound, partnership_get

from saferhub.accounts.reauth import confirm_password_redirect, password_recently_confirmed

from .models import ForceMonth, Indicator, IndicatorValue
from saferhub.rendering import FORMATS, render_report

from .report import build_performance_report


def _partnership_or_404(slug: str) -> Partnership:
    try:
        return partnership_get(slug)
    except PartnershipNotFound:
        raise Http404("No such partnership") from None


def _month_or_404(period: str) -> Month:
    try:
        return Month.parse(period)
    except PeriodError:
        raise Http404("No such period") from None


def latest_month(partnership: Partnership) -> Month | None:
    periods = [
        p for p in IndicatorValue.objects.filter(indicator__partnership=partnership).values_list("period", flat=True)
        if "Q" not in p
    ]
    periods += list(ForceMonth.objects.values_list("month", flat=True).distinct())
    return Month.parse(max(periods)) if periods else None


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "performance/home.html", {"partnerships": Partnership.objects.all()})


def report_latest(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership_or_404(slug)
    month = latest_month(partnership)
    if month is None:
        return render(request, "performance/empty.html", {"partnership": partnership})
    return redirect("performance:report", slug=slug, period=month.label)


def report_page(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    partnership = _partnership_or_404(slug)
    report = build_performance_report(partnership, _month_or_404(period))
    from saferhub.rendering.formats import charts_for
    from saferhub.rendering.html_report import render_html

    from .cache import cached_report_body

    body = cached_report_body(partnership, period,
                              lambda: render_html(report, charts_for(report, png=False), standalone=False))
    return render(request, "performance/report.html", {"report": report, "partnership": partnership, "body": body,
                                                       "formats": [f for f in FORMATS if f != "html"]})


def _needs_password_again(request: HttpRequest, partnership: Partnership) -> bool:
    """Exports hold every figure unsuppressed: with sensitive indicators among them, the user
    re-enters the password first (saferhub.accounts.reauth)."""
    return (Indicator.objects.filter(partnership=partnership, sensitive=True).exists()
            and not password_recently_confirmed(request))


def report_download(request: HttpRequest, slug: str, period: str, fmt: str) -> HttpResponse:
    partnership = _partnership_or_404(slug)
    if fmt not in FORMATS:
        raise Http404("No such format")
    if _needs_password_again(request, partnership):
        return confirm_password_redirect(request)
    report = build_performance_report(partnership, _month_or_404(period))
    from saferhub.rendering.formats import CONTENT_TYPES

    response = HttpResponse(render_report(report, fmt), content_type=CONTENT_TYPES[fmt])
    name = f"{partnership.slug}-performance-{report['period']}.{fmt}"
    disposition = "inline" if fmt in ("html", "json") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def report_json(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    partnership = _partnership_or_404(slug)
    if _needs_password_again(request, partnership):
        return confirm_password_redirect(request)
    report = build_performance_report(partnership, _month_or_404(period))
    return JsonResponse(report, json_dumps_params={"indent": 2, "ensure_ascii": False})
