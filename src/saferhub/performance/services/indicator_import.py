"""Import partner-supplied figures (CSV or XLSX) as revisions, all or nothing."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain.indicators import UploadOutcome
from saferhub.ingest.partner import CatalogueEntry, read_partner_figures
from saferhub.ingest.policeuk import CHECKSUM_ALGORITHM, checksum_of
from saferhub.partnerships.models import Partnership

from ..models import ImportedFile, ImportKind, ImportRun, Indicator, IndicatorValue, TargetValue


def indicators_import(
    *,
    path: Path,
    partnership: Partnership,
    now: datetime.datetime,
    actor: Any = None,
    name: str | None = None,
) -> ImportRun:
    """A revision is added only when a figure differs from the latest one held, so the same
    file imported twice changes nothing. Targets are set (replaced) per period.

    Every changed value and target is audited with its before and after; the returned run
    carries ``line_outcomes`` (not stored), what happened to each line, for the result page.
    ``name`` is the file's name as the user knows it (an upload is stored under another)."""
    # Every indicator of the partnership: a police.uk one takes targets (its figures come from the
    # street files, so read_partner_figures refuses a value for it).
    indicators = {i.code: i for i in Indicator.objects.filter(partnership=partnership)}
    catalogue = {code: CatalogueEntry(i.frequency, i.unit, i.source) for code, i in indicators.items()}
    records = read_partner_figures(path, catalogue, today=now.date())
    with transaction.atomic():
        run = ImportRun.objects.create(
            kind=ImportKind.INDICATORS,
            partnership=partnership,
            started_at=now,
            finished_at=now,
            files=1,
            rows_read=len(records),
        )
        ImportedFile.objects.create(
            run=run,
            name=name or str(path),
            checksum=checksum_of(path),
            checksum_algorithm=CHECKSUM_ALGORITHM,
            size=path.stat().st_size,
            rows=len(records),
            outcome=ImportedFile.Outcome.LOADED,
        )
        latest = _latest_values(indicators.values())
        targets = {(t.indicator_id, t.period): t for t in TargetValue.objects.filter(indicator__in=indicators.values())}
        added = unchanged = targets_set = 0
        outcomes: list[dict[str, Any]] = []
        log = _Auditor(actor=actor, now=now, run=run)
        for r in records:
            indicator = indicators[r.indicator]
            line = {"line": r.line, "indicator": r.indicator, "period": r.period, "value": None, "target": None}
            if r.value is not None or r.numerator is not None:
                held = latest.get((indicator.pk, r.period))
                figure = (r.value, r.numerator, r.denominator)
                if held is not None and _same(held, figure):
                    unchanged += 1
                    line["value"] = UploadOutcome.UNCHANGED.value
                else:
                    IndicatorValue.objects.create(
                        indicator=indicator,
                        period=r.period,
                        value=r.value,
                        numerator=r.numerator,
                        denominator=r.denominator,
                        reported_on=r.reported_on,
                        run=run,
                    )
                    added += 1
                    line["value"] = (UploadOutcome.ADDED if held is None else UploadOutcome.REPLACED).value
                    log.change(
                        indicator,
                        "value",
                        r.period,
                        _figure(held) if held else None,
                        _figure_of(r.value, r.numerator, r.denominator),
                    )
            if r.target is not None:
                held_target = targets.get((indicator.pk, r.period))
                if held_target is None:
                    TargetValue.objects.create(
                        indicator=indicator, period=r.period, value=r.target, kind=r.target_kind, run=run
                    )
                    targets_set += 1
                    line["target"] = UploadOutcome.ADDED.value
                    log.change(
                        indicator, "target", r.period, None, {"target": str(r.target), "target_kind": r.target_kind}
                    )
                elif held_target.value != r.target or held_target.kind != r.target_kind:
                    before = {"target": str(held_target.value), "target_kind": held_target.kind}
                    held_target.value, held_target.kind, held_target.run = r.target, r.target_kind, run
                    held_target.save()
                    targets_set += 1
                    line["target"] = UploadOutcome.REPLACED.value
                    log.change(
                        indicator, "target", r.period, before, {"target": str(r.target), "target_kind": r.target_kind}
                    )
                else:
                    line["target"] = UploadOutcome.UNCHANGED.value
            outcomes.append(line)
        run.values_added, run.values_unchanged, run.targets_set = added, unchanged, targets_set
        run.save()
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            obj=run,
            at=now,
            summary=f"partner figures from {name or path.name}: {added} values added or revised, "
            f"{unchanged} unchanged, {targets_set} targets set",
        )
    run.line_outcomes = outcomes
    return run


class _Auditor:
    """One audit event per changed figure, naming the run that changed it."""

    def __init__(self, *, actor: Any, now: datetime.datetime, run: ImportRun):
        self.actor, self.now, self.run = actor, now, run

    def change(self, indicator: Indicator, what: str, period: str, before: Any, after: Any) -> None:
        audit_record(
            actor=self.actor,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            obj=indicator,
            at=self.now,
            summary=f"{what} of {indicator.code} for {period} (import run {self.run.pk})",
            before={"period": period, **before} if before is not None else None,
            after={"period": period, **after},
        )


def _figure_of(value, numerator, denominator) -> dict[str, str]:
    """The figure's parts that are given, as exact decimal text."""
    parts = {"value": value, "numerator": numerator, "denominator": denominator}
    return {k: str(v) for k, v in parts.items() if v is not None}


def _figure(held: IndicatorValue) -> dict[str, str]:
    return _figure_of(held.value, held.numerator, held.denominator)


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
