"""Issue 14: partnerships counted right from police.uk files, by LSOA code and official geography."""

from __future__ import annotations

import pytest

from saferhub.domain.calendar import Month
from saferhub.domain.policeuk import STANDARD_INDICATORS
from saferhub.performance.models import Indicator
from saferhub.performance.report import build_performance_report
from saferhub.performance.selectors import police_months_held, police_observations
from saferhub.performance.services import policeuk_import
from saferhub.rendering.report_json import report_json

from ..conftest import standard_partnership
from .areas import csv_count, ons_district_codes, ons_lsoas, total, write_file
from .conftest import NOW

MONTHS = [f"2019-{m:02d}" for m in range(1, 13)]
ALL_CRIME = next(s for s in STANDARD_INDICATORS if s.code == "all-crime")


def observed(partnership, code="all-crime"):
    inds = list(Indicator.objects.filter(partnership=partnership))
    return {m: int(o.value) for m, o in police_observations(partnership, inds)[code].items()}


def expected(paths, codes, months=MONTHS, crime_types=ALL_CRIME.crime_types):
    counts = csv_count(paths, codes)
    return {m: total(counts, m, crime_types) for m in months}


# ---------------------------------------------------------------- 1. double counting


def test_a_district_and_an_lsoa_inside_it_count_each_row_once(db, tmp_path):
    city = ons_lsoas(lad="E09000001")  # City of London, 2011 LSOAs and names ("City of London 001A")
    paths = [write_file(tmp_path, m, "City of London Police", city, 600) for m in MONTHS[:3]]
    p = standard_partnership(slug="city", name="City", local_authorities=["City of London"], lsoa_codes=["E01000001"])
    run = policeuk_import(paths=paths, partnership=p, now=NOW)
    want = expected(paths, ons_district_codes("E09000001"), MONTHS[:3])
    assert observed(p) == want
    assert run.rows_in_area == sum(sum(csv_count([x], ons_district_codes("E09000001")).values()) for x in paths)
    assert run.rows_outside_area == 0


# ---------------------------------------------------------------- 2. area defined after the import


def test_an_area_defined_after_the_import_is_counted_from_the_data_held(db, tmp_path):
    plymouth = ons_lsoas(lad="E06000026")
    paths = [write_file(tmp_path, m, "Devon & Cornwall Police", plymouth, 300) for m in MONTHS[:2]]
    policeuk_import(paths=paths, partnership=None, now=NOW)
    chosen = [c for c, _ in plymouth[:20]]
    p = standard_partnership(slug="later", name="Defined later", lsoa_codes=chosen)
    assert observed(p) == expected(paths, set(chosen), MONTHS[:2])
    assert police_months_held(p) == set(MONTHS[:2])
    again = policeuk_import(paths=paths, partnership=p, now=NOW)  # nothing to reload ...
    assert {f.outcome for f in again.imported_files.all()} == {"unchanged"}
    assert again.rows_in_area == sum(expected(paths, set(chosen), MONTHS[:2]).values()) + sum(
        csv_count(paths, set(chosen))[(m, "anti-social-behaviour")] for m in MONTHS[:2]
    )  # ... and the summary is true


# ---------------------------------------------------------------- 3. reorganised districts


@pytest.fixture
def bcp_files(tmp_path):
    """Dorset Police files naming BCP's LSOAs as police.uk does, after the 2011 districts
    ("Bournemouth 001A", "Poole 002B", "Christchurch 003C")."""
    lsoas = ons_lsoas(lad="E06000058")
    assert {n.rsplit(" ", 1)[0] for _, n in lsoas} == {"Bournemouth", "Poole", "Christchurch"}
    return [write_file(tmp_path, m, "Dorset Police", lsoas, 900) for m in MONTHS[:3]], lsoas


@pytest.mark.parametrize("given", ["Bournemouth, Christchurch and Poole", "E06000058"])
def test_a_reorganised_district_under_its_current_name_or_code_gets_its_rows(db, bcp_files, given):
    paths, lsoas = bcp_files
    p = standard_partnership(slug="bcp", name="BCP", local_authorities=[given])
    run = policeuk_import(paths=paths, partnership=p, now=NOW)
    want = expected(paths, ons_district_codes("E06000058"), MONTHS[:3])
    assert observed(p) == want and sum(want.values()) > 1000
    assert run.rows_outside_area == 0


def test_a_former_district_by_its_old_name_gets_only_its_own_rows(db, bcp_files):
    paths, lsoas = bcp_files
    policeuk_import(paths=paths, partnership=None, now=NOW)
    p = standard_partnership(slug="bournemouth", name="Bournemouth", local_authorities=["Bournemouth"])
    bournemouth = {c for c, n in lsoas if n.startswith("Bournemouth ")}
    assert observed(p) == expected(paths, bournemouth, MONTHS[:3])


def test_north_northamptonshire_and_kettering(db, tmp_path):
    lsoas = ons_lsoas(lad="E06000061")
    assert any(n.startswith("Kettering 003") for _, n in lsoas)
    paths = [write_file(tmp_path, "2019-04", "Northamptonshire Police", lsoas, 800)]
    nn = standard_partnership(slug="nn", name="North Northamptonshire", local_authorities=["North Northamptonshire"])
    kettering = standard_partnership(slug="kettering", name="Kettering", local_authorities=["Kettering"])
    run = policeuk_import(paths=paths, partnership=nn, now=NOW)
    assert run.rows_in_area == 800 and run.rows_outside_area == 0
    assert observed(nn) == expected(paths, {c for c, _ in lsoas}, ["2019-04"])
    assert observed(kettering) == expected(paths, {c for c, n in lsoas if n.startswith("Kettering ")}, ["2019-04"])


# ---------------------------------------------------------------- 4. a neighbouring force's stray rows


def test_a_neighbouring_forces_stray_rows_are_counted_but_never_blank_a_month(db, tmp_path):
    newcastle = ons_lsoas(lad="E08000021")
    northumbria = [write_file(tmp_path, m, "Northumbria Police", newcastle, 400) for m in MONTHS]
    durham_area = ons_lsoas(lad="E06000047")  # County Durham; a few rows fall in Newcastle
    durham = [
        write_file(tmp_path, m, "Durham Constabulary", durham_area[:50] + newcastle[:1], 102) for m in MONTHS[4:7]
    ]
    p = standard_partnership(slug="newcastle", name="Newcastle", local_authorities=["Newcastle upon Tyne"])
    policeuk_import(paths=northumbria + durham, partnership=p, now=NOW)
    assert police_months_held(p) == set(MONTHS)
    want = expected(northumbria + durham, ons_district_codes("E08000021"))
    assert observed(p) == want
    assert (
        want["2019-05"]
        == expected(northumbria, ons_district_codes("E08000021"))["2019-05"]
        + expected(durham, ons_district_codes("E08000021"))["2019-05"]
        > want["2019-05"] - 3
    )
    report = build_performance_report(p, Month(2019, 12))
    data = report_json(report)
    asb = data["indicators"][0]
    assert asb["missing_periods"] == [] and asb["ytd"]["to_period"] == "2019-12"
    by_month = {m["month"]: m for m in data["police_forces_by_month"]}
    may = {f["force"]: f for f in by_month["2019-05"]["forces"]}
    assert may["Northumbria Police"]["polices_area"] and may["Northumbria Police"]["rows_in_area"] > 0
    assert not may["Durham Constabulary"]["polices_area"] and may["Durham Constabulary"]["rows_in_area"] == 2
    assert "Durham Constabulary" not in {f["force"] for f in by_month["2019-04"]["forces"]}
    assert by_month["2019-04"]["held"] and by_month["2019-04"]["policing_forces_missing"] == []
    from saferhub.rendering.html_report import render_html

    html = render_html(report, {}, standalone=False)
    assert "police.uk months (held when the files of the forces that police the area are held)" in html
    assert "2019-05 held (also Durham Constabulary, 2 rows)" in html


def test_a_month_without_the_policing_forces_file_is_missing_and_a_usual_force_without_rows_is_flagged(db, tmp_path):
    newcastle = ons_lsoas(lad="E08000021")
    northumbria = [write_file(tmp_path, m, "Northumbria Police", newcastle, 200) for m in MONTHS if m != "2019-06"]
    # Durham usually has rows in Newcastle; in 2019-08 its file holds none there.
    durham = [
        write_file(
            tmp_path, m, "Durham Constabulary", newcastle[:2] if m != "2019-08" else ons_lsoas(lad="E06000047")[:5], 10
        )
        for m in MONTHS
    ]
    p = standard_partnership(slug="newcastle", name="Newcastle", local_authorities=["E08000021"])
    policeuk_import(paths=northumbria + durham, partnership=p, now=NOW)
    assert police_months_held(p) == set(MONTHS) - {"2019-06"}
    by_month = {
        m["month"]: m for m in report_json(build_performance_report(p, Month(2020, 3)))["police_forces_by_month"]
    }
    assert by_month["2019-06"]["held"] is False and by_month["2019-06"]["policing_forces_missing"] == [
        "Northumbria Police"
    ]
    assert by_month["2019-08"]["forces_without_rows"] == ["Durham Constabulary"]
    assert by_month["2019-07"]["forces_without_rows"] == []


# ---------------------------------------------------------------- status


def test_a_missing_first_month_with_later_months_held_is_not_assessed(db, tmp_path):
    plymouth = ons_lsoas(lad="E06000026")
    paths = [write_file(tmp_path, m, "Devon & Cornwall Police", plymouth, 100) for m in ("2019-05", "2019-06")]
    p = standard_partnership(slug="plymouth", name="Plymouth", local_authorities=["Plymouth"])
    policeuk_import(paths=paths, partnership=p, now=NOW)
    asb = report_json(build_performance_report(p, Month(2019, 6)))["indicators"][0]
    assert asb["missing_periods"] == ["2019-04"] and asb["ytd"]["to_period"] is None
    assert asb["status"] == "not_assessed"
    empty = standard_partnership(
        slug="elsewhere", name="Elsewhere", local_authorities=["Newcastle upon Tyne"]
    )  # no Northumbria file
    assert report_json(build_performance_report(empty, Month(2019, 6)))["indicators"][0]["status"] == "no_data"


# ---------------------------------------------------------------- as at a date


def test_a_report_as_at_a_date_counts_only_the_police_files_imported_by_then(db, tmp_path):
    """A board paper of a date shows police.uk months, and names the imports, as held on that date."""
    import datetime

    from django.utils import timezone

    plymouth = ons_lsoas(lad="E06000026")
    p = standard_partnership(slug="plym", name="Plymouth", local_authorities=["Plymouth"])
    first = [write_file(tmp_path, m, "Devon & Cornwall Police", plymouth, 200) for m in MONTHS[3:5]]
    policeuk_import(paths=first, partnership=p, now=timezone.make_aware(datetime.datetime(2019, 6, 20, 9)))
    second = [write_file(tmp_path, MONTHS[5], "Devon & Cornwall Police", plymouth, 200)]
    policeuk_import(paths=second, partnership=p, now=timezone.make_aware(datetime.datetime(2019, 7, 20, 9)))

    def counted(as_at):
        report = build_performance_report(p, Month.parse("2019-06"), as_at=as_at)
        ind = report.indicator("all-crime")
        return (
            ind.ytd.value,
            [s.imported_at.date() for s in report.sources],
            {d.received for d in report.datasets if d.source == "policeuk"},
        )

    want = expected(first + second, ons_district_codes("E06000026"), MONTHS[3:6])
    value, runs, received = counted(datetime.date(2019, 7, 1))
    # June's file had not been imported: the year to date runs to May.
    assert value == want["2019-04"] + want["2019-05"]
    assert runs == [datetime.date(2019, 6, 20)] and received == {datetime.date(2019, 6, 20)}
    value, runs, received = counted(datetime.date(2019, 7, 31))
    assert value == sum(want.values())
    assert runs == [datetime.date(2019, 7, 20), datetime.date(2019, 6, 20)] and received == {datetime.date(2019, 7, 20)}
