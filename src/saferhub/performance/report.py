"""The performance report, built: one typed value (``saferhub.domain.report.PerformanceReport``)
that every rendering (JSON, the web pages, PDF, Word and Excel, the public figures) is fed from."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Optional

from saferhub.domain.calendar import Month, parse_period
from saferhub.domain.figures import IndicatorFigures, compute_figures
from saferhub.domain.indicators import Frequency, Source, TargetKind, Unit
from saferhub.domain.narrative import commentary, spc_reading
from saferhub.domain.report import (
    Dataset,
    FileEntry,
    ForcesMonth,
    IndicatorEntry,
    PerformanceReport,
    PeriodRow,
    SourceRun,
    YearToDate,
    figure,
)
from saferhub.domain.status import Polarity, assess_status
from saferhub.domain.variation import significance_for, spc_for, spc_series
from saferhub.partnerships.models import Partnership
from saferhub.rendering.report_json import SCHEMA_VERSION

from .models import Indicator
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
from .services.standard import STANDARD_OWNER

__all__ = ["SCHEMA_VERSION", "build_performance_report"]


@dataclass
class ReportBatch:
    """What the reports of many partnerships share, read once: the held force-months, every
    partnership's police.uk counts (one pass of the columnar store), and the import runs'
    entries of the sources note."""

    fms: dict[int, tuple[str, str]]
    counts: dict[int, dict[int, dict[str, int]]]
    held_runs: list[int]
    run_entries: dict[int, SourceRun] = field(default_factory=dict)

    @classmethod
    def of(cls, partnerships: list[Partnership]) -> "ReportBatch":
        return cls(fms=force_months(), counts=police_counts_for(partnerships), held_runs=held_police_runs())

    def run_entry(self, run) -> SourceRun:
        if run.pk not in self.run_entries:
            self.run_entries[run.pk] = _run_entry(run)
        return self.run_entries[run.pk]  # frozen: shared safely between reports


def build_performance_report(
    partnership: Partnership,
    report_month: Month,
    *,
    as_at: datetime.date | None = None,
    batch: ReportBatch | None = None,
) -> PerformanceReport:
    """The report for ``report_month``; with ``as_at``, from the partner figures as reported by
    that date (a board paper rebuilt later shows what the board saw). police.uk months are the
    publications held. ``batch``: the reads shared by many partnerships' reports."""
    indicators = list(
        Indicator.objects.filter(partnership=partnership, retired_at__isnull=True).order_by("position", "code")
    )
    fy = report_month.financial_year
    observations, police = observations_and_forces(
        partnership,
        indicators,
        as_at,
        counts=batch.counts.get(partnership.pk, {}) if batch else None,
        fms=batch.fms if batch else None,
    )
    period_labels = [p.label for p in fy.months()] + [q.label for q in fy.quarters()]
    targets = targets_for(indicators, period_labels)
    comments = comments_for(indicators, report_month)
    entries = []
    if batch is None:
        sources = tuple(_run_entry(run) for run in import_runs_for(partnership, as_at=as_at))
    else:
        runs = import_runs_for(partnership, held_runs=batch.held_runs, prefetch=False, as_at=as_at)
        sources = tuple(batch.run_entry(run) for run in runs)
    for ind in indicators:
        target_values, target_kind = targets.get(ind.code, ({}, TargetKind.CUMULATIVE))
        figures = compute_figures(
            frequency=ind.frequency,
            unit=ind.unit,
            report_month=report_month,
            observations=observations.get(ind.code, {}),
            targets=target_values,
            target_kind=target_kind,
        )
        entries.append(
            _indicator_entry(
                ind,
                figures,
                report_month,
                target_kind if target_values else None,
                observations.get(ind.code, {}),
                target_values if target_kind == TargetKind.FLAT else {},
                comments.get(ind.code),
            )
        )
    forces_by_month = _forces_by_month(partnership, report_month, police)
    return PerformanceReport(
        partnership=partnership.slug,
        partnership_name=partnership.name,
        period=report_month,
        indicators=tuple(entries),
        sources=sources,
        datasets=_datasets(entries, received_for(indicators, as_at), sources, forces_by_month),
        police_forces_by_month=forces_by_month,
    )


def _forces_by_month(
    partnership: Partnership, report_month: Month, police: PoliceContext | None
) -> tuple[ForcesMonth, ...]:
    """Which forces' files are behind each month of the year to date and of the same months a
    year earlier, and the months a force that normally has rows in the area has none."""
    if police is None:
        return ()
    rows, held, fms = police
    this_year = [m for m in report_month.financial_year.months() if m.label <= report_month.label]
    months = [m.shift(-12).label for m in this_year] + [m.label for m in this_year]
    return police_forces_by_month(partnership, months, rows, held, fms)


POLICEUK_OWNER = "data.police.uk (the Home Office, from the police forces' files)"


def _police_owner(forces_by_month: tuple[ForcesMonth, ...]) -> str:
    """The police.uk data's owner as the sources note names it: the forces that police the area
    and whose files are behind the report, else data.police.uk itself."""
    forces = sorted({f.force for m in forces_by_month for f in m.forces if f.polices_area and f.file_held})
    if not forces:
        return POLICEUK_OWNER
    names = forces[0] if len(forces) == 1 else ", ".join(forces[:-1]) + " and " + forces[-1]
    return f"{names} (police.uk open data)"


def _datasets(
    entries: list[IndicatorEntry],
    received: dict[str, str],
    sources: tuple[SourceRun, ...],
    forces_by_month: tuple[ForcesMonth, ...] = (),
) -> tuple[Dataset, ...]:
    """Each dataset behind the report, as the sources note names it: what it is, who owns it,
    when it was received and which indicators it feeds. Partner figures are one dataset per
    owner, received on their latest ``reported_on``; police.uk counts one dataset, received when
    its latest files were imported."""
    police_runs = [s.imported_at.date() for s in sources if s.kind == "policeuk"]
    out: dict[tuple[str, str], tuple[str, str, Optional[datetime.date], list[str]]] = {}
    for ind in entries:
        when: Optional[datetime.date]
        if ind.source == Source.POLICEUK:
            custom = ind.owner and ind.owner != STANDARD_OWNER
            owner, when = ind.owner if custom else _police_owner(forces_by_month), max(police_runs, default=None)
        else:
            iso = received.get(ind.code)
            owner, when = ind.owner or "the partnership", datetime.date.fromisoformat(iso) if iso else None
        key = (ind.source_label, owner)
        source, _, latest, titles = out.setdefault(key, (ind.source, owner, when, []))
        titles.append(ind.title)
        if when and (latest is None or when > latest):
            out[key] = (source, owner, when, titles)
    return tuple(
        Dataset(name=name, source=source, owner=owner, received=when, indicators=tuple(titles))
        for (name, _), (source, owner, when, titles) in out.items()
    )


def _indicator_entry(
    ind: Indicator,
    figures: IndicatorFigures,
    report_month: Month,
    target_kind: Optional[str],
    observations: dict,
    flat_targets: dict,
    analyst_comment: Optional[str],
) -> IndicatorEntry:
    ytd = figures.ytd
    spc = None
    series: list[tuple[str, float]] = []
    if ind.frequency == Frequency.MONTHLY:
        series = spc_series(observations, report_month, ind.unit)
        flat = flat_targets.get(report_month.label)
        spc = spc_for(series, ind.polarity, float(flat) if flat is not None else None, ind.unit)
    tested = None
    if ind.unit == Unit.COUNT and ytd.value is not None and ytd.previous is not None:
        tested = significance_for(ytd.previous, ytd.value, [v for _, v in series])
    # Figures held for some month of the year, but no year to date (a missing first month, or
    # rates that cannot be pooled): not assessed, not "no data".
    held_any = ytd.to_period is not None or any(r.value is not None for r in figures.periods)
    status = assess_status(
        ind.polarity, ytd_value=ytd.value, ytd_previous=ytd.previous, ytd_target=ytd.target, figures_held=held_any
    )
    unit = Unit(ind.unit)
    is_rate = unit == Unit.PERCENTAGE
    periods = tuple(
        PeriodRow(
            period=parse_period(r.period),
            value=figure(r.value),
            previous=figure(r.previous),
            change=figure(r.change),
            cumulative=figure(r.cumulative),
            previous_cumulative=figure(r.previous_cumulative),
            target=figure(r.target),
            target_cumulative=figure(r.target_cumulative),
            gap=figure(r.gap),
            due=r.due,
            numerator=figure(r.numerator) if is_rate else None,
            denominator=figure(r.denominator) if is_rate and r.numerator is not None else None,
            unit=unit,
        )
        for r in figures.periods
    )
    parts = is_rate and ytd.numerator is not None
    ytd_entry = YearToDate(
        to_period=parse_period(ytd.to_period) if ytd.to_period else None,
        value=figure(ytd.value),
        previous=figure(ytd.previous),
        change=figure(ytd.change),
        change_pct=figure(ytd.change_pct, 1),
        change_unit="percentage_points" if is_rate else unit,
        target=figure(ytd.target),
        gap=figure(ytd.gap),
        numerator=figure(ytd.numerator) if parts else None,
        denominator=figure(ytd.denominator) if parts else None,
        previous_numerator=figure(ytd.previous_numerator) if parts else None,
        previous_denominator=figure(ytd.previous_denominator) if parts else None,
        unit=unit,
    )
    words = tested.words if tested is not None else None
    return IndicatorEntry(
        code=ind.code,
        title=ind.title,
        polarity=Polarity(ind.polarity),
        frequency=Frequency(ind.frequency),
        unit=unit,
        source=Source(ind.source),
        source_label=Source(ind.source).label,
        crime_types=tuple(ind.crime_types),
        owner=ind.owner,
        notes=ind.notes,
        target_kind=TargetKind(target_kind) if target_kind else None,
        periods=periods,
        ytd=ytd_entry,
        cumulative_pooled=figures.pooled,
        status=status,
        commentary=commentary(
            figures, noun=ind.noun, unit=unit, report_month=report_month, change_words=words, spc=spc
        ),
        spc_reading=spc_reading(words, spc),
        spc=spc,
        significance=tested,
        missing_periods=tuple(parse_period(p) for p in figures.missing_periods),
        data_notes=tuple(figures.notes),
        analyst_comment=analyst_comment,
    )


def _run_entry(run) -> SourceRun:
    # A national run has a thousand files: the note lists the files of small runs only.
    files = list(run.imported_files.all()) if run.files <= 24 else []
    return SourceRun(
        run=run.pk,
        kind=run.kind,
        imported_at=run.started_at,
        files=run.files,
        files_unchanged=run.files_unchanged,
        rows_read=run.rows_read,
        rows_without_location=run.rows_without_location,
        rows_in_area=run.rows_in_area,
        rows_outside_area=run.rows_outside_area,
        file_list=tuple(
            FileEntry(
                name=PurePath(f.name).name,
                checksum=f.checksum,
                checksum_algorithm=f.checksum_algorithm,
                outcome=f.outcome,
                month=f.month or None,
            )
            for f in files
        )
        if run.files <= 24
        else None,
    )
