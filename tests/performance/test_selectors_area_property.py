"""Property: for any area definition, the rows saferhub counts equal an independent count of
the real files with the csv module (the area's LSOAs taken from the ONS lookups in ../shared)."""

from __future__ import annotations

import csv

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhub.domain.policeuk import CRIME_TYPES
from saferhub.partnerships.services import partnership_area_set
from saferhub.performance.services import policeuk_import

from ..conftest import DEVON_AND_CORNWALL, standard_partnership
from .areas import GEOGRAPHY, csv_count, ons_district_codes, total
from .conftest import NOW
from .test_selectors_areas import MONTHS, observed

# The districts Devon & Cornwall polices, and two its files hold a few stray rows of.
DISTRICTS = [
    "E06000026",
    "E06000027",
    "E06000052",
    "E06000053",
    "E07000040",
    "E07000041",
    "E07000042",
    "E07000043",
    "E07000044",
    "E07000045",
    "E07000046",
    "E07000047",
    "W06000008",
    "E06000024",
]


def _unchanged_codes_in_files() -> list[str]:
    with open(GEOGRAPHY / "lsoa11_lsoa21_lad22" / "lookup_lsoa11_lsoa21_ltla22.csv", newline="", encoding="utf-8") as f:
        unchanged = {r["lsoa11_code"] for r in csv.DictReader(f) if r["change_code"] == "U"}
    seen: set[str] = set()
    with open(DEVON_AND_CORNWALL / "2019-06-devon-and-cornwall-street.csv", newline="", encoding="utf-8") as f:
        seen = {r["LSOA code"] for r in csv.DictReader(f) if r["LSOA code"]}
    return sorted(seen & unchanged)


def _pfa_lookups() -> tuple[dict[str, str], dict[str, str]]:
    """District -> police force area (ONS December 2024, through la_all_codes' successors), and
    2011 LSOA -> district (ONS LSOA11 -> LAD21)."""
    with open(GEOGRAPHY / "la_all_codes" / "la_all_codes.csv", newline="", encoding="utf-8") as f:
        active = {r["LADCD"]: r["LADCD_ACTIVE"] for r in csv.DictReader(f)}
    with open(GEOGRAPHY / "lad_csp_pfa_2024" / "lad24_csp24_pfa24.csv", newline="", encoding="utf-8") as f:
        pfa = {r["ltla24_code"]: r["pfa24_code"] for r in csv.DictReader(f)}
    for old, new in active.items():
        pfa.setdefault(old, pfa.get(new, ""))
    with open(GEOGRAPHY / "lsoa11_lad21" / "lookup_lsoa11_ltla21.csv", newline="", encoding="utf-8") as f:
        lad = {r["lsoa11_code"]: r["ltla21_code"] for r in csv.DictReader(f)}
    return pfa, lad


PFA_OF_DISTRICT, DISTRICT_OF_LSOA = _pfa_lookups()
DEVON_AND_CORNWALL_PFA = "E23000035"
CODES = _unchanged_codes_in_files()
DISTRICT_CODES = {d: ons_district_codes(d) for d in DISTRICTS}

areas = st.tuples(
    st.lists(st.sampled_from(DISTRICTS), max_size=3, unique=True),
    st.lists(st.sampled_from(CODES), max_size=25, unique=True),
).filter(lambda a: a[0] or a[1])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(area=areas)
def test_counted_rows_equal_an_independent_count_for_any_area(db, area, request):
    if not hasattr(request.node, "_imported"):
        policeuk_import(paths=[DEVON_AND_CORNWALL], partnership=None, now=NOW)
        request.node._imported = standard_partnership(slug="any", name="Any area", lsoa_codes=[CODES[0]])
    p = request.node._imported
    districts, lsoas = area
    partnership_area_set(partnership=p, local_authorities=districts, lsoa_codes=lsoas, now=NOW)
    codes = set(lsoas).union(*(DISTRICT_CODES[d] for d in districts))
    counts = csv_count([DEVON_AND_CORNWALL], codes)
    # Only Devon & Cornwall's files are held: a month is held only if no other force polices the area.
    pfas = {PFA_OF_DISTRICT[d] for d in districts} | {PFA_OF_DISTRICT[DISTRICT_OF_LSOA[c]] for c in lsoas}
    months = MONTHS if pfas == {DEVON_AND_CORNWALL_PFA} else []
    crimes = [t for t in CRIME_TYPES.values() if t != "anti-social-behaviour"]
    assert observed(p, "all-crime") == {m: total(counts, m, crimes) for m in months}
    assert observed(p, "anti-social-behaviour") == {m: counts[(m, "anti-social-behaviour")] for m in months}
