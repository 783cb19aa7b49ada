"""Import partner-supplied figures (CSV or XLSX) as revisions, all or nothing."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import transaction

from saferhub.ingest.partner import CatalogueEntry, read_partner_figures
from saferhub.partnerships.models import Partnership

from ..models import ImportedFile, ImportKind, ImportRun, Indicator, IndicatorValue, Source, TargetValue
from saferhub.ingest.policeuk import CHECKSUM_ALGORITHM, checksum_of


def indicators_import(*, path: Path, partnership: Partnership, now: datetime.datetime) -> ImportRun:
    """A revision is added only when a figure differs from the latest one held, so the same
    file imported twice changes nothing. Targets are set (replaced) per period."""
    indicators = {
        i.code: i for i in Indicator.objects.filter(partnership=partnership, source=Source.PARTNER)
    }
    catalogue = {code: CatalogueEntry(i.frequency, i.unit) for code, i in indicators.items()}
    records = read_partner_figures(path, catalogue, today=now.date())
    with transaction.atomic():
        run = ImportRun.objects.create(
            kind=ImportKind.INDICATORS, partnership=partnership, started_at=now, finished_at=now,
            files=1, rows_read=len(records),
        )
        ImportedFile.objects.create(
            run=run, name=str(path), checksum=checksum_of(path), checksum_algorithm=CHECKSUM_ALGORITHM, size=path.stat().st_size,
            rows=len(records), outcome=ImportedFile.Outcome.LOADED,
        )
        latest = _latest_values(indicators.values())
        targets = {(t.indicator_id, t.period): t for t in TargetValue.objects.filter(indicator__in=indicators.values())}
        added = unchanged = targets_set = 0
        for r in records:
            indicator = indicators[r.indicator]
            if r.value is not None or r.numerator is not None:
                held = latest.get((indicator.pk, r.period))
                figure = (r.value, r.numerator, r.denominator)
                if held is not None and _same(held, figure):
                    unchanged += 1
                else:
                    IndicatorValue.objects.create(
                        indicator=indicator, period=r.period, value=r.value, numerator=r.numerator,
                        denominator=r.denominator, reported_on=r.reported_on, run=run,
                    )
                    added += 1
            if r.target is not None:
                held_target = targets.get((indicator.pk, r.period))
                if held_target is None:
                    TargetValue.objects.create(indicator=indicator, period=r.period, value=r.target, kind=r.target_kind, run=run)
                    targets_set += 1
                elif held_target.value != r.target or held_target.kind != r.target_kind:
                    held_target.value, held_target.kind, held_target.run = r.target, r.target_kind, run
                    held_target.save()
                    targets_set += 1
        run.values_added, run.values_unchanged, run.targets_set = added, unchanged, targets_set
        run.save()
    return run


def _latest_values(indicators) -> dict[tuple[int, str], IndicatorValue]:
    latest: dict[tuple[int, str], IndicatorValue] = {}
    for v in IndicatorValue.objects.filter(indicator__in=list(indicators)).order_by("reported_on", "id"):
        latest[(v.indicator_id, v.period)] = v
    return latest


def _same(held: IndicatorValue, figure) -> bool:
    value, numerator, denominator = figure
    if numerator is not None or held.numerator is not None:
        return held.numerator == numerator and held.denominator == denominator
    return held.value == value
