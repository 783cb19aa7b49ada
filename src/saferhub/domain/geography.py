"""Official geography: which LSOAs make an area, and which police forces police it.

Plain Python over the ONS lookups shipped in ``saferhub/geography_data`` (Source: Office for
National Statistics licensed under the Open Government Licence v.3.0). An area is a set of LSOA
codes of both vintages (2011 and 2021): a police.uk row belongs to it by its LSOA code, whatever
vintage its file uses and whatever its LSOA name says.

- A district (current or former, by code or name) holds every LSOA that the official lookup of
  that LSOA's own vintage places in it: a 2011 code by the 2011 lookup, a 2021 code by the 2021
  lookup. So a 2011 LSOA that was split, or redrawn in a "complex" (X) change, stays with the
  district that held it in 2011, and each 2021 piece with the district that holds it now: every
  code is in exactly one district and one CSP, and nothing is counted twice.
- A CSP holds the LSOAs of its districts; where a district is split between CSPs (BCP between
  Bournemouth, Poole and Dorset), along the former districts it was made from.
- Listed LSOA codes bring their counterparts of the other vintage whose whole territory they
  cover: a 2011 code its 2021 pieces (U, S), a set of 2011 codes the 2021 LSOA they merged into
  (M, X); a 2021 code its 2011 parent only when it is that parent's only piece, or when all
  the parent's pieces are listed. A split LSOA's rows stay with the area that holds all of it.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Optional

from .problems import SaferhubError

__all__ = [
    "ATTRIBUTION",
    "AreaDefinition",
    "Csp",
    "District",
    "Geography",
    "GeographyError",
    "geography",
    "normalise_force",
]

ATTRIBUTION = (
    "Contains Office for National Statistics data licensed under the Open Government Licence v.3.0; "
    "contains OS data © Crown copyright and database right"
)

_LSOA_CODE = re.compile(r"^[EW]01\d{6}$")


class GeographyError(SaferhubError, ValueError):
    """A name or code that is not in the official geography, with what the user can do."""


@dataclass(frozen=True)
class District:
    code: str
    names: tuple[str, ...]
    successor: str
    lad16: frozenset[str]

    @property
    def name(self) -> str:
        return self.names[-1]

    @property
    def current(self) -> bool:
        return self.successor == self.code


@dataclass(frozen=True)
class Csp:
    code: str
    name: str
    pfa: str
    lad16: frozenset[str]


@dataclass(frozen=True)
class Force:
    pfa: str
    pfa_name: str
    force_id: str
    name: str


@dataclass(frozen=True)
class AreaDefinition:
    """The LSOA codes (both vintages) an area holds, and the police force areas policing it."""

    lsoas: frozenset[str]
    pfas: frozenset[str]


def normalise_force(text: str) -> str:
    """ "Devon & Cornwall Police" -> "devon-and-cornwall": how a file's "Reported by" is matched
    to a police force area, whether police.uk's wording or a generator's."""
    t = text.lower().replace("&", " and ")
    t = re.sub(r"[^a-z0-9]+", " ", t).strip()
    t = re.sub(r"\s+(police service|police|constabulary|service)$", "", t)
    return re.sub(r"\s+", "-", t.strip())


def _name_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")).strip()


def _read(name: str) -> list[dict[str, str]]:
    # Read as bytes so that the csv module sees the file's own line ends (newline="").
    text = resources.files("saferhub.geography_data").joinpath(name).read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


class Geography:
    def __init__(self) -> None:
        names: dict[str, list[str]] = defaultdict(list)
        rows: dict[str, dict[str, str]] = {}
        for r in _read("districts.csv"):
            names[r["code"]].append(r["name"])
            rows[r["code"]] = r
        self.districts = {
            code: District(code, tuple(names[code]), r["successor"], frozenset(r["lad16"].split()))
            for code, r in rows.items()
        }
        self.csps = {
            r["csp"]: Csp(r["csp"], r["name"], r["pfa"], frozenset(r["lad16"].split())) for r in _read("csps.csv")
        }
        self.forces = {
            r["pfa"]: Force(r["pfa"], r["pfa_name"], r["force_id"], r["force_name"]) for r in _read("forces.csv")
        }
        self.csp_of_lad16 = {d: c.code for c in self.csps.values() for d in c.lad16}
        self._force_keys: dict[str, str] = {}
        for f in self.forces.values():
            for key in (f.force_id, normalise_force(f.name), normalise_force(f.pfa_name)):
                self._force_keys[key] = f.pfa

    @functools.cached_property
    def _lsoa_tables(self) -> tuple[dict[str, str], dict[str, set[str]], dict[str, set[str]], dict[str, list[str]]]:
        """The LSOA tables (37,000 codes), read only when an area is resolved: matching a force
        or a district needs none of them."""
        lad16: dict[str, str] = {}
        by_lad16: dict[str, list[str]] = defaultdict(list)
        with resources.files("saferhub.geography_data").joinpath("lsoas.csv").open(encoding="utf-8") as f:
            next(f)
            for line in f:
                code, _vintages, district = line.rstrip("\n").split(",")
                lad16[code] = district
                by_lad16[district].append(code)
        children: dict[str, set[str]] = defaultdict(set)
        parents: dict[str, set[str]] = defaultdict(set)
        for r in _read("lsoa_changes.csv"):
            children[r["lsoa11"]].add(r["lsoa21"])
            parents[r["lsoa21"]].add(r["lsoa11"])
        return lad16, children, parents, by_lad16

    @property
    def lsoa_lad16(self) -> dict[str, str]:
        return self._lsoa_tables[0]

    @property
    def children(self) -> dict[str, set[str]]:
        return self._lsoa_tables[1]

    @property
    def parents(self) -> dict[str, set[str]]:
        return self._lsoa_tables[2]

    @property
    def by_lad16(self) -> dict[str, list[str]]:
        return self._lsoa_tables[3]

    # ------------------------------------------------------------------ look-ups

    def district(self, text: str) -> District:
        """A current or former district, by code (E06000058) or name (any it has had)."""
        t = text.strip()
        if t.upper() in self.districts:
            return self.districts[t.upper()]
        key = _name_key(t)
        found = {d.code: d for d in self.districts.values() if any(_name_key(n) == key for n in d.names)}
        # A district recoded under the same name (Gateshead E08000020 -> E08000037): the newer code.
        current = {c: d for c, d in found.items() if d.current} or found
        if len(current) == 1:
            return next(iter(current.values()))
        if len({d.lad16 for d in current.values()}) == 1 and current:
            return sorted(current.values(), key=lambda d: d.code)[-1]
        raise GeographyError(
            f"{text!r} is not a local authority district of England and Wales "
            f"(give its name or its code, like E06000026 for Plymouth){self._suggest(t)}"
        )

    def csp(self, text: str) -> Csp:
        t = text.strip()
        if t.upper() in self.csps:
            return self.csps[t.upper()]
        key = _name_key(t)
        found = [c for c in self.csps.values() if _name_key(c.name) == key]
        if len(found) == 1:
            return found[0]
        raise GeographyError(
            f"{text!r} is not a Community Safety Partnership of England and Wales "
            f"(give its name or its code, like E22000056 for Plymouth)"
        )

    def _suggest(self, text: str) -> str:
        key = _name_key(text)
        close = sorted({d.name for d in self.districts.values() if key and key in _name_key(d.name)})[:5]
        return f"; did you mean {', '.join(close)}?" if close else ""

    def check_lsoa(self, text: str) -> str:
        code = text.strip().upper()
        if not _LSOA_CODE.match(code):
            raise GeographyError(f"{text!r} is not an LSOA code like E01015025")
        if code not in self.lsoa_lad16:
            raise GeographyError(f"{code} is not a 2011 or 2021 LSOA of England and Wales")
        return code

    def force_pfa(self, reported_by: str) -> Optional[str]:
        """The police force area of a file's force ("Reported by"), or None (e.g. British Transport Police)."""
        return self._force_keys.get(normalise_force(reported_by))

    def csp_of(self, lsoa: str) -> Optional[str]:
        lad16 = self.lsoa_lad16.get(lsoa)
        return self.csp_of_lad16.get(lad16) if lad16 else None

    # ------------------------------------------------------------------ areas

    def lsoas_of_district(self, district: District) -> set[str]:
        return {code for d in district.lad16 for code in self.by_lad16.get(d, ())}

    def lsoas_of_csp(self, csp: Csp) -> set[str]:
        return {code for d in csp.lad16 for code in self.by_lad16.get(d, ())}

    def with_counterparts(self, codes: Iterable[str]) -> set[str]:
        """``codes`` and the codes of the other vintage whose whole territory they cover."""
        held = set(codes)
        while True:
            more = set()
            for code in held:
                for child in self.children.get(code, ()):  # 2011 -> 2021: a child all of whose parents are held
                    if child not in held and self.parents[child] <= held:
                        more.add(child)
                for parent in self.parents.get(code, ()):  # 2021 -> 2011: a parent all of whose pieces are held
                    if parent not in held and self.children[parent] <= held:
                        more.add(parent)
            if not more:
                return held
            held |= more

    def area(
        self, *, csps: Iterable[str] = (), districts: Iterable[str] = (), lsoas: Iterable[str] = ()
    ) -> AreaDefinition:
        """The area made of the given CSPs, districts and LSOAs (codes or names), each LSOA once."""
        held: set[str] = set()
        for c in csps:
            held |= self.lsoas_of_csp(self.csp(c))
        for d in districts:
            held |= self.lsoas_of_district(self.district(d))
        held |= {self.check_lsoa(code) for code in lsoas}
        held = self.with_counterparts(held)
        return AreaDefinition(frozenset(held), frozenset(self.pfas_of(held)))

    def pfas_of(self, lsoas: Iterable[str]) -> set[str]:
        out = set()
        for code in lsoas:
            csp = self.csp_of(code)
            if csp:
                out.add(self.csps[csp].pfa)
        return out


@functools.lru_cache(maxsize=1)
def geography() -> Geography:
    return Geography()
