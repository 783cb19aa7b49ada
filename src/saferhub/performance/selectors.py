"""Reads that carry rules: which figures an indicator has, for which periods."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Iterable

from django.db.models import Max, Q

from saferhub.domain.figures import Observation
from saferhub.domain.geography import geography
from saferhub.domain.policeuk import CRIME_TYPES
from saferhub.domain.report import ForceFile, ForcesMonth
from saferhub.partnerships.models import Partnership, PartnershipLsoa

from . import counts_store
from .models import (
    AnalystComment,
    ForceMonth,
    ImportRun,
    Indicator,
    IndicatorValue,
    Source,
    TargetValue,
)


def area_lsoas(partnerships: Iterable[Partnership]) -> dict[int, list[str]]:
    """Each partnership's LSOA codes (2011 and 2021), each once, by partnership id."""
    out: dict[int, list[str]] = {p.pk: [] for p in partnerships}
    for pk, code in PartnershipLsoa.objects.filter(partnership_id__in=list(out)).values_list("partnership_id", "lsoa"):
        out[pk].append(code)
    return out


def _pfa_of_forces(forces: Iterable[str]) -> dict[str, str | None]:
    geo = geography()
    return {f: geo.force_pfa(f) for f in forces}


def force_months() -> dict[int, tuple[str, str]]:
    """Every held force-month: ForceMonth id -> (force, month)."""
    return _force_months()


def _force_months(as_at: datetime.date | None = None) -> dict[int, tuple[str, str]]:
    """With ``as_at``: only the force-months whose files had been imported by that date."""
    held = ForceMonth.objects.all()
    if as_at is not None:
        held = held.filter(source__run__started_at__date__lte=as_at)
    return {pk: (force, month) for pk, force, month in held.values_list("pk", "force", "month")}


def police_months_held(partnership: Partnership, force_months: dict[int, tuple[str, str]] | None = None) -> set[str]:
    """Months for which the files of every force that polices the area (by the ONS
    LAD -> CSP -> police force area lookup) are held. Other forces' rows in the area are
    counted when present; their absence never makes a month missing.

    A month held with no rows of a crime type is a true zero; a month not held is missing."""
    pfas = set(partnership.police_force_areas or [])
    if not pfas:
        return set()
    fms = _force_months() if force_months is None else force_months
    pfa_of = _pfa_of_forces({f for f, _ in fms.values()})
    by_pfa: dict[str, set[str]] = {p: set() for p in pfas}
    for force, month in fms.values():
        pfa = pfa_of.get(force)
        if pfa in by_pfa:
            by_pfa[pfa].add(month)
    return set.intersection(*by_pfa.values())


POLICE_COLUMNS = sorted(CRIME_TYPES.values())


def police_counts_by_force_month(partnership: Partnership, columns: list[str]) -> dict[int, dict[str, int]]:
    """The area's rows per held force-month (ForceMonth id), by crime type slug."""
    return counts_store.counts_by_area(area_lsoas([partnership]), columns)[partnership.pk]


def police_counts_for(partnerships: list[Partnership]) -> dict[int, dict[int, dict[str, int]]]:
    """``police_counts_by_force_month`` of every crime type for many partnerships in one pass of
    the columnar store (a report for every partnership), by partnership id."""
    return counts_store.counts_by_area(area_lsoas(partnerships), POLICE_COLUMNS)


def police_observations(partnership: Partnership, indicators: list[Indicator]) -> dict[str, dict[str, Observation]]:
    """Monthly counts for each police.uk indicator, by code then month."""
    return police_area_figures(partnership, indicators)[0]


PoliceContext = tuple[dict[str, dict[str, int]], set[str], dict[int, tuple[str, str]]]


def police_area_figures(
    partnership: Partnership,
    indicators: list[Indicator],
    *,
    counts: dict[int, dict[str, int]] | None = None,
    fms: dict[int, tuple[str, str]] | None = None,
) -> tuple[dict[str, dict[str, Observation]], dict[str, dict[str, int]], set[str], dict[int, tuple[str, str]]]:
    """(observations by indicator code then month, rows in the area by month then force, months held).

    ``counts`` (from ``police_counts_for``) and ``fms`` (``_force_months()``) may be given when
    reports of many partnerships are built together."""
    fms = _force_months() if fms is None else fms
    held = police_months_held(partnership, fms)
    columns = sorted({t for ind in indicators for t in ind.crime_types} | set(CRIME_TYPES.values()))
    by_fm = police_counts_by_force_month(partnership, columns) if counts is None else counts
    totals: dict[tuple[str, str], int] = {}
    rows: dict[str, dict[str, int]] = {}
    for fm_id, counts in by_fm.items():
        if fm_id not in fms:
            continue  # a file imported after the report's date
        force, month = fms[fm_id]
        for slug, n in counts.items():
            totals[(month, slug)] = totals.get((month, slug), 0) + n
        rows.setdefault(month, {})[force] = rows.get(month, {}).get(force, 0) + sum(counts.values())
    out: dict[str, dict[str, Observation]] = {}
    for ind in indicators:
        series = {}
        for month in held:
            n = sum(totals.get((month, t), 0) for t in ind.crime_types)
            series[month] = Observation(value=Decimal(n))
        out[ind.code] = series
    return out, rows, held, fms


def police_forces_by_month(
    partnership: Partnership,
    months: list[str],
    rows: dict[str, dict[str, int]],
    held: set[str],
    fms: dict[int, tuple[str, str]],
) -> tuple[ForcesMonth, ...]:
    """For each month: the forces whose files are behind it (the forces that police the area, and
    any other force with rows in the area), whether each file is held and its rows in the area;
    and the forces that normally have rows in the area but have none that month."""
    geo = geography()
    policing = set(partnership.police_force_areas or [])
    files: dict[str, set[str]] = {}
    for force, month in fms.values():
        files.setdefault(month, set()).add(force)
    pfa_of = _pfa_of_forces({f for f, _ in fms.values()})
    policing_forces = {f for f, p in pfa_of.items() if p in policing}
    seen = sorted({f for m in months for f in rows.get(m, {})} | policing_forces)
    with_data = [m for m in months if rows.get(m)]
    usual = {f for f in seen if with_data and sum(1 for m in with_data if rows[m].get(f)) * 2 >= len(with_data)}
    out = []
    for month in months:
        forces = []
        for f in seen:
            n = rows.get(month, {}).get(f, 0)
            file_held = f in files.get(month, set())
            if not (file_held or n or f in policing_forces):
                continue
            forces.append(ForceFile(force=f, polices_area=f in policing_forces, file_held=file_held, rows_in_area=n))
        missing = sorted(
            geo.forces[p].name for p in policing if not any(pfa_of.get(f) == p for f in files.get(month, set()))
        )
        flagged = sorted(f for f in usual if month in held and not rows.get(month, {}).get(f))
        out.append(
            ForcesMonth(
                month=month,
                held=month in held,
                forces=tuple(forces),
                policing_forces_missing=tuple(missing),
                forces_without_rows=tuple(flagged),
            )
        )
    return tuple(out)


def partner_observations(
    indicators: list[Indicator], as_at: datetime.date | None = None
) -> dict[str, dict[str, Observation]]:
    """The latest revision of each partner figure (as reported by ``as_at``, when given: a
    board paper of that date shows the figures as they were then)."""
    by_id = {i.pk: i.code for i in indicators}
    out: dict[str, dict[str, Observation]] = {code: {} for code in by_id.values()}
    values = IndicatorValue.objects.filter(indicator__in=indicators)
    if as_at is not None:
        values = values.filter(reported_on__lte=as_at)
    for v in values.order_by("reported_on", "id"):
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
    return observations_and_forces(partnership, indicators)[0]


def observations_and_forces(
    partnership: Partnership,
    indicators: list[Indicator],
    as_at: datetime.date | None = None,
    *,
    counts: dict[int, dict[str, int]] | None = None,
    fms: dict[int, tuple[str, str]] | None = None,
) -> tuple[dict[str, dict[str, Observation]], PoliceContext | None]:
    """The observations of every indicator, and (for police.uk indicators) what
    police_forces_by_month needs: rows by month and force, months held, force-months.
    ``counts`` and ``fms``: as police_area_figures takes them (reports built together)."""
    police = [i for i in indicators if i.source == Source.POLICEUK]
    partner = [i for i in indicators if i.source == Source.PARTNER]
    out = partner_observations(partner, as_at) if partner else {}
    context: PoliceContext | None = None
    if police:
        if as_at is not None and fms is None:
            fms = _force_months(as_at)  # the police.uk files held by that date, not later imports
        obs, rows, held, fms = police_area_figures(partnership, police, counts=counts, fms=fms)
        out.update(obs)
        context = (rows, held, fms)
    return out, context


def held_police_runs() -> list[tuple[str, int]]:
    """The police.uk runs whose files are the ones held now, with the force of each."""
    return list(ForceMonth.objects.values_list("force", "source__run_id").distinct().order_by())


def import_runs_for(
    partnership: Partnership,
    limit: int = 20,
    *,
    held_runs: list[tuple[str, int]] | None = None,
    prefetch: bool = True,
    as_at: datetime.date | None = None,
) -> list[ImportRun]:
    """Runs that brought this partnership's figures: its own runs and, when it has police.uk
    indicators, the police.uk runs whose files held now are those of a force policing its area
    (``held_runs``: the held forces and runs, when already read). Another partnership's police.uk
    import is no source of a partnership without police.uk indicators, nor of one policed by
    other forces. With ``as_at``, only the runs made by that date (a board paper of that date
    names the imports the board's figures came from, not later ones)."""
    runs_of_area: set[int] = set()
    if Indicator.objects.filter(partnership=partnership, source=Source.POLICEUK).exists():
        pfas = set(partnership.police_force_areas or [])
        held = held_police_runs() if held_runs is None else held_runs
        pfa_of = _pfa_of_forces({force for force, _ in held})
        runs_of_area = {run for force, run in held if pfa_of.get(force) in pfas}
    runs = (
        ImportRun.objects.filter(Q(partnership=partnership) | Q(pk__in=runs_of_area))
        # A run of no file is targets typed on the web (audited there), not a source of figures:
        # many of them must not push the files out of the sources note.
        .exclude(files=0)
        .order_by("-started_at", "-id")
    )
    if as_at is not None:
        runs = runs.filter(started_at__date__lte=as_at)
    if prefetch:
        runs = runs.prefetch_related("imported_files")
    return list(runs[:limit])


def comments_for(indicators: list[Indicator], report_month) -> dict[str, str]:
    """The latest analyst comment on each indicator for the reporting month."""
    by_id = {i.pk: i.code for i in indicators}
    out: dict[str, str] = {}
    for c in AnalystComment.objects.filter(indicator__in=indicators, period=report_month.label).order_by(
        "written_at", "id"
    ):
        out[by_id[c.indicator_id]] = c.text
    return out


def received_for(indicators: list[Indicator], as_at: datetime.date | None = None) -> dict[str, str]:
    """The date each partner-supplied indicator's latest figures were received (the latest
    ``reported_on`` of its values; with ``as_at``, of those received by that date), as ISO
    dates, by indicator code."""
    partner = {i.pk: i.code for i in indicators if i.source == Source.PARTNER}
    values = IndicatorValue.objects.filter(indicator_id__in=partner)
    if as_at is not None:
        values = values.filter(reported_on__lte=as_at)
    rows = values.values("indicator_id").annotate(latest=Max("reported_on"))
    return {partner[r["indicator_id"]]: r["latest"].isoformat() for r in rows}
