"""police.uk street-level crime files: the categories, the file layout and a precise checker.

Bulk counting is done by :mod:`saferhub.ingest.policeuk` with DuckDB; this module knows what
a valid file looks like and, when the fast path rejects a file, finds the exact line and
field at fault with the ``csv`` module.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .calendar import Month, PeriodError
from .problems import ImportProblem

__all__ = [
    "COLUMNS",
    "CRIME_TYPES",
    "CRIME_TYPE_BY_SLUG",
    "StandardIndicator",
    "STANDARD_INDICATORS",
    "local_authority_of",
    "read_header",
    "check_header",
    "find_problem",
    "month_from_filename",
]

COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
REQUIRED = ("Month", "Reported by", "Crime type")

# The "Crime type" text of the street files and the police.uk API slug that codes it.
CRIME_TYPES: dict[str, str] = {
    "Anti-social behaviour": "anti-social-behaviour",
    "Bicycle theft": "bicycle-theft",
    "Burglary": "burglary",
    "Criminal damage and arson": "criminal-damage-arson",
    "Drugs": "drugs",
    "Other theft": "other-theft",
    "Possession of weapons": "possession-of-weapons",
    "Public order": "public-order",
    "Robbery": "robbery",
    "Shoplifting": "shoplifting",
    "Theft from the person": "theft-from-the-person",
    "Vehicle crime": "vehicle-crime",
    "Violence and sexual offences": "violent-crime",
    "Other crime": "other-crime",
}
CRIME_TYPE_BY_SLUG = {slug: name for name, slug in CRIME_TYPES.items()}


@dataclass(frozen=True)
class StandardIndicator:
    code: str
    title: str
    crime_types: tuple[str, ...]
    noun: str
    polarity: str = "lower_is_better"


_NOUNS = {
    "anti-social-behaviour": "anti-social behaviour incidents",
    "criminal-damage-arson": "criminal damage and arson offences",
    "drugs": "drugs offences",
    "possession-of-weapons": "possession of weapons offences",
    "public-order": "public order offences",
    "violent-crime": "violence and sexual offences",
    "other-crime": "other crimes",
    "vehicle-crime": "vehicle crimes",
}

STANDARD_INDICATORS: tuple[StandardIndicator, ...] = tuple(
    StandardIndicator(
        code=slug,
        title=name,
        crime_types=(slug,),
        noun=_NOUNS.get(slug, f"{name.lower()} offences"),
    )
    for name, slug in CRIME_TYPES.items()
) + (
    StandardIndicator(
        code="all-crime",
        title="All crime (excluding anti-social behaviour)",
        crime_types=tuple(s for s in CRIME_TYPES.values() if s != "anti-social-behaviour"),
        noun="crimes",
    ),
    StandardIndicator(
        code="serious-acquisitive-crime",
        title="Serious acquisitive crime (burglary, robbery and vehicle crime)",
        crime_types=("burglary", "robbery", "vehicle-crime"),
        noun="serious acquisitive crimes",
    ),
)

_LSOA_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")
_FILENAME_MONTH = re.compile(r"(\d{4}-\d{2})-[a-z0-9-]+-street\.csv$", re.IGNORECASE)


def local_authority_of(lsoa_name: str) -> Optional[str]:
    """ "Plymouth 001A" -> "Plymouth"; a name without the LSOA suffix belongs to no authority."""
    name = lsoa_name.strip()
    if not _LSOA_SUFFIX.search(name):
        return None
    return _LSOA_SUFFIX.sub("", name)


def month_from_filename(name: str) -> Optional[str]:
    m = _FILENAME_MONTH.search(name)
    return m.group(1) if m else None


def read_header(data: bytes) -> tuple[list[str], bool]:
    """The header fields of a file's first bytes, and whether it began with a UTF-8 BOM."""
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    first = data.split(b"\n", 1)[0].rstrip(b"\r")
    text = first.decode("utf-8", errors="replace")
    return next(csv.reader([text])) if text else [], bom


def check_header(name: str, fields: list[str]) -> Optional[ImportProblem]:
    """The 12 police.uk columns must come first and in order; extra trailing columns are allowed."""
    if not fields:
        return ImportProblem(name, 1, None, "the file is empty: a police.uk street file starts with a header line")
    for i, expected in enumerate(COLUMNS):
        got = fields[i] if i < len(fields) else None
        if got != expected:
            shown = "nothing" if got is None else repr(got)
            return ImportProblem(
                name,
                1,
                expected,
                f"column {i + 1} of the header should be {expected!r} but is {shown}: "
                "this is not a police.uk street-level crime file",
            )
    return None


def find_problem(name: str, lines: Iterable[str], expected_month: Optional[str]) -> Optional[ImportProblem]:
    """Scan a file (text lines, BOM already removed) and return its first problem, if any."""
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
        problem = check_header(name, header or [])
        if problem:
            return problem
        assert header is not None
        width = len(header)
        index = {col: i for i, col in enumerate(COLUMNS)}
        for row in reader:
            line = reader.line_num
            if not row or row == [""]:
                # A blank line inside a file means a damaged file; a final newline is not a row.
                return ImportProblem(name, line, None, "blank line: the file looks damaged")
            if len(row) != width:
                return ImportProblem(
                    name,
                    line,
                    COLUMNS[min(len(row), len(COLUMNS) - 1)],
                    f"expected {width} fields but found {len(row)}: the line is truncated or has stray commas",
                )
            month = row[index["Month"]]
            try:
                Month.parse(month)
            except PeriodError as exc:
                return ImportProblem(name, line, "Month", str(exc))
            if expected_month and month != expected_month:
                return ImportProblem(
                    name,
                    line,
                    "Month",
                    f"{month!r} does not match the month {expected_month} in the file's name",
                )
            if not row[index["Reported by"]].strip():
                return ImportProblem(name, line, "Reported by", "is empty: every row must name its force")
            crime_type = row[index["Crime type"]]
            if crime_type not in CRIME_TYPES:
                return ImportProblem(
                    name,
                    line,
                    "Crime type",
                    f"{crime_type!r} is not a police.uk crime type",
                )
    except csv.Error as exc:
        return ImportProblem(name, reader.line_num, None, f"not valid CSV: {exc}")
    return None


def find_problem_in_bytes(name: str, data: bytes, expected_month: Optional[str]) -> Optional[ImportProblem]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return ImportProblem(name, line, None, f"not UTF-8 text (byte {exc.start}): is this a police.uk CSV file?")
    return find_problem(name, io.StringIO(text, newline=""), expected_month)


def find_problem_in_file(path: Path, display: str, expected_month: Optional[str]) -> Optional[ImportProblem]:
    return find_problem_in_bytes(display, path.read_bytes(), expected_month)
