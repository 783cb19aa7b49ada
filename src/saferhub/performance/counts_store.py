"""police.uk counts by force-month x LSOA x crime type, kept in the columnar store.

Two national years are about 0.8 million LSOA rows: storing them as database rows cost more
than counting the files (docs/benchmarks.md). So each police.uk import writes the counts of its
files as one Parquet file under ``SAFERHUB_HOME`` (written by DuckDB; a file's counts are its
``part``), and the database keeps the bookkeeping: each held ForceMonth names the Parquet file
and part that hold its counts (``counts_file``, ``counts_part``). Any area's figures are DuckDB
sums over the held parts, joined to the area's LSOAs: an area defined or changed after an
import is counted from what is held.

A Parquet file never changes once written: an import writes its file first, then commits the
database (which is what makes a force-month held, or replaced), and only then removes the files
that no held force-month refers to any more. A failed import leaves at most a file nothing
refers to, which is never read. Each database has its own folder, so a test database or a
second installation never reads another's counts.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Iterable, Iterator

import duckdb
from django.conf import settings
from django.db import connection

from saferhub.domain.policeuk import CRIME_TYPES
from saferhub.domain.problems import SaferhubError
from saferhub.ingest.policeuk import COUNTS_ROW_GROUP

from .models import ForceMonth, crime_type_column

CRIME_COLUMNS = tuple(crime_type_column(slug) for slug in CRIME_TYPES.values())
# The columns of every counts file, in this order.
COLUMNS = ("part", "area_kind", "area", *CRIME_COLUMNS)


class CountsMissing(SaferhubError):
    """A held force-month's counts file is not in the store (SAFERHUB_HOME moved or cleared)."""


def root() -> Path:
    """This database's folder of counts files."""
    name = str(connection.settings_dict.get("NAME") or "")
    key = hashlib.sha256(f"{connection.vendor}:{connection.settings_dict.get('HOST') or ''}:{name}".encode())
    return Path(settings.SAFERHUB_HOME) / "policeuk-counts" / key.hexdigest()[:16]


def new_file() -> str:
    """The name of a new counts file (not yet written), in this database's folder."""
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder.parent, 0o700)
    return f"{os.urandom(12).hex()}.parquet"


def path_of(name: str) -> Path:
    return root() / name


def remove(names: Iterable[str]) -> None:
    """Remove these counts files, but for any a held force-month still refers to."""
    names = set(names)
    if not names:
        return
    names -= set(ForceMonth.objects.filter(counts_file__in=names).values_list("counts_file", flat=True))
    for name in names:
        try:
            path_of(name).unlink()
        except FileNotFoundError:
            pass


def write_rows(rows: list[tuple], name: str | None = None) -> str:
    """Write ``(part, area_kind, area, *counts)`` rows as a counts file (a new one, or ``name``:
    a restore); returns its name."""
    name = name or new_file()
    root().mkdir(parents=True, exist_ok=True)
    tmp = path_of(name + ".partial")
    con = _connect()
    try:
        cols = ", ".join(f"{c} BIGINT" for c in CRIME_COLUMNS)
        con.execute(f"CREATE TEMP TABLE t (part INTEGER, area_kind VARCHAR, area VARCHAR, {cols})")
        if rows:
            con.executemany(f"INSERT INTO t VALUES ({', '.join(['?'] * len(COLUMNS))})", rows)
        con.execute(
            f"COPY (SELECT * FROM t ORDER BY area) TO {_quote(str(tmp))} "
            f"(FORMAT parquet, ROW_GROUP_SIZE {COUNTS_ROW_GROUP})"
        )
    finally:
        con.close()
    os.replace(tmp, path_of(name))
    return name


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


_database: duckdb.DuckDBPyConnection | None = None
_lock = threading.Lock()


def _connect() -> duckdb.DuckDBPyConnection:
    """A connection of its own (its temp tables are its own) to this process's in-memory DuckDB,
    opened once: opening DuckDB costs about 0.1 s, more than one area's read."""
    global _database
    with _lock:
        if _database is None:
            _database = duckdb.connect(config={"threads": 2, "memory_limit": "1GB"})
        return _database.cursor()


HeldParts = dict[int, tuple[str, int]]  # ForceMonth id -> (counts file, part)


def held_parts() -> HeldParts:
    """Where the counts of each held force-month are."""
    out = {pk: (name, part) for pk, name, part in ForceMonth.objects.values_list("pk", "counts_file", "counts_part")}
    names = {name for name, _ in out.values()}
    missing = sorted(n for n in names if not path_of(n).exists())
    if missing:
        raise CountsMissing(
            f"{len(missing)} police.uk counts files of held force-months are not in {root()} "
            "(was SAFERHUB_HOME moved or cleared? restore it, or import the files again)"
        )
    return out


def _held_table(con: duckdb.DuckDBPyConnection, held: HeldParts) -> list[str]:
    """A table ``held(fm, file, part)`` of the held parts; returns the files' paths."""
    path = {name: str(path_of(name)) for name in {name for name, _ in held.values()}}
    fms = list(held)
    con.execute(
        "CREATE TEMP TABLE held AS SELECT unnest($1::BIGINT[]) AS fm, unnest($2::VARCHAR[]) AS file, "
        "unnest($3::INTEGER[]) AS part",
        [fms, [path[held[fm][0]] for fm in fms], [held[fm][1] for fm in fms]],
    )
    return sorted(path.values())


def counts_by_area(
    areas: dict[int, list[str]], columns: list[str], held: HeldParts | None = None
) -> dict[int, dict[int, dict[str, int]]]:
    """For each area (key -> its LSOA codes, each once): its rows per held force-month
    (ForceMonth id), by crime type slug. One DuckDB pass for all the areas."""
    out: dict[int, dict[int, dict[str, int]]] = {key: {} for key in areas}
    held = held_parts() if held is None else held
    if not held or not any(areas.values()):
        return out
    # Parts no held force-month refers to (a replaced month's old counts) are read and dropped
    # here: cheaper than joining every row to the held parts.
    path = {name: str(path_of(name)) for name in {name for name, _ in held.values()}}
    fm_of = {(path[name], part): fm for fm, (name, part) in held.items()}
    files = sorted(path.values())
    sums = ", ".join(f"sum(c.{crime_type_column(slug)})::BIGINT" for slug in columns)
    con = _connect()
    try:
        if len(areas) == 1:
            # One area: its codes as a literal IN list, which DuckDB pushes into the Parquet scan
            # (row groups outside the codes skipped, the codes matched on the dictionary): a
            # third of the time of a list parameter or a join.
            ((key, codes),) = areas.items()
            result = con.execute(
                f"""
                SELECT $2::BIGINT, c.filename, c.part, {sums}
                FROM read_parquet($1, filename=true) c
                WHERE c.area_kind = 'lsoa' AND c.area IN ({", ".join(_quote(code) for code in codes)})
                GROUP BY ALL
                """,
                [files, key],
            ).fetchall()
        else:
            keys = [k for k, codes in areas.items() for _ in codes]
            codes = [c for codes in areas.values() for c in codes]
            con.execute(
                "CREATE TEMP TABLE area AS SELECT unnest($1::BIGINT[]) AS k, unnest($2::VARCHAR[]) AS lsoa",
                [keys, codes],
            )
            result = con.execute(
                f"""
                SELECT a.k, c.filename, c.part, {sums}
                FROM read_parquet($1, filename=true) c JOIN area a ON c.area = a.lsoa
                WHERE c.area_kind = 'lsoa'
                GROUP BY ALL
                """,
                [files],
            ).fetchall()
    finally:
        con.close()
    for key, filename, part, *ns in result:
        fm = fm_of.get((filename, part))
        if fm is not None:
            out[key][fm] = {slug: int(n or 0) for slug, n in zip(columns, ns)}
    return out


def all_rows(held: HeldParts | None = None) -> Iterator[tuple]:
    """Every held count row as ``(ForceMonth id, area_kind, area, *counts)`` (backups, checks)."""
    held = held_parts() if held is None else held
    if not held:
        return
    con = _connect()
    try:
        files = _held_table(con, held)
        cursor = con.execute(
            f"""
            SELECT h.fm, {", ".join("c." + c for c in COLUMNS[1:])}
            FROM read_parquet($1, filename=true) c JOIN held h ON c.filename = h.file AND c.part = h.part
            ORDER BY ALL
            """,
            [files],
        )
        while batch := cursor.fetchmany(50_000):
            yield from batch
    finally:
        con.close()


def rows_in(name: str, parts: list[int], lsoas: set[str]) -> tuple[int, int]:
    """(rows in the LSOAs, located rows outside them) of these parts of a counts file."""
    if not parts:
        return 0, 0
    total = " + ".join(CRIME_COLUMNS)
    con = _connect()
    try:
        con.execute("CREATE TEMP TABLE area AS SELECT unnest($1::VARCHAR[]) AS lsoa", [sorted(lsoas)])
        inside, located = con.execute(
            f"""
            SELECT coalesce(sum({total}) FILTER (WHERE area IN (SELECT lsoa FROM area)), 0)::BIGINT,
                   coalesce(sum({total}), 0)::BIGINT
            FROM read_parquet($1) WHERE area_kind = 'lsoa' AND list_contains($2::INTEGER[], part)
            """,
            [str(path_of(name)), parts],
        ).fetchone()
    finally:
        con.close()
    return int(inside), int(located) - int(inside)
