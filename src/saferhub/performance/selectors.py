"""Reads that carry rules: which figures an indicator has, for which periods."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Max, Q, Sum

from saferhub.domain.figures import Observation
from saferhub.partnerships.models import Partnership

from .models import AnalystComment, crime_type_column, ForceMonth, ImportRun, Indicator, IndicatorValue, PoliceCount, Source, TargetValue


def _area_filter(partnership: Partnership) -> Q:
    las = partnership.local_authorities()
    codes = partnership.lsoa_codes()
    q = Q(pk__in=[])
    if las:
        q |= Q(area_kind="la", area__in=las)
    if codes:
        q |= Q(area_kind="lsoa", area__in=codes)
    return q


def police_months_held(partnership: Partnership) -> set[str]:
    """Months for which a police.uk file is held for every force that covers the area.

    A month held with no rows of a crime type is a true zero; a month not held is missing."""
    forces = set(
        PoliceCount.objects.filter(_area_filter(partnership))
        .values_list("force_month__force", flat=True)
        .distinct()
    )
    if not forces:
        return set()
    by_force: dict[str, set[str]] = {}
    for force, month in ForceMonth.objects.filter(force__in=forces).values_list("force", "month"):
        by_force.setdefault(force, set()).add(month)
    return set.intersection(*by_force.values())


def police_observations(partnership: Partnership, indicators: list[Indicator]) -> dict[str, dict[str, Observation]]:
    """Monthly counts for each police.uk indicator, by code then month."""
    held = police_months_held(partnership)
    columns = sorted({t for ind in indicators for t in ind.crime_types})
    sums = {slug: Sum(crime_type_column(slug)) for slug in columns}
    totals: dict[tuple[str, str], int] = {}
    for row in PoliceCount.objects.filter(_area_filter(partnership)).values("month").annotate(**_aliases(sums)):
        for slug in columns:
            totals[(row["month"], slug)] = row[_alias(slug)] or 0
    out: dict[str, dict[str, Observation]] = {}
    for ind in indicators:
        series = {}
        for month in held:
            n = sum(totals.get((month, t), 0) for t in ind.crime_types)
            series[month] = Observation(value=Decimal(n))
        out[ind.code] = series
    return out


def _alias(slug: str) -> str:
    return "n_" + crime_type_column(slug)


def _aliases(sums: dict) -> dict:
    return {_alias(slug): expr for slug, expr in sums.items()}


def partner_observations(indicators: list[Indicator]) -> dict[str, dict[str, Observation]]:
    """The latest revision of each partner figure."""
    by_id = {i.pk: i.code for i in indicators}
    out: dict[str, dict[str, Observation]] = {code: {} for code in by_id.values()}
    for v in IndicatorValue.objects.filter(indicator__in=indicators).order_by("reported_on", "id"):
        out[by_id[v.indicator_id]][v.period] = Observation(v.value, v.numerator, v.denominator)
    return out


def targets_for(indicators: list[Indicator], periods: list[str]) -> dict[str, tuple[dict[str, Decimal], str]]:
    out: dict[str, tuple[dict[str, Decimal], str]] = {}
    by_id = {i.pk: i.code for i in indicators}
    for t in TargetValue.objects.filter(indicator__in=indicators, period__in=periods):
        values, _kind = out.get(by_id[t.indicator_id], ({}, t.kind))
        values[t.period] = t.value
        out[by_id[t.indicator_id]] = (values, t.kind)
    return out


def observations_for(partnership: Partnership, indicators: list[Indicator]) -> dict[str, dict[str, Observation]]:
    police = [i for i in indicators if i.source == Source.POLICEUK]
    partner = [i for i in indicators if i.source == Source.PARTNER]
    out = partner_observations(partner) if partner else {}
    if police:
        out.update(police_observations(partnership, police))
    return out


def import_runs_for(partnership: Partnership, limit: int = 20) -> list[ImportRun]:
    """Runs that brought this partnership's figures: its own runs and police.uk runs whose
    files are the ones held now."""
    held_runs = ForceMonth.objects.values_list("source__run_id", flat=True).distinct()
    return list(
        ImportRun.objects.filter(Q(partnership=partnership) | Q(pk__in=held_runs))
        .prefetch_related("imported_files")
        .order_by("-started_at", "-id")[:limit]
    )


def comments_for(indicators: list[Indicator], report_month) -> dict[str, str]:
    """The latest analyst comment on each indicator for the reporting month."""
    by_id = {i.pk: i.code for i in indicators}
    out: dict[str, str] = {}
    for c in AnalystComment.objects.filter(indicator__in=indicators, period=report_month.label).order_by("written_at", "id"):
        out[by_id[c.indicator_id]] = c.text
    return out


def received_for(indicators: list[Indicator]) -> dict[str, str]:
    """The date each partner-supplied indicator's latest figures were received (the latest
    ``reported_on`` of its values), as ISO dates, by indicator code."""
    partner = {i.pk: i.code for i in indicators if i.source == Source.PARTNER}
    rows = (IndicatorValue.objects.filter(indicator_id__in=partner).values("indicator_id")
            .annotate(latest=Max("reported_on")))
    return {partner[r["indicator_id"]]: r["latest"].isoformat() for r in rows}
