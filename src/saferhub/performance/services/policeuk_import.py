"""Import police.uk street files: count them once with DuckDB, store the counts by force-month."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import transaction

from saferhub.domain.policeuk import CRIME_TYPES
from saferhub.ingest.policeuk import AREA_LA, AREA_LSOA, FileCounts, count_files
from saferhub.ingest.sources import expand_policeuk_paths
from saferhub.partnerships.models import AreaKind, Partnership, PartnershipArea

from ..bulk import insert_police_counts
from ..models import ForceMonth, ImportedFile, ImportKind, ImportRun


def policeuk_import(
    *,
    paths: list[str | Path],
    partnership: Partnership | None,
    now: datetime.datetime,
) -> ImportRun:
    """Import street files, folders or police.uk zip archives, all or nothing.

    A file whose checksum is already held for its force-month changes nothing. A different
    file for a held force-month (a republication) replaces that force-month. Within one
    import, a later file for the same force-month supersedes an earlier one."""
    listed_codes = set(
        PartnershipArea.objects.filter(kind=AreaKind.LSOA).values_list("value", flat=True)
    )
    with expand_policeuk_paths(paths) as files:
        counted = count_files(files, lsoa_codes=listed_codes)
    latest: dict[tuple[str, str], FileCounts] = {}
    for fc in counted:  # files are in path order, so a republication in a later folder wins
        latest[(fc.force, fc.month)] = fc
    with transaction.atomic():
        run = ImportRun.objects.create(
            kind=ImportKind.POLICEUK, partnership=partnership, started_at=now, finished_at=now,
            files=len(counted),
        )
        held = {
            (fm.force, fm.month): fm
            for fm in ForceMonth.objects.select_related("source").filter(
                force__in={k[0] for k in latest}, month__in={k[1] for k in latest}
            )
        }
        new_counts: list[tuple] = []
        unchanged = 0
        for fc in counted:
            key = (fc.force, fc.month)
            current = held.get(key)
            if latest[key] is not fc:
                outcome = ImportedFile.Outcome.SUPERSEDED
            elif current is not None and current.source.sha256 == fc.sha256:
                outcome = ImportedFile.Outcome.UNCHANGED
            elif current is not None:
                outcome = ImportedFile.Outcome.REPLACED
            else:
                outcome = ImportedFile.Outcome.LOADED
            record = ImportedFile.objects.create(
                run=run, name=fc.source.display, sha256=fc.sha256, size=fc.size, rows=fc.rows,
                force=fc.force, month=fc.month, outcome=outcome,
            )
            if outcome == ImportedFile.Outcome.UNCHANGED:
                unchanged += 1
                continue
            if outcome == ImportedFile.Outcome.SUPERSEDED:
                continue
            if current is not None:
                current.delete()
            fm = ForceMonth.objects.create(
                force=fc.force, month=fc.month, source=record, rows=fc.rows,
                rows_without_location=fc.rows_without_lsoa,
            )
            new_counts.extend(_wide_rows(fm.pk, fc))
        insert_police_counts(new_counts)
        run.files_unchanged = unchanged
        chosen = list(latest.values())
        run.rows_read = sum(fc.rows for fc in chosen)
        run.rows_without_location = sum(fc.rows_without_lsoa for fc in chosen)
        if partnership is not None:
            run.rows_in_area, run.rows_outside_area = _area_split(chosen, partnership)
        run.finished_at = now
        run.save()
    return run


def _wide_rows(force_month_id: int, fc: FileCounts) -> list[tuple]:
    """One row per area with a count for every crime type, in ``CRIME_COLUMNS`` order."""
    position = {slug: i for i, slug in enumerate(CRIME_TYPES.values())}
    areas: dict[tuple[str, str], list[int]] = {}
    for c in fc.counts:
        areas.setdefault((c.area_kind, c.area), [0] * len(position))[position[c.crime_type]] += c.count
    return [(force_month_id, fc.month, kind, area, *counts) for (kind, area), counts in sorted(areas.items())]


def _area_split(chosen: list[FileCounts], partnership: Partnership) -> tuple[int, int]:
    """Rows inside the partnership's area, and located rows outside it."""
    las = set(partnership.local_authorities())
    codes = set(partnership.lsoa_codes())
    inside = located = 0
    for fc in chosen:
        for c in fc.counts:
            if c.area_kind == AREA_LA:
                located += c.count
                if c.area in las:
                    inside += c.count
            elif c.area_kind == AREA_LSOA and c.area in codes:
                inside += c.count
    return inside, located - inside
