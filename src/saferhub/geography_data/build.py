"""Rebuild saferhub's shipped geography (this folder's CSV files) from the ONS lookups.

    python -m saferhub.geography_data.build SOURCE_DIR

SOURCE_DIR holds the ONS lookups in the layout of ``../shared/data/geography`` (see
docs/geography.md for the releases each comes from and how to refresh them). The build checks
every assumption it relies on and stops, naming the case, when a new release breaks one.

What it writes (Source: Office for National Statistics licensed under the Open Government
Licence v.3.0):
- ``lsoas.csv``: every 2011 and 2021 LSOA of England and Wales, the vintages its code exists in,
  and the district (as of 2016, before the 2019-2023 reorganisations) that holds it;
- ``lsoa_changes.csv``: the 2011 -> 2021 changes other than "unchanged" (S split, M merged,
  X complex), from the ONS LSOA11 -> LSOA21 lookup;
- ``districts.csv``: every district code and name since 2011 (current and former), its current
  successor, and the 2016 districts it covers;
- ``csps.csv``: every Community Safety Partnership (December 2024) with its police force area and
  the 2016 districts it covers;
- ``forces.csv``: each police force area with the police.uk force that polices it.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

# police.uk's force of each police force area: its id (the file names' slug) and the
# "Reported by" text of its street files. Written by hand from police.uk's force list.
POLICE_UK_FORCES = {
    "E23000001": ("metropolitan", "Metropolitan Police Service"),
    "E23000002": ("cumbria", "Cumbria Constabulary"),
    "E23000003": ("lancashire", "Lancashire Constabulary"),
    "E23000004": ("merseyside", "Merseyside Police"),
    "E23000005": ("greater-manchester", "Greater Manchester Police"),
    "E23000006": ("cheshire", "Cheshire Constabulary"),
    "E23000007": ("northumbria", "Northumbria Police"),
    "E23000008": ("durham", "Durham Constabulary"),
    "E23000009": ("north-yorkshire", "North Yorkshire Police"),
    "E23000010": ("west-yorkshire", "West Yorkshire Police"),
    "E23000011": ("south-yorkshire", "South Yorkshire Police"),
    "E23000012": ("humberside", "Humberside Police"),
    "E23000013": ("cleveland", "Cleveland Police"),
    "E23000014": ("west-midlands", "West Midlands Police"),
    "E23000015": ("staffordshire", "Staffordshire Police"),
    "E23000016": ("west-mercia", "West Mercia Police"),
    "E23000017": ("warwickshire", "Warwickshire Police"),
    "E23000018": ("derbyshire", "Derbyshire Constabulary"),
    "E23000019": ("nottinghamshire", "Nottinghamshire Police"),
    "E23000020": ("lincolnshire", "Lincolnshire Police"),
    "E23000021": ("leicestershire", "Leicestershire Police"),
    "E23000022": ("northamptonshire", "Northamptonshire Police"),
    "E23000023": ("cambridgeshire", "Cambridgeshire Constabulary"),
    "E23000024": ("norfolk", "Norfolk Constabulary"),
    "E23000025": ("suffolk", "Suffolk Constabulary"),
    "E23000026": ("bedfordshire", "Bedfordshire Police"),
    "E23000027": ("hertfordshire", "Hertfordshire Constabulary"),
    "E23000028": ("essex", "Essex Police"),
    "E23000029": ("thames-valley", "Thames Valley Police"),
    "E23000030": ("hampshire", "Hampshire Constabulary"),
    "E23000031": ("surrey", "Surrey Police"),
    "E23000032": ("kent", "Kent Police"),
    "E23000033": ("sussex", "Sussex Police"),
    "E23000034": ("city-of-london", "City of London Police"),
    "E23000035": ("devon-and-cornwall", "Devon & Cornwall Police"),
    "E23000036": ("avon-and-somerset", "Avon and Somerset Constabulary"),
    "E23000037": ("gloucestershire", "Gloucestershire Constabulary"),
    "E23000038": ("wiltshire", "Wiltshire Police"),
    "E23000039": ("dorset", "Dorset Police"),
    "W15000001": ("north-wales", "North Wales Police"),
    "W15000002": ("gwent", "Gwent Police"),
    "W15000003": ("south-wales", "South Wales Police"),
    "W15000004": ("dyfed-powys", "Dyfed-Powys Police"),
}

_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")


class BuildError(Exception):
    pass


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _ew(code: str) -> bool:
    return code[:1] in ("E", "W")


def build(src: Path, out: Path = HERE) -> dict[str, int]:
    history = [r for r in _rows(src / "lad_history_2016_2024" / "lookup_ltla_ltla.csv") if _ew(r["ltla16_code"])]
    years = ("16", "17", "18", "19", "20", "21", "22", "23", "24")
    # Every district code since 2016 -> the 2016 districts it covers.
    covers: dict[str, set[str]] = defaultdict(set)
    names: dict[str, dict[str, None]] = defaultdict(dict)  # in the order of the years: latest last
    successor: dict[str, str] = {}
    for r in history:
        if len({r["ltla16_code"]} & {x["ltla16_code"] for x in history}) != 1:
            raise BuildError("duplicate 2016 district")
        for y in years:
            covers[r[f"ltla{y}_code"]].add(r["ltla16_code"])
            names[r[f"ltla{y}_code"]].pop(r[f"ltla{y}_name"], None)
            names[r[f"ltla{y}_code"]][r[f"ltla{y}_name"]] = None
            successor[r[f"ltla{y}_code"]] = r["ltla24_code"]
    # Codes of 2011-2015 (recoded with the same name, e.g. Gateshead E08000020 -> E08000037) and
    # codes newer than the 2024 lookup (Barnsley E08000038 for E08000016) are aliases.
    for r in _rows(src / "la_all_codes" / "la_all_codes.csv"):
        code, active = r["LADCD"], r["LADCD_ACTIVE"]
        if not _ew(code) or code in covers:
            continue
        names[code][r["LADNM"]] = None
        if active in covers:
            covers[code] = set(covers[active])
            successor[code] = successor[active]
            continue
        # A new code for an unchanged district (E08000038 Barnsley): find the 2024 code it renames.
        same = [c for c in covers if successor.get(c) == c and r["LADNM_ACTIVE"] in names[c]]
        if len(same) != 1:
            raise BuildError(f"district {code} {r['LADNM']}: no successor in the 2016-2024 history")
        covers[code] = set(covers[same[0]])
        successor[code] = same[0]
    # 2011-2015 recodes must have the same name as the code they became.
    for code, lad16s in covers.items():
        if not lad16s:
            raise BuildError(f"district {code} covers nothing")

    lad16_name = {r["ltla16_code"]: r["ltla16_name"] for r in history}
    lad16_of_21: dict[str, list[str]] = defaultdict(list)
    lad16_of_24: dict[str, list[str]] = defaultdict(list)
    for r in history:
        lad16_of_21[r["ltla21_code"]].append(r["ltla16_code"])
        lad16_of_24[r["ltla24_code"]].append(r["ltla16_code"])

    # 2011 LSOAs: the 2016 district from the LAD21 lookup; where the LAD21 was formed from several
    # 2016 districts, the one whose name the official 2011 LSOA name carries ("Bournemouth 001A").
    lsoa11: dict[str, str] = {}
    for r in _rows(src / "lsoa11_lad21" / "lookup_lsoa11_ltla21.csv"):
        cands = lad16_of_21.get(r["ltla21_code"], [])
        if len(cands) == 1:
            lsoa11[r["lsoa11_code"]] = cands[0]
            continue
        prefix = _SUFFIX.sub("", r["lsoa11_name"])
        match = [c for c in cands if lad16_name[c] == prefix]
        if len(match) != 1:
            raise BuildError(f"LSOA {r['lsoa11_code']} {r['lsoa11_name']}: cannot place it among {cands}")
        lsoa11[r["lsoa11_code"]] = match[0]
    population = {
        r["lsoa11_code"]: int(r["population_mid2020"])
        for r in _rows(src / "pop_mid2020_lsoa11" / "population20_lsoa11_totals.csv")
    }
    parents: dict[str, list[str]] = defaultdict(list)
    changes = []
    for r in _rows(src / "lsoa11_lsoa21_lad22" / "lookup_lsoa11_lsoa21_ltla22.csv"):
        parents[r["lsoa21_code"]].append(r["lsoa11_code"])
        if r["change_code"] not in "USMX" or len(r["change_code"]) != 1:
            raise BuildError(f"unknown change code {r['change_code']!r}")
        if r["change_code"] != "U":
            changes.append((r["lsoa11_code"], r["lsoa21_code"], r["change_code"]))
        elif r["lsoa11_code"] != r["lsoa21_code"]:
            raise BuildError(f"unchanged LSOA with two codes: {r['lsoa11_code']} {r['lsoa21_code']}")
    # 2021 LSOAs: the 2016 district among those of its 2024 district; where several, the one
    # holding its 2011 parent(s) (the most populous parent when they differ).
    lsoa21: dict[str, str] = {}
    for r in _rows(src / "lsoa21_ward24_lad24" / "lookup_lsoa21_ward24_ltla24.csv"):
        lad24 = r["ltla24_code"]
        cands = lad16_of_24.get(lad24) or lad16_of_24.get(successor.get(lad24, ""), [])
        if not cands:
            raise BuildError(f"LSOA {r['lsoa21_code']}: district {lad24} not in the history")
        if len(cands) == 1:
            lsoa21[r["lsoa21_code"]] = cands[0]
            continue
        held = sorted(
            (p for p in parents[r["lsoa21_code"]] if lsoa11.get(p) in cands), key=lambda p: (-population.get(p, 0), p)
        )
        if not held:
            raise BuildError(f"LSOA {r['lsoa21_code']}: no 2011 parent in {lad24}")
        lsoa21[r["lsoa21_code"]] = lsoa11[held[0]]
    # An unchanged LSOA that a district boundary change moved (a handful, e.g. E01027305 from
    # South Northamptonshire to Cherwell): the 2021 lookup, on current boundaries, wins.
    moved = sorted(c for c in set(lsoa11) & set(lsoa21) if lsoa11[c] != lsoa21[c])
    if len(moved) > 50:
        raise BuildError(f"{len(moved)} unchanged LSOAs changed district: is the 2011 lookup the right one?")
    for code in moved:
        lsoa11[code] = lsoa21[code]

    # CSPs: a district in one CSP takes all its 2016 districts there; a district split between
    # CSPs (BCP: Bournemouth, Poole and Dorset) is split along its former districts, as the
    # December 2018 lookup placed them.
    csp18 = {
        r["LAD18CD"]: r["CSP18CD"] for r in _rows(src / "lad_csp_pfa_ons_2017_2019" / "LAD18_CSP18_PFA18_EW_LU.csv")
    }
    by_lad: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in _rows(src / "lad_csp_pfa_2024" / "lad24_csp24_pfa24.csv"):
        by_lad[r["ltla24_code"]].append(r)
    csps: dict[str, dict] = {}
    for lad, rs in by_lad.items():
        for r in rs:
            csps.setdefault(
                r["csp24_code"],
                {"name": r["csp24_name"], "pfa": r["pfa24_code"], "pfa_name": r["pfa24_name"], "lad16": set()},
            )
        lad16s = covers.get(lad)
        if not lad16s:
            raise BuildError(f"CSP lookup district {lad} is not in the history")
        if len(rs) == 1:
            csps[rs[0]["csp24_code"]]["lad16"] |= lad16s
            continue
        allowed = {r["csp24_code"] for r in rs}
        for d in lad16s:
            # Some 2016 districts were recoded by 2018 (none in E&W so far): look them up by successor too.
            c = csp18.get(d)
            if c not in allowed:
                raise BuildError(f"{lad}: former district {d} is in CSP {c} in 2018, not one of {sorted(allowed)}")
            csps[c]["lad16"].add(d)
    placed: dict[str, str] = {}
    for code, c in csps.items():
        for d in c["lad16"]:
            if d in placed:
                raise BuildError(f"2016 district {d} in two CSPs: {placed[d]} and {code}")
            placed[d] = code
    missing = set(lad16_name) - set(placed)
    if missing:
        raise BuildError(f"2016 districts in no CSP: {sorted(missing)}")
    if set(POLICE_UK_FORCES) != {c["pfa"] for c in csps.values()}:
        raise BuildError("the police force areas differ from POLICE_UK_FORCES")

    out.mkdir(parents=True, exist_ok=True)
    with open(out / "lsoas.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["lsoa", "vintages", "lad16"])
        for code in sorted(set(lsoa11) | set(lsoa21)):
            vintages = " ".join(v for v, table in (("2011", lsoa11), ("2021", lsoa21)) if code in table)
            w.writerow([code, vintages, lsoa11.get(code) or lsoa21[code]])
    with open(out / "lsoa_changes.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["lsoa11", "lsoa21", "change"])
        w.writerows(sorted(changes))
    with open(out / "districts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "successor", "lad16"])
        for code in sorted(covers):
            for name in names[code]:
                w.writerow([code, name, successor[code], " ".join(sorted(covers[code]))])
    with open(out / "csps.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["csp", "name", "pfa", "lad16"])
        for code in sorted(csps):
            c = csps[code]
            w.writerow([code, c["name"], c["pfa"], " ".join(sorted(c["lad16"]))])
    pfa_names = {c["pfa"]: c["pfa_name"] for c in csps.values()}
    with open(out / "forces.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["pfa", "pfa_name", "force_id", "force_name"])
        for code in sorted(POLICE_UK_FORCES):
            w.writerow([code, pfa_names[code], *POLICE_UK_FORCES[code]])
    return {
        "moved": len(moved),
        "lsoas": len(set(lsoa11) | set(lsoa21)),
        "changes": len(changes),
        "districts": len(covers),
        "csps": len(csps),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        print(build(Path(sys.argv[1])))
    except BuildError as exc:
        sys.exit(f"geography build stopped: {exc}")
