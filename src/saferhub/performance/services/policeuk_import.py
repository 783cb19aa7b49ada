"""Import police.uk street files: count them once with DuckDB, store the counts by force-month
and LSOA (Parquet files in the columnar store, saferhub.performance.counts_store), so that any
area, defined now or later, is counted from them. The database holds the bookkeeping."""

from __future__ import annotations

import datetime
from contextlib import suppress
from pathlib import Path
from typing import Any

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.db.transaction import on_commit

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain.problems import ImportProblem, InputError
from saferhub.ingest.policeuk import CHECKSUM_ALGORITHM, FileCounts, count_files_writing
from saferhub.ingest.sources import expand_policeuk_paths
from saferhub.partnerships.models import Partnership, PartnershipLsoa

from .. import counts_store
from ..models import ForceMonth, ImportedFile, ImportKind, ImportRun

Outcome = ImportedFile.Outcome


def policeuk_import(
    *,
    paths: list[str | Path],
    partnership: Partnership | None,
    now: datetime.datetime,
    actor: Any = None,
) -> ImportRun:
    """Import street files, folders or police.uk zip archives, all or nothing.

    A file whose checksum is already held for its force-month changes nothing. A different
    file for a held force-month (a republication) replaces that force-month. Within one
    import, a later file for the same force-month supersedes an earlier one. The import is
    audited, with the force-months it replaced (before) and loaded (after)."""
    counts_file = counts_store.new_file()
    write = None
    try:
        with expand_policeuk_paths(paths) as files:
            # The counts file is still being written (sorted, in a DuckDB thread) while the
            # bookkeeping below is prepared; it is whole before anything that names it commits.
            counted, write = count_files_writing(files, counts_to=counts_store.path_of(counts_file))
        latest: dict[tuple[str, str], FileCounts] = {}
        for fc in counted:  # files are in path order, so a republication in a later folder wins
            latest[(fc.force, fc.month)] = fc
        split = None
        if partnership is not None:
            write.wait()
            codes = set(PartnershipLsoa.objects.filter(partnership=partnership).values_list("lsoa", flat=True))
            parts = [fc.part for fc in latest.values() if fc.part is not None]
            split = counts_store.rows_in(counts_file, parts, codes)
        with transaction.atomic():
            _lock_force_months(latest)
            run = _store(counted, latest, split, now, actor, partnership, counts_file)
            write.wait()  # a failed write rolls the whole import back
            return run
    except IntegrityError as exc:
        if "force_month" not in str(exc):
            raise
        # Another import stored one of these force-months between our reading and writing.
        raise _busy(latest, "another import stored the same force-month at the same time") from None
    except OperationalError as exc:
        # SQLite: one writer at a time; the second waits its turn (then finds the force-month held,
        # and changes nothing) unless the first writes for longer than the connection will wait.
        if connection.vendor != "sqlite" or "locked" not in str(exc):
            raise
        raise _busy(latest, "another import was still writing when saferhub stopped waiting for it") from None
    finally:
        if write is not None:
            with suppress(Exception):
                write.wait()  # (a failed import: its error is the one raised)
        # This import's counts file goes if nothing refers to it (all unchanged, or it failed).
        with suppress(DatabaseError):
            counts_store.remove([counts_file])


class ImportBusy(InputError):
    """Another import of the same force-month is running: refused, nothing written; try again."""


def _busy(latest: dict, why: str) -> ImportBusy:
    months = ", ".join(f"{force} {month}" for force, month in sorted(latest))
    return ImportBusy(
        ImportProblem(
            next(iter(latest.values())).source.display if latest else "",
            None,
            None,
            f"refused: {why}; nothing was imported. Try again when it has finished ({months}).",
        )
    )


def _lock_force_months(latest: dict) -> None:
    """On PostgreSQL, hold a transaction-scoped advisory lock on each force-month, so that a
    second import of the same month at the same moment is refused at once rather than left to
    collide. (SQLite lets one writer in at a time: a second import waits its turn.)"""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for force, month in sorted(latest):  # a fixed order: two imports cannot deadlock
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [f"saferhub.policeuk:{force}:{month}"])
            if not cursor.fetchone()[0]:
                raise _busy(latest, f"another import of {force} {month} is in progress")


def _store(
    counted: list[FileCounts],
    latest: dict,
    split: tuple[int, int] | None,
    now: datetime.datetime,
    actor: Any,
    partnership: Partnership | None,
    counts_file: str,
) -> ImportRun:
    run = ImportRun.objects.create(
        kind=ImportKind.POLICEUK,
        partnership=partnership,
        started_at=now,
        finished_at=now,
        files=len(counted),
    )
    held = {
        (fm.force, fm.month): fm
        for fm in ForceMonth.objects.select_related("source").filter(
            force__in={k[0] for k in latest}, month__in={k[1] for k in latest}
        )
    }
    records, outcomes = [], []
    for fc in counted:
        current = held.get((fc.force, fc.month))
        outcome = _outcome(fc, latest, current)
        outcomes.append(outcome)
        records.append(
            ImportedFile(
                run=run,
                name=fc.source.display,
                checksum=fc.checksum,
                checksum_algorithm=CHECKSUM_ALGORITHM,
                size=fc.size,
                rows=fc.rows,
                force=fc.force,
                month=fc.month,
                outcome=outcome,
            )
        )
    ImportedFile.objects.bulk_create(records)  # primary keys are returned on SQLite and PostgreSQL
    changing = [(fc, rec) for fc, rec, o in zip(counted, records, outcomes) if o in (Outcome.LOADED, Outcome.REPLACED)]
    replaced = [held[(fc.force, fc.month)] for fc, rec in changing if (fc.force, fc.month) in held]
    if replaced:
        ForceMonth.objects.filter(pk__in=[fm.pk for fm in replaced]).delete()
        # Their counts files go once the database no longer refers to them (never on a rollback).
        old = {fm.counts_file for fm in replaced}
        on_commit(lambda: counts_store.remove(old))
    ForceMonth.objects.bulk_create(
        [
            ForceMonth(
                force=fc.force,
                month=fc.month,
                source=rec,
                rows=fc.rows,
                rows_without_location=fc.rows_without_lsoa,
                counts_file=counts_file,
                counts_part=fc.part,
            )
            for fc, rec in changing
        ]
    )
    # A held month whose counts file was lost (SAFERHUB_HOME cleared) takes this import's counts.
    for fc, o in zip(counted, outcomes):
        current = held.get((fc.force, fc.month))
        if o == Outcome.UNCHANGED and current and not counts_store.path_of(current.counts_file).exists():
            current.counts_file, current.counts_part = counts_file, fc.part
            current.save(update_fields=["counts_file", "counts_part"])
    chosen = list(latest.values())
    run.files_unchanged = outcomes.count(Outcome.UNCHANGED)
    run.rows_read = sum(fc.rows for fc in chosen)
    run.rows_without_location = sum(fc.rows_without_lsoa for fc in chosen)
    if split is not None:
        run.rows_in_area, run.rows_outside_area = split
    run.save()
    loaded = sorted(f"{fc.force} {fc.month}" for fc, _ in changing)
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=run,
        at=now,
        summary=f"police.uk: {len(counted)} files, {len(loaded)} force-months loaded or replaced, "
        f"{run.files_unchanged} unchanged",
        before={"replaced": sorted(f"{fc.force} {fc.month}" for fc, _ in changing if (fc.force, fc.month) in held)}
        if replaced
        else None,
        after={"loaded": loaded},
    )
    return run


def _outcome(fc: FileCounts, latest: dict, current: ForceMonth | None) -> str:
    if latest[(fc.force, fc.month)] is not fc:
        return Outcome.SUPERSEDED
    if current is None:
        return Outcome.LOADED
    if current.source.checksum == fc.checksum:
        return Outcome.UNCHANGED
    return Outcome.REPLACED
