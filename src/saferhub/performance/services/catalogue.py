"""Define a partnership's indicators from a catalogue table (CSV or XLSX).

Columns: code, title, polarity, frequency, unit, source, noun, and optionally crime_types
(police.uk slugs separated by spaces or semicolons), owner and notes. Re-importing updates the
definitions in place; figures already held are kept."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record, audited_update
from saferhub.domain.calendar import FinancialYear
from saferhub.domain.figures import TARGET_KINDS
from saferhub.domain.policeuk import CRIME_TYPE_BY_SLUG
from saferhub.domain.problems import ImportProblem, InputError, SaferhubError
from saferhub.ingest.tables import read_table
from saferhub.partnerships.models import Partnership
from saferhub.retiring import retire_or_reinstate

from ..models import Frequency, ImportKind, ImportRun, Indicator, Polarity, Source, TargetValue, Unit

REQUIRED = ("code", "title", "polarity", "frequency", "unit", "source")


def catalogue_import(*, path: Path, partnership: Partnership) -> list[Indicator]:
    name = str(path)
    header, rows = read_table(path)
    for column in REQUIRED:
        if column not in header:
            raise InputError(ImportProblem(name, 1, column, f"the catalogue needs a {column!r} column"))
    choices = {"polarity": Polarity.values, "frequency": Frequency.values, "unit": Unit.values, "source": Source.values}
    parsed = []
    for line, row in rows:
        for field, allowed in choices.items():
            if row[field] not in allowed:
                raise InputError(ImportProblem(name, line, field, f"{row[field]!r} is not one of {', '.join(allowed)}"))
        crime_types = [t for t in row.get("crime_types", "").replace(";", " ").split() if t]
        for t in crime_types:
            if t not in CRIME_TYPE_BY_SLUG:
                raise InputError(ImportProblem(name, line, "crime_types", f"{t!r} is not a police.uk crime type slug"))
        if row["source"] == Source.POLICEUK and not crime_types:
            raise InputError(ImportProblem(name, line, "crime_types", "a police.uk indicator needs its crime types"))
        if row["source"] == Source.POLICEUK and row["unit"] != Unit.COUNT:
            raise InputError(ImportProblem(name, line, "unit", "a police.uk indicator is a count"))
        if not row["code"] or not row["title"]:
            raise InputError(ImportProblem(name, line, "code" if not row["code"] else "title", "is empty"))
        parsed.append((line, row, crime_types))
    out = []
    with transaction.atomic():
        for position, (line, row, crime_types) in enumerate(parsed):
            indicator, _ = Indicator.objects.update_or_create(
                partnership=partnership,
                code=row["code"],
                defaults=dict(
                    title=row["title"],
                    polarity=row["polarity"],
                    frequency=row["frequency"],
                    unit=row["unit"],
                    source=row["source"],
                    crime_types=crime_types,
                    noun=row.get("noun") or row["title"].lower(),
                    owner=row.get("owner", ""),
                    notes=row.get("notes", ""),
                    position=position,
                ),
            )
            out.append(indicator)
    return out


# ------------------------------------------------------------------ the catalogue on the web
INDICATOR_FIELDS = (
    "code",
    "title",
    "noun",
    "polarity",
    "frequency",
    "unit",
    "source",
    "crime_types",
    "owner",
    "notes",
    "sensitive",
)


class IndicatorError(SaferhubError, ValueError):
    """A definition saferhub refuses; ``field`` names the form field it is about."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _state(indicator: Indicator) -> dict[str, Any]:
    return {f: getattr(indicator, f) for f in INDICATOR_FIELDS}


def _check_definition(data: dict[str, Any]) -> None:
    if not data["code"]:
        raise IndicatorError("code", "Enter a code")
    if not data["title"]:
        raise IndicatorError("title", "Enter a title")
    for field, allowed in (
        ("polarity", Polarity.values),
        ("frequency", Frequency.values),
        ("unit", Unit.values),
        ("source", Source.values),
    ):
        if data[field] not in allowed:
            raise IndicatorError(field, f"Select the {field}")
    for t in data["crime_types"]:
        if t not in CRIME_TYPE_BY_SLUG:
            raise IndicatorError("crime_types", f"{t!r} is not a police.uk crime type")
    if data["source"] == Source.POLICEUK:
        if not data["crime_types"]:
            raise IndicatorError("crime_types", "Select the police.uk crime types the indicator counts")
        if data["unit"] != Unit.COUNT:
            raise IndicatorError("unit", "A police.uk indicator is a count")
        if data["frequency"] != Frequency.MONTHLY:
            raise IndicatorError("frequency", "police.uk figures are monthly")
    elif data["crime_types"]:
        raise IndicatorError("crime_types", "Only a police.uk indicator counts police.uk crime types")


@transaction.atomic
def indicator_save(
    *,
    partnership: Partnership,
    indicator: Indicator | None = None,
    actor: Any = None,
    now: datetime.datetime | None = None,
    **fields: Any,
) -> Indicator:
    """Add an indicator to the partnership's catalogue, or change one (``indicator`` given; its
    code stays, as figure files name it). Frequency, unit and source cannot change once figures
    or targets are held, which were read by them. Audited with the fields before and after."""
    data = {f: fields.get(f, getattr(indicator, f) if indicator else None) for f in INDICATOR_FIELDS}
    for f in ("code", "title", "noun", "owner", "notes"):
        data[f] = str(data[f] or "").strip()
    data["crime_types"] = sorted(set(data["crime_types"] or []))
    data["sensitive"] = bool(data["sensitive"])
    if indicator is not None:
        data["code"] = indicator.code
    elif Indicator.objects.filter(partnership=partnership, code=data["code"]).exists():
        raise IndicatorError("code", f"{partnership.name} already has an indicator with the code {data['code']}")
    data["noun"] = data["noun"] or data["title"].lower()
    _check_definition(data)
    at = now or timezone.now()
    if indicator is None:
        last = Indicator.objects.filter(partnership=partnership).order_by("-position").first()
        indicator = Indicator.objects.create(
            partnership=partnership, position=(last.position + 1) if last else 0, **data
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=indicator,
            at=at,
            summary=f"indicator {indicator.code} added to {partnership.name}",
            after=data,
        )
        return indicator
    before = _state(indicator)
    changed = [f for f in INDICATOR_FIELDS if before[f] != data[f]]
    if not changed:
        return indicator
    held = indicator.values.exists() or indicator.targets.exists()
    for f in ("frequency", "unit", "source"):
        if f in changed and held:
            raise IndicatorError(f, f"The {f} cannot change: figures or targets are already held for this indicator")
    audited_update(
        indicator,
        {f: data[f] for f in changed},
        actor=actor,
        at=at,
        summary=lambda i, _: f"indicator {i.code} of {partnership.name} changed: {', '.join(changed)}",
        only_changes=True,
    )
    return indicator


@transaction.atomic
def indicator_retire(
    *, indicator: Indicator, retire: bool = True, actor: Any = None, now: datetime.datetime | None = None
) -> Indicator:
    """Retire an indicator (its figures and targets are kept; it leaves the dashboard and the
    reports) or reinstate it. Audited; doing it twice changes nothing."""
    return retire_or_reinstate(
        indicator,
        retire=retire,
        actor=actor,
        now=now or timezone.now(),
        summary=f"indicator {indicator.code} {'retired' if retire else 'reinstated'}",
    )


@transaction.atomic
def targets_set_year(
    *,
    indicator: Indicator,
    year: FinancialYear,
    kind: str,
    values: dict[str, Decimal | None],
    actor: Any = None,
    now: datetime.datetime | None = None,
) -> int:
    """Set the indicator's targets for one financial year, police.uk indicators included:
    ``values`` maps each period label of the year (April to March, or Q1 to Q4) to its target,
    or None for no target. Targets are replaced, not added; each change is audited with its
    before and after. Returns how many periods changed; nothing changes, and no run is
    recorded, when the targets are as held."""
    if kind not in TARGET_KINDS:
        raise IndicatorError("kind", "Select how the targets are read")
    labels = [p.label for p in year.periods(indicator.frequency)]
    unknown = set(values) - set(labels)
    if unknown:
        raise IndicatorError("kind", f"{', '.join(sorted(unknown))} is not a period of {year.label}")
    held = {t.period: t for t in TargetValue.objects.filter(indicator=indicator, period__in=labels)}
    changes: list[tuple[str, TargetValue | None, Decimal | None]] = []
    for label in labels:
        want = values.get(label)
        have = held.get(label)
        if want is None and have is None:
            continue
        if have is not None and want is not None and have.value == want and have.kind == kind:
            continue
        changes.append((label, have, want))
    if not changes:
        return 0
    at = now or timezone.now()
    # Every stored figure points to the run that brought it: here, the person at the form.
    run = ImportRun.objects.create(
        kind=ImportKind.INDICATORS, partnership=indicator.partnership, started_at=at, finished_at=at
    )
    for label, have, want in changes:
        before = {"period": label, "target": str(have.value), "target_kind": have.kind} if have else None
        if want is None:
            have.delete()
            after = None
        elif have is None:
            TargetValue.objects.create(indicator=indicator, period=label, value=want, kind=kind, run=run)
            after = {"period": label, "target": str(want), "target_kind": kind}
        else:
            have.value, have.kind, have.run = want, kind, run
            have.save()
            after = {"period": label, "target": str(want), "target_kind": kind}
        audit_record(
            actor=actor,
            action=AuditAction.CREATE
            if before is None
            else (AuditAction.DELETE if after is None else AuditAction.UPDATE),
            obj=indicator,
            at=at,
            summary=f"target of {indicator.code} for {label} (entered on the web, run {run.pk})",
            before=before,
            after=after,
        )
    run.targets_set = sum(1 for _, _, want in changes if want is not None)
    run.save(update_fields=["targets_set"])
    return len(changes)
