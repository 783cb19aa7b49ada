"""Count police.uk street files by force, month, crime type and area, with DuckDB.

One pass over all the files produces a small table of counts: for every force-month, crime
type and local authority (from the LSOA name), plus the LSOAs that some partnership lists by
code, plus the rows that have no LSOA at all. Rows are never de-duplicated: police.uk files
legitimately repeat anti-social behaviour rows that have no Crime ID.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import duckdb

from ..domain.calendar import Month, PeriodError
from ..domain.policeuk import (
    COLUMNS,
    CRIME_TYPES,
    check_header,
    find_problem_in_file,
    month_from_filename,
    read_header,
)
from ..domain.problems import ImportProblem, InputError
from .sources import SourceFile

__all__ = ["FileCounts", "CountRow", "count_files", "sha256_of"]

AREA_LA = "la"
AREA_LSOA = "lsoa"
AREA_NONE = "none"


@dataclass(frozen=True)
class CountRow:
    area_kind: str  # "la", "lsoa" or "none"
    area: str
    crime_type: str  # police.uk slug
    count: int


@dataclass
class FileCounts:
    source: SourceFile
    sha256: str
    size: int
    force: str
    month: str
    rows: int
    rows_without_lsoa: int
    counts: list[CountRow] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def _sql_list(values: Iterable[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def count_files(
    files: list[SourceFile],
    *,
    lsoa_codes: Iterable[str] = (),
    threads: int = 2,
    memory_limit: str = "1GB",
) -> list[FileCounts]:
    """Validate and count ``files``. Raises :class:`InputError` naming file, line and field."""
    if not files:
        raise InputError(ImportProblem("(no files)", None, None, "no police.uk street files were given"))
    problems: list[ImportProblem] = []
    groups: dict[int, list[SourceFile]] = defaultdict(list)
    extras: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    for src in files:
        size = src.path.stat().st_size
        sizes[src.display] = size
        with open(src.path, "rb") as f:
            head = f.read(65536)
        fields, _bom = read_header(head)
        problem = check_header(src.display, fields)
        if problem:
            problems.append(problem)
            continue
        if head.count(b"\n") < 1 and len(head) == size and not head.rstrip(b"\r\n").count(b"\n"):
            # A header and nothing else is a valid, empty month only if it ends the line.
            pass
        groups[len(fields)].append(src)
        extras[src.display] = fields[len(COLUMNS):]
    if problems:
        raise InputError(problems)

    with ThreadPoolExecutor(max_workers=1) as pool:
        # Hashing overlaps the DuckDB scan: both release the GIL.
        digests = pool.map(lambda s: sha256_of(s.path), files)
        aggregated = _aggregate(groups, set(lsoa_codes), threads, memory_limit)
        checksums = dict(zip((s.display for s in files), digests))

    return _assemble(files, aggregated, checksums, sizes, extras)


def _aggregate(groups, lsoa_codes: set[str], threads: int, memory_limit: str):
    con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit})
    lsoa_expr = "NULL"
    if lsoa_codes:
        lsoa_expr = f"""CASE WHEN "LSOA code" IN (SELECT unnest({_sql_list(sorted(lsoa_codes))}))
                        THEN "LSOA code" END"""
    results = []
    for width, srcs in groups.items():
        names = list(COLUMNS) + [f"extra_{i}" for i in range(width - len(COLUMNS))]
        columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
        paths = [str(s.path) for s in srcs]
        # file_index (not filename) keys rows to their file: a small integer groups far faster
        # than a path string. The local authority is the LSOA name less its " 001A" suffix;
        # LIKE and left() cost a fraction of a regular expression on millions of rows.
        query = f"""
            SELECT file_index, "Month" AS month, "Reported by" AS force, "Crime type" AS crime_type,
                   CASE WHEN "LSOA name" IS NULL OR "LSOA name" = '' THEN NULL
                        WHEN "LSOA name" LIKE '% ____' THEN left("LSOA name", -5)
                        ELSE "LSOA name" END AS la,
                   {lsoa_expr} AS lsoa,
                   count(*) AS n
            FROM read_csv({_sql_list(paths)}, columns={columns}, header=true, delim=',',
                          quote='"', escape='"', strict_mode=true,
                          null_padding=false, all_varchar=true, auto_detect=false,
                          ignore_errors=false)
            GROUP BY ALL
        """
        try:
            rows = con.execute(query).fetchall()
        except duckdb.Error as exc:
            raise InputError(_locate(srcs, str(exc))) from None
        results.extend((srcs[r[0]],) + tuple(r[1:]) for r in rows)
    con.close()
    return results


def _locate(srcs: list[SourceFile], engine_message: str) -> list[ImportProblem]:
    """The fast reader refused something: find the exact file, line and field with the csv module."""
    for src in srcs:
        problem = find_problem_in_file(src.path, src.display, month_from_filename(src.path.name))
        if problem:
            return [problem]
    first_line = engine_message.strip().splitlines()[0] if engine_message.strip() else "unknown error"
    return [ImportProblem(", ".join(s.display for s in srcs[:3]), None, None, f"could not be read: {first_line}")]


def _assemble(files, aggregated, checksums, sizes, extras) -> list[FileCounts]:
    per_file: dict[str, dict] = {s.display: {"forces": set(), "months": set(), "rows": []} for s in files}
    bad: dict[str, str] = {}
    for src, month, force, crime_type, la, lsoa, n in aggregated:
        slot = per_file[src.display]
        slot["months"].add(month)
        slot["forces"].add(force)
        slot["rows"].append((crime_type, la, lsoa, n))
        try:
            Month.parse(month or "")
        except PeriodError:
            bad.setdefault(src.display, "Month")
        if crime_type not in CRIME_TYPES:
            bad.setdefault(src.display, "Crime type")
        if not (force or "").strip():
            bad.setdefault(src.display, "Reported by")
    problems: list[ImportProblem] = []
    out: list[FileCounts] = []
    for src in files:
        slot = per_file[src.display]
        expected = month_from_filename(src.path.name)
        if src.display in bad or len(slot["months"]) > 1 or len(slot["forces"]) > 1 or (
            expected and slot["months"] and slot["months"] != {expected}
        ):
            problem = find_problem_in_file(src.path, src.display, expected)
            if problem is None and len(slot["forces"]) > 1:
                problem = ImportProblem(src.display, None, "Reported by",
                                        f"one file must hold one force, but it names {sorted(slot['forces'])}")
            if problem is None and len(slot["months"]) > 1:
                problem = ImportProblem(src.display, None, "Month",
                                        f"one file must hold one month, but it holds {sorted(slot['months'])}")
            problems.append(problem or ImportProblem(src.display, None, bad.get(src.display), "invalid values"))
            continue
        if not slot["rows"]:
            if expected is None:
                problems.append(ImportProblem(src.display, 2, None,
                                              "the file has a header but no rows, and its name gives no month"))
                continue
            problems.append(ImportProblem(src.display, 2, None, "the file has a header but no rows: is it truncated?"))
            continue
        out.append(_file_counts(src, slot, checksums[src.display], sizes[src.display], extras[src.display]))
    if problems:
        raise InputError(problems)
    return out


def _file_counts(src: SourceFile, slot: dict, sha: str, size: int, extra: list[str]) -> FileCounts:
    la_counts: dict[tuple[str, str], int] = defaultdict(int)
    lsoa_counts: dict[tuple[str, str], int] = defaultdict(int)
    none_counts: dict[str, int] = defaultdict(int)
    total = 0
    for crime_type, la, lsoa, n in slot["rows"]:
        slug = CRIME_TYPES[crime_type]
        total += n
        if la is None:
            none_counts[slug] += n
        else:
            la_counts[(la, slug)] += n
        if lsoa is not None:
            lsoa_counts[(lsoa, slug)] += n
    counts = [CountRow(AREA_LA, la, slug, n) for (la, slug), n in sorted(la_counts.items())]
    counts += [CountRow(AREA_LSOA, code, slug, n) for (code, slug), n in sorted(lsoa_counts.items())]
    counts += [CountRow(AREA_NONE, "", slug, n) for slug, n in sorted(none_counts.items())]
    (month,) = slot["months"]
    (force,) = slot["forces"]
    return FileCounts(
        source=src, sha256=sha, size=size, force=force, month=month, rows=total,
        rows_without_lsoa=sum(none_counts.values()), counts=counts, extra_columns=extra,
    )
