"""Count police.uk street files by force, month, crime type and area, with DuckDB.

One pass over all the files produces a table of counts: for every force-month and LSOA code
(whatever vintage the file uses), one count per crime type, plus the rows that have no LSOA at
all. Any area's figures are then the sum over its LSOAs (saferhub.domain.geography), so an area
defined or changed after the import needs no file again. Rows are never de-duplicated: police.uk files
legitimately repeat anti-social behaviour rows that have no Crime ID.
"""

from __future__ import annotations

import csv
import logging
import secrets
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import duckdb

from ..domain.digest import blake3_of_file
from ..domain.policeuk import (
    COLUMNS,
    CRIME_TYPES,
    check_header,
    find_problem_in_file,
    month_from_filename,
    read_header,
)
from ..domain.problems import ImportProblem, InputError
from . import headstart
from .sources import SourceFile

__all__ = [
    "FileCounts",
    "CountRow",
    "count_files",
    "count_files_writing",
    "CountsWrite",
    "checksum_of",
    "CHECKSUM_ALGORITHM",
    "CRIME_SLUGS",
]

log = logging.getLogger(__name__)


CRIME_SLUGS = tuple(CRIME_TYPES.values())
# The crime types in the order the scan looks a row's type up: the commonest first (two
# national years of police.uk street files: violence and sexual offences about 30% of rows,
# anti-social behaviour 26%, ... robbery 0.5%). Any order counts the same.
LOOKUP_ORDER = (
    "Violence and sexual offences",
    "Anti-social behaviour",
    "Criminal damage and arson",
    "Other theft",
    "Shoplifting",
    "Public order",
    "Vehicle crime",
    "Burglary",
    "Drugs",
    "Other crime",
    "Possession of weapons",
    "Bicycle theft",
    "Theft from the person",
    "Robbery",
)
assert sorted(LOOKUP_ORDER) == sorted(CRIME_TYPES)
COUNTS_ROW_GROUP = 16384


@dataclass(frozen=True)
class CountRow:
    area_kind: str  # "lsoa" (area is the LSOA code) or "none" (no location)
    area: str
    crime_type: str  # police.uk slug
    count: int


@dataclass
class FileCounts:
    source: SourceFile
    checksum: str
    size: int
    force: str
    month: str
    rows: int
    rows_without_lsoa: int
    # One row per area: (area_kind, area, counts in the order of CRIME_SLUGS)
    areas: list[tuple[str, str, tuple[int, ...]]] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    # With count_files(counts_to=...): the rows of the Parquet file that are this file's counts
    # (its ``part`` column); the areas are then not read back into Python.
    part: int | None = None

    @property
    def counts(self) -> list[CountRow]:
        """The non-zero counts, one per area and crime type."""
        return [CountRow(kind, area, slug, n) for kind, area, ns in self.areas for slug, n in zip(CRIME_SLUGS, ns) if n]


CHECKSUM_ALGORITHM = "blake3"


def checksum_of(path: Path) -> str:
    """BLAKE3 of the file, as ``b3sum`` prints it: checksumming gigabytes of national files costs
    little beside the scan. The command's head start (saferhub.ingest.headstart) gives it when
    its child process hashed this very file; otherwise it is hashed here."""
    return headstart.checksum(path) or blake3_of_file(path)


def _sql_list(values: Iterable[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


class CountsWrite:
    """The Parquet write of :func:`count_files_writing`, going on in a thread of its own (DuckDB
    releases the GIL), on a cursor of the scan's connection: :meth:`wait` returns once the file
    is whole (and closes the connection), or raises what stopped it."""

    def __init__(self, copy: str, con):
        self._con = con
        self._cursor = con.cursor()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(copy,), name="saferhub-counts-write", daemon=True)
        self._thread.start()

    def _run(self, copy: str) -> None:
        try:
            self._cursor.execute(copy)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            self._error = exc

    def wait(self) -> None:
        self._thread.join()
        self._close(self._con)
        if self._error is not None:
            raise self._error

    def cancel(self, *, keep_connection: bool = False) -> None:
        """Stop the write (a refused import, or a write to be done again on the same
        connection) and wait for the thread; what it wrote is discarded by the caller."""
        with suppress(Exception):
            self._cursor.interrupt()
        self._thread.join()
        self._close(None if keep_connection else self._con)

    def _close(self, con) -> None:
        with suppress(Exception):
            self._cursor.close()
        if con is not None:
            with suppress(Exception):
                con.close()


class _Written:
    def wait(self) -> None:
        pass

    def cancel(self) -> None:
        pass


def count_files(
    files: list[SourceFile],
    *,
    threads: int = 2,
    memory_limit: str = "1GB",
    counts_to: Path | None = None,
) -> list[FileCounts]:
    """Validate and count ``files``. Raises :class:`InputError` naming file, line and field.

    With ``counts_to`` (a path), every file's counts are written there by DuckDB as one Parquet
    file (columns ``part``, ``area_kind``, ``area`` and one count per crime type; a file's rows
    are those of its ``FileCounts.part``; see saferhub.performance.counts_store) instead of being
    read back into Python."""
    counted, write = count_files_writing(files, threads=threads, memory_limit=memory_limit, counts_to=counts_to)
    write.wait()
    return counted


def count_files_writing(
    files: list[SourceFile],
    *,
    threads: int = 2,
    memory_limit: str = "1GB",
    counts_to: Path | None = None,
) -> tuple[list[FileCounts], CountsWrite | _Written]:
    """:func:`count_files`, but the Parquet file of ``counts_to`` may still be being written
    when it returns (sorting and writing 0.8 million rows is about a second on one core, which
    the caller's bookkeeping can overlap): the caller must ``wait()`` on the second value before
    it relies on the file (and before it commits anything that refers to it). The counts and
    every check are complete when it returns: a refused import raises here, its write stopped."""
    if not files:
        raise InputError(ImportProblem("(no files)", None, None, "no police.uk street files were given"))
    # Checksumming starts at once, on the core the header reading below leaves idle, and goes on
    # beside the DuckDB scan (both release the GIL). On a refusal the files not yet hashed are
    # dropped rather than waited for.
    # With the command's head start, the hashing is done by its child process in the gaps
    # around the scan, and this thread only collects the digests.
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        digests = pool.map(lambda s: checksum_of(s.path), files)
        groups, extras, sizes, forces = _read_headers(files)
        ordered, summaries, areas, write = _aggregate(groups, threads, memory_limit, counts_to, tuple(sorted(forces)))
        try:
            headstart.finish(blake3_of_file)  # what the niced child has not reached yet
            checksums = dict(zip((s.display for s in files), digests))
            counted = _assemble(ordered, summaries, areas, checksums, sizes, extras)
        except BaseException:
            write.cancel()
            raise
    except BaseException:
        headstart.stop()  # refused: the child's remaining files are not waited for either
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)

    if counts_to is not None:
        part = {src.display: fid for fid, src in enumerate(ordered)}
        for fc in counted:
            fc.part = part[fc.source.display]
    return counted, write


def _read_headers(files: list[SourceFile]):
    """Check every file's header; the files by width, their extra columns, sizes, and the forces
    their first rows name. Raises :class:`InputError` naming every file whose header is wrong."""
    problems: list[ImportProblem] = []
    groups: dict[int, list[SourceFile]] = defaultdict(list)
    extras: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    forces: set[str] = set()  # the force each file's first row names
    for src in files:
        size = src.path.stat().st_size
        sizes[src.display] = size
        with open(src.path, "rb") as f:
            head = _head(f)
        fields, _bom = read_header(head)
        problem = check_header(src.display, fields)
        if problem:
            problems.append(problem)
            continue
        groups[len(fields)].append(src)
        extras[src.display] = fields[len(COLUMNS) :]
        force = _first_force(head)
        if force:
            forces.add(force)
    if problems:
        raise InputError(problems)
    return groups, extras, sizes, forces


def _head(f) -> bytes:
    """A file's first bytes as far as its first row (at most 64 kB): the first 8 kB, which
    nearly always hold the header and the first row, else the first 64 kB. Either way the header
    and the first row read from it are those of the first 64 kB (a fifth of the header loop's
    time went on copying 64 kB per file)."""
    head = f.read(8192)
    if len(head) == 8192 and head.count(b"\n") < 2:
        head += f.read(65536 - 8192)
    return head


def _first_force(head: bytes) -> str | None:
    """The "Reported by" of the first row in a file's first bytes (None if there is no whole row)."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    lines = head.split(b"\n", 2)
    if len(lines) < 3:
        return None
    try:
        row = next(csv.reader([lines[1].rstrip(b"\r").decode("utf-8")]), [])
    except (UnicodeDecodeError, csv.Error):
        return None
    force = row[COLUMNS.index("Reported by")] if len(row) >= len(COLUMNS) else ""
    return force if force and force == force.strip() else None


def _aggregate(groups, threads: int, memory_limit: str, counts_to: Path | None = None, forces: tuple[str, ...] = ()):
    """One scan of every file, pivoted as it is grouped: a row per file and LSOA code with one
    count per crime type (plus the rows of unknown types, for validation). Then two small
    queries: a summary per file for validation, and the counts.

    ``forces`` are the forces the files' first rows name: "Reported by" is read as an ENUM of
    them, so that the force, grouped on to check one force per file, is a one-byte code rather
    than a 20-odd-character string (about a tenth of the scan). A row naming any other force
    makes that read fail, and the files are read again with the force as text, as before."""
    con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit, "preserve_insertion_order": False})
    if forces:
        con.execute(f"CREATE TYPE saferhub_force AS ENUM ({_sql_list(forces)[1:-1]})")
    # The crime type as its position in LOOKUP_ORDER (NULL when unknown), found once per row: the
    # pivot then works on small integers. Packed: the 14 counts as 16-bit fields of two 128-bit
    # sums (two aggregates instead of 14: about 3% of the import, and half the page faults),
    # beside the group's count(*); exact: one count(*) FILTER per crime type and one for the
    # unknown types, when a group has too many rows for 16 bits.
    # The position is found in LOOKUP_ORDER, the commonest types first: list_position compares
    # them in turn, so violence, the commonest, is found at the first comparison instead of the
    # thirteenth. c{i} is still the count of the i-th of CRIME_TYPES.
    n = len(CRIME_TYPES)
    at = [LOOKUP_ORDER.index(name) for name in CRIME_TYPES]  # 0-based position of each in the list
    exact = "count(*) FILTER (WHERE ct IS NULL)::BIGINT AS unknown, " + ", ".join(
        f"count(*) FILTER (WHERE ct = {at[i] + 1})::BIGINT AS c{i}" for i in range(n)
    )
    half = (n + 1) // 2
    packed = (
        f"count(*)::BIGINT AS n, sum((ct <= {half})::HUGEINT << (16 * ((ct - 1) % {half}))) AS p0, "
        f"sum((ct > {half})::HUGEINT << (16 * ((ct - 1) % {half}))) AS p1"
    )
    unpacked = [f"((coalesce(p{j // half}, 0) >> {16 * (j % half)}) & 65535)::BIGINT" for j in at]
    known = _sql_list(LOOKUP_ORDER)
    early: CountsWrite | None = None
    for pivot in (packed, exact):
        ordered = _scan(con, groups, pivot, known, bool(forces))
        if ordered is None:
            # A row names a force no first row names (or a file is damaged): read every file
            # again with the force as text, which finds any problem as before.
            con.execute("DROP TABLE IF EXISTS agg")
            ordered = _scan(con, groups, pivot, known, False)
            assert ordered is not None
        is_packed = pivot is packed
        if counts_to is not None and is_packed:
            # The write starts at once, beside the summary (its sort is mostly on one core),
            # on the packed table as it nearly always stays; it is stopped and done again below
            # if the summary finds a carry or a spaced code.
            early = CountsWrite(_copy_sql(counts_to, "agg", "p0, p1", unpacked), con)
        try:
            summaries, untrimmed, carried = _summarise(con, " + ".join(unpacked) if is_packed else None)
        except BaseException:
            # (Out of memory, an interrupt): the write beside it is stopped, not left running.
            if early is not None:
                early.cancel()
            raise
        if early is not None and not carried and not untrimmed:
            return ordered, summaries, defaultdict(list), early
        if early is not None:
            early.cancel(keep_connection=True)
            early = None
        if not carried:
            break
        # A group of over 65,535 rows in one file and LSOA code: a count may have carried into
        # the next field, so count exactly instead.
        con.execute("DROP TABLE agg")
    # The 14 counts are unpacked where they are read, not into a table of their own: the
    # summary above and the COPY below each read the 0.8 million groups once.
    table = "agg"
    stored = "p0, p1" if is_packed else ", ".join(f"c{i}" for i in range(n))
    fields = unpacked if is_packed else [f"c{i}" for i in range(n)]
    if untrimmed:
        # Rare: " E01000001" and "E01000001" are one area; count them together.
        sums = ", ".join(f"sum({e})::BIGINT AS c{i}" for i, e in enumerate(fields))
        con.execute(f"""
            CREATE TABLE trimmed AS
            SELECT fid, nullif(trim(lsoa), '') AS lsoa, {sums} FROM agg GROUP BY fid, nullif(trim(lsoa), '')
        """)
        table, stored, fields = "trimmed", ", ".join(f"c{i}" for i in range(n)), [f"c{i}" for i in range(n)]
    areas: dict[int, list[tuple[str, str, tuple[int, ...]]]] = defaultdict(list)
    if counts_to is not None:
        # One statement writes every file's counts, without bringing the 0.8 million rows of a
        # national import through Python.
        # Sorted by LSOA code in small row groups: one area's read skips the row groups outside
        # its codes (about 40 ms for a CSP over two national years, against 200 ms unsorted).
        # The sort carries the packed sums, unpacked after it (a quarter less than sorting the
        # 14 counts). NULLS FIRST: the rows without a location (area '') come first, as ''
        # does. The table has one row per file and LSOA code for every valid file (one month,
        # one force): a file that is not is refused by _assemble, and this output discarded
        # with it.
        # In a thread of its own: the files' checks and the caller's bookkeeping go on meanwhile.
        return ordered, summaries, areas, CountsWrite(_copy_sql(counts_to, table, stored, fields), con)
    sums = ", ".join(f"sum({e})::BIGINT" for e in fields)
    cursor = con.execute(f"""
        SELECT fid, CASE WHEN lsoa IS NULL THEN 'none' ELSE 'lsoa' END, coalesce(lsoa, ''), {sums}
        FROM {table} GROUP BY ALL ORDER BY 1, 2, 3
    """)
    while batch := cursor.fetchmany(100_000):
        for row in batch:
            areas[row[0]].append((row[1], row[2], row[3:]))
    con.close()
    return ordered, summaries, areas, _Written()


def _copy_sql(counts_to: Path, table: str, stored: str, fields: list[str]) -> str:
    counts = ", ".join(f"{e} AS {slug.replace('-', '_')}" for e, slug in zip(fields, CRIME_SLUGS))
    return f"""
        COPY (
            SELECT fid::INTEGER AS part, CASE WHEN lsoa IS NULL THEN 'none' ELSE 'lsoa' END AS area_kind,
                   coalesce(lsoa, '') AS area, {counts}
            FROM (SELECT fid, lsoa, {stored} FROM {table} ORDER BY lsoa NULLS FIRST)
        ) TO '{str(counts_to).replace("'", "''")}' (FORMAT parquet, ROW_GROUP_SIZE {COUNTS_ROW_GROUP})
    """


def _summarise(con, packed_total: str | None):
    """Per file, from the table ``agg``: (months, its first month, forces, its first force,
    any unknown crime type, any bad month, any blank force, rows, rows without an LSOA); whether
    any LSOA code is blank or has spaces around it; and, with the packed counts (whose sum is
    ``packed_total``), whether any group is too large for their 16-bit fields.

    In two steps: the groups first summed by file, month and force (one pass over the 0.8
    million groups, in parallel), then the checks on those few rows (a file of one month and
    one force is one row): a DISTINCT or a regular expression over every group cost more."""
    if packed_total is not None:
        # Packed: a group's rows are its count(*), and those of unknown crime types what its
        # counts leave of them. No field can overflow into the next in a group of at most
        # 65,535 rows; a larger group (a file of that many rows in one LSOA, or without a
        # location) is counted exactly. So the scan needs no aggregate of its own for the
        # unknown types (a few per cent of the scan measured alone; docs/benchmarks.md).
        rows, located, carried = "n", packed_total, "bool_or(n > 65535)"
    else:
        total = " + ".join(f"c{i}" for i in range(len(CRIME_TYPES)))
        rows, located, carried = f"{total} + unknown", total, "false"
    unknown = "unknown" if packed_total is None else f"n - ({packed_total})"
    result = con.execute(f"""
        WITH g AS (
            SELECT fid, month, force, sum({unknown}) AS unknown, sum({rows}) AS rows,
                   sum({located}) FILTER (WHERE lsoa IS NULL OR trim(lsoa) = '') AS without,
                   bool_or(lsoa = '' OR lsoa <> trim(lsoa)) AS spaced, {carried} AS carried
            FROM agg GROUP BY fid, month, force
        )
        SELECT fid, count(DISTINCT month), min(month), count(DISTINCT force), min(force)::VARCHAR,
               sum(unknown) > 0,
               bool_or(month IS NULL OR NOT regexp_full_match(month, '[0-9]{{4}}-(0[1-9]|1[0-2])')),
               bool_or(force IS NULL OR trim(force::VARCHAR) = ''),
               sum(rows), coalesce(sum(without), 0), coalesce(bool_or(spaced), false), coalesce(bool_or(carried), false)
        FROM g GROUP BY fid
    """).fetchall()
    summaries = {fid: tuple(summary) for fid, *summary, _spaced, _carried in result}
    return summaries, any(r[-2] for r in result), any(r[-1] for r in result)


def _scan(con, groups, pivot: str, known: str, force_enum: bool) -> list[SourceFile] | None:
    """Count every group of files (files of one width) into the table ``agg``; the files in
    ``file_index`` order. With ``force_enum``, None when a file cannot be read so."""
    ordered: list[SourceFile] = []
    for width, srcs in groups.items():
        names = list(COLUMNS) + [f"extra_{i}" for i in range(width - len(COLUMNS))]
        types = {n: "VARCHAR" for n in names}
        if force_enum:
            types["Reported by"] = "saferhub_force"
        columns = "{" + ", ".join(f"'{n}': '{t}'" for n, t in types.items()) + "}"
        paths = [str(s.path) for s in srcs]
        # file_index (not filename) keys rows to their file: a small integer groups far faster
        # than a path string. A row belongs to an area by its LSOA code alone: never by its name.
        # The code is grouped as written: trimming it (and a blank one meaning no location) is
        # done on the 0.8 million groups afterwards, not on the 13 million rows (7% of the scan).
        select = f"""
            SELECT fid, month, force, lsoa, {pivot}
            FROM (
                SELECT file_index + {len(ordered)} AS fid, "Month" AS month, "Reported by" AS force,
                       "LSOA code" AS lsoa, list_position({known}, "Crime type") AS ct
                FROM read_csv({_sql_list(paths)}, columns={columns}, header=true, delim=',',
                              quote='"', escape='"', strict_mode=true,
                              null_padding=false, auto_detect=false, ignore_errors=false)
            ) GROUP BY fid, month, force, lsoa
        """
        # Not TEMP: the Parquet write reads it from a cursor of its own (saferhub's private
        # in-memory database either way).
        statement = f"CREATE TABLE agg AS {select}" if not ordered else f"INSERT INTO agg {select}"
        try:
            con.execute(statement)
        except duckdb.Error as exc:
            if force_enum:
                return None
            con.close()
            raise InputError(_locate(srcs, str(exc))) from None
        ordered.extend(srcs)
    return ordered


def _locate(srcs: list[SourceFile], engine_message: str) -> list[ImportProblem]:
    """The fast reader refused something: find the exact file, line and field with the csv module."""
    for src in srcs:
        problem = find_problem_in_file(src.path, src.display, month_from_filename(src.path.name))
        if problem:
            return [problem]
    # The engine's words name the server's paths: they go to the log, under a reference for the user.
    reference = secrets.token_hex(6).upper()
    log.warning("police.uk files could not be read (reference %s): %s", reference, engine_message)
    return [
        ImportProblem(
            ", ".join(s.display for s in srcs[:3]),
            None,
            None,
            f"could not be read as police.uk CSV files (reference {reference})",
        )
    ]


def _assemble(ordered, summaries, areas, checksums, sizes, extras) -> list[FileCounts]:
    problems: list[ImportProblem] = []
    by_display: dict[str, FileCounts] = {}
    for fid, src in enumerate(ordered):
        expected = month_from_filename(src.path.name)
        summary = summaries.get(fid)
        if summary is None:
            message = "the file has a header but no rows: is it truncated?"
            if expected is None:
                message = "the file has a header but no rows, and its name gives no month"
            problems.append(ImportProblem(src.display, 2, None, message))
            continue
        months, month, forces, force, bad_type, bad_month, bad_force, rows, without = summary
        if bad_type or bad_month or bad_force or months > 1 or forces > 1 or (expected and month != expected):
            problem = find_problem_in_file(src.path, src.display, expected)
            if problem is None and forces > 1:
                problem = ImportProblem(
                    src.display, None, "Reported by", f"one file must hold one force, but it names {forces}"
                )
            if problem is None and months > 1:
                problem = ImportProblem(
                    src.display, None, "Month", f"one file must hold one month, but it holds {months}"
                )
            problems.append(problem or ImportProblem(src.display, None, None, "invalid values"))
            continue
        by_display[src.display] = FileCounts(
            source=src,
            checksum=checksums[src.display],
            size=sizes[src.display],
            force=force,
            month=month,
            rows=int(rows),
            rows_without_lsoa=int(without),
            areas=areas.get(fid, []),
            extra_columns=extras[src.display],
        )
    if problems:
        raise InputError(problems)
    # Keep the caller's order: a later file for the same force-month supersedes an earlier one.
    return [by_display[d] for d in checksums if d in by_display]
