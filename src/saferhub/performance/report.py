"""The performance report as data: one JSON-ready structure that every rendering (JSON, the
web page, and later PDF, Word and Excel) is fed from."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import Any, Iterator, Optional

from saferhub.domain.calendar import Month
from saferhub.domain.figures import IndicatorFigures, compute_figures
from saferhub.domain.narrative import commentary, spc_reading
from saferhub.domain.status import STATUS_LABELS, assess_status
from saferhub.domain.variation import significance_for, spc_for, spc_series
from saferhub.partnerships.models import Partnership

from .models import Indicator, Source
from .selectors import (
    PoliceContext,
    comments_for,
    force_months,
    held_police_runs,
    import_runs_for,
    observations_and_forces,
    police_counts_for,
    police_forces_by_month,
    received_for,
    targets_for,
)

SCHEMA_VERSION = 1


def number(value: Optional[Decimal], places: int = 2) -> int | float | None:
    """JSON number: integers stay integers; other values are rounded, half away from zero."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass
class ReportBatch:
    """What the reports of many partnerships share, read once: the held force-months, every
    partnership's police.uk counts (one pass of the columnar store), and the import runs'
    entries of the sources note."""

    fms: dict[int, tuple[str, str]]
    counts: dict[int, dict[int, dict[str, int]]]
    held_runs: list[int]
    run_entries: dict[int, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, partnerships: list[Partnership]) -> "ReportBatch":
        return cls(fms=force_months(), counts=police_counts_for(partnerships), held_runs=held_police_runs())

    def run_entry(self, run) -> dict[str, Any]:
        if run.pk not in self.run_entries:
            self.run_entries[run.pk] = _run_entry(run)
        return copy.deepcopy(self.run_entries[run.pk])


def build_performance_reports(partnerships: list[Partnership], report_month: Month) -> Iterator[dict[str, Any]]:
    """``build_performance_report`` of each partnership in turn, the shared reads done once."""
    batch = ReportBatch.of(partnerships)
    for partnership in partnerships:
        yield build_performance_report(partnership, report_month, batch=batch)


def build_performance_report(
    partnership: Partnership, report_month: Month, *, batch: ReportBatch | None = None
) -> dict[str, Any]:
    indicators = list(Indicator.objects.filter(partnership=partnership).order_by("position", "code"))
    fy = report_month.financial_year
    observations, police = observations_and_forces(
        partnership,
        indicators,
        counts=batch.counts.get(partnership.pk, {}) if batch else None,
        fms=batch.fms if batch else None,
    )
    period_labels = [p.label for p in fy.months()] + [q.label for q in fy.quarters()]
    targets = targets_for(indicators, period_labels)
    comments = comments_for(indicators, report_month)
    entries = []
    if batch is None:
        sources = [_run_entry(run) for run in import_runs_for(partnership)]
    else:
        runs = import_runs_for(partnership, held_runs=batch.held_runs, prefetch=False)
        sources = [batch.run_entry(run) for run in runs]
    for ind in indicators:
        target_values, target_kind = targets.get(ind.code, ({}, "cumulative"))
        figures = compute_figures(
            frequency=ind.frequency,
            unit=ind.unit,
            report_month=report_month,
            observations=observations.get(ind.code, {}),
            targets=target_values,
            target_kind=target_kind,
        )
        entry = _indicator_entry(
            ind,
            figures,
            report_month,
            target_kind if target_values else None,
            observations.get(ind.code, {}),
            target_values if target_kind == "flat" else {},
        )
        entry["analyst_comment"] = comments.get(ind.code)
        entries.append(entry)
    return {
        "schema_version": SCHEMA_VERSION,
        "partnership": partnership.slug,
        "partnership_name": partnership.name,
        "period": report_month.label,
        "period_name": report_month.name,
        "financial_year": fy.label,
        "indicators": entries,
        "sources": sources,
        "datasets": _datasets(entries, received_for(indicators), sources),
        "police_forces_by_month": _forces_by_month(partnership, report_month, police),
    }


def _forces_by_month(
    partnership: Partnership, report_month: Month, police: PoliceContext | None
) -> list[dict[str, Any]]:
    """Which forces' files are behind each month of the year to date and of the same months a
    year earlier, and the months a force that normally has rows in the area has none."""
    if police is None:
        return []
    rows, held, fms = police
    this_year = [m for m in report_month.financial_year.months() if m.label <= report_month.label]
    months = [m.shift(-12).label for m in this_year] + [m.label for m in this_year]
    return police_forces_by_month(partnership, months, rows, held, fms)


POLICEUK_OWNER = "data.police.uk (the Home Office, from the police forces' files)"


def _datasets(
    entries: list[dict[str, Any]], received: dict[str, str], sources: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each dataset behind the report, as the sources note names it: what it is, who owns it,
    when it was received and which indicators it feeds. Partner figures are one dataset per
    owner, received on their latest ``reported_on``; police.uk counts one dataset, received when
    its latest files were imported."""
    police_runs = [s["imported_at"][:10] for s in sources if s["kind"] == "policeuk"]
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for ind in entries:
        if ind["source"] == Source.POLICEUK:
            owner, when = ind["owner"] or POLICEUK_OWNER, max(police_runs, default=None)
        else:
            owner, when = ind["owner"] or "the partnership", received.get(ind["code"])
        d = out.setdefault(
            (ind["source_label"], owner),
            {"name": ind["source_label"], "source": ind["source"], "owner": owner, "received": when, "indicators": []},
        )
        d["indicators"].append(ind["title"])
        if when and (d["received"] is None or when > d["received"]):
            d["received"] = when
    return list(out.values())


def _indicator_entry(
    ind: Indicator,
    figures: IndicatorFigures,
    report_month: Month,
    target_kind: Optional[str],
    observations: dict,
    flat_targets: dict,
) -> dict[str, Any]:
    ytd = figures.ytd
    spc = None
    series: list[tuple[str, float]] = []
    if ind.frequency == "monthly":
        series = spc_series(observations, report_month, ind.unit)
        flat = flat_targets.get(report_month.label)
        spc = spc_for(series, ind.polarity, float(flat) if flat is not None else None)
    significance = None
    if ind.unit == "count" and ytd.value is not None and ytd.previous is not None:
        significance = significance_for(ytd.previous, ytd.value, [v for _, v in series])
    # Figures held for some month of the year, but no year to date (a missing first month, or
    # rates that cannot be pooled): not assessed, not "no data".
    held_any = ytd.to_period is not None or any(r.value is not None for r in figures.periods)
    status = assess_status(
        ind.polarity, ytd_value=ytd.value, ytd_previous=ytd.previous, ytd_target=ytd.target, figures_held=held_any
    )
    is_rate = ind.unit == "percentage"
    periods = []
    for r in figures.periods:
        row: dict[str, Any] = {
            "period": r.period,
            "value": number(r.value),
            "previous": number(r.previous),
            "change": number(r.change),
            "cumulative": number(r.cumulative),
            "previous_cumulative": number(r.previous_cumulative),
            "target": number(r.target),
            "target_cumulative": number(r.target_cumulative),
            "gap": number(r.gap),
            "due": r.due,
        }
        if is_rate and r.numerator is not None:
            row["numerator"] = number(r.numerator)
            row["denominator"] = number(r.denominator)
        periods.append(row)
    ytd_entry: dict[str, Any] = {
        "to_period": ytd.to_period,
        "value": number(ytd.value),
        "previous": number(ytd.previous),
        "change": number(ytd.change),
        "change_pct": number(ytd.change_pct, 1),
        "change_unit": "percentage_points" if is_rate else ind.unit,
        "target": number(ytd.target),
        "gap": number(ytd.gap),
    }
    if is_rate and ytd.numerator is not None:
        ytd_entry.update(
            numerator=number(ytd.numerator),
            denominator=number(ytd.denominator),
            previous_numerator=number(ytd.previous_numerator),
            previous_denominator=number(ytd.previous_denominator),
        )
    return {
        "code": ind.code,
        "title": ind.title,
        "polarity": ind.polarity,
        "frequency": ind.frequency,
        "unit": ind.unit,
        "source": ind.source,
        "source_label": Source(ind.source).label,
        "crime_types": list(ind.crime_types),
        "owner": ind.owner,
        "notes": ind.notes,
        "target_kind": target_kind,
        "periods": periods,
        "ytd": ytd_entry,
        "cumulative_pooled": figures.pooled,
        "status": status.value,
        "status_label": STATUS_LABELS[status],
        "commentary": commentary(
            figures,
            noun=ind.noun,
            unit=ind.unit,
            report_month=report_month,
            change_words=significance["words"] if significance else None,
            spc=spc,
        ),
        "spc_reading": spc_reading(significance["words"] if significance else None, spc),
        "spc": spc,
        "significance": significance,
        "missing_periods": figures.missing_periods,
        "data_notes": figures.notes,
    }


def _run_entry(run) -> dict[str, Any]:
    # A national run has a thousand files: the note lists the files of small runs only.
    files = list(run.imported_files.all()) if run.files <= 24 else []
    entry: dict[str, Any] = {
        "run": run.pk,
        "kind": run.kind,
        "imported_at": run.started_at.isoformat(),
        "files": run.files,
        "files_unchanged": run.files_unchanged,
        "rows_read": run.rows_read,
        "rows_without_location": run.rows_without_location,
        "rows_in_area": run.rows_in_area,
        "rows_outside_area": run.rows_outside_area,
    }
    if run.files <= 24:
        entry["file_list"] = [
            {
                "name": PurePath(f.name).name,
                "checksum": f.checksum,
                "checksum_algorithm": f.checksum_algorithm,
                "outcome": f.outcome,
                "month": f.month or None,
            }
            for f in files
        ]
    return entry
