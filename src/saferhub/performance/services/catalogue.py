"""Define a partnership's indicators from a catalogue table (CSV or XLSX).

Columns: code, title, polarity, frequency, unit, source, noun, and optionally crime_types
(police.uk slugs separated by spaces or semicolons), owner and notes. Re-importing updates the
definitions in place; figures already held are kept."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from saferhub.domain.policeuk import CRIME_TYPE_BY_SLUG
from saferhub.domain.problems import ImportProblem, InputError
from saferhub.ingest.tables import read_table
from saferhub.partnerships.models import Partnership

from ..models import Frequency, Indicator, Polarity, Source, Unit

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
