"""Fixtures for areas: police.uk files built from the real Devon & Cornwall rows of 2019, with
their LSOA codes, names and force rewritten, and an independent count with the csv module."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Iterable

from saferhub.domain.policeuk import CRIME_TYPES

from ..conftest import DEVON_AND_CORNWALL, SHARED

GEOGRAPHY = SHARED / "data" / "geography"


def real_rows(month: str) -> list[dict[str, str]]:
    with open(DEVON_AND_CORNWALL / f"{month}-devon-and-cornwall-street.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_file(folder: Path, month: str, force: str, lsoas: list[tuple[str, str]], n: int, *, offset: int = 0) -> Path:
    """``n`` real located rows of ``month``, their LSOAs given in turn from ``lsoas`` (code, name)."""
    located = [r for r in real_rows(month) if r["LSOA code"]]
    rows = []
    for i in range(n):
        r = dict(located[(i + offset) % len(located)])
        r["LSOA code"], r["LSOA name"] = lsoas[i % len(lsoas)]
        r["Reported by"] = r["Falls within"] = force
        rows.append(r)
    slug = re.sub(r"[^a-z0-9]+", "-", force.lower()).strip("-")
    path = folder / slug / f"{month}-{slug}-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(located[0].keys()), lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)
    return path


def csv_count(paths: Iterable[Path], codes: set[str]) -> Counter:
    """Rows by (month, crime type slug) whose LSOA code is in ``codes``: the csv module's count."""
    counts: Counter = Counter()
    for path in paths:
        for p in [path] if path.is_file() else sorted(path.rglob("*-street.csv")):
            with open(p, newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    if row["LSOA code"] in codes:
                        counts[(row["Month"], CRIME_TYPES[row["Crime type"]])] += 1
    return counts


def ons_lsoas(*, lad: str | None = None, lad11_name: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of 2011 LSOAs from the ONS lookup in ../shared, by LAD21 code or by the 2011
    district name their official names carry."""
    out = []
    with open(GEOGRAPHY / "lsoa11_lad21" / "lookup_lsoa11_ltla21.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if (lad and r["ltla21_code"] == lad) or (lad11_name and r["lsoa11_name"].rsplit(" ", 1)[0] == lad11_name):
                out.append((r["lsoa11_code"], r["lsoa11_name"]))
    return sorted(out)


def ons_district_codes(lad: str) -> set[str]:
    """Every LSOA code, 2011 and 2021, that the ONS lookups place in current district ``lad``."""
    codes = {c for c, _ in ons_lsoas(lad=lad)}
    with open(GEOGRAPHY / "lsoa21_ward24_lad24" / "lookup_lsoa21_ward24_ltla24.csv", newline="", encoding="utf-8") as f:
        codes |= {r["lsoa21_code"] for r in csv.DictReader(f) if r["ltla24_code"] == lad}
    return codes


def total(counts: Counter, month: str, crime_types: Iterable[str]) -> int:
    return sum(counts[(month, t)] for t in crime_types)
