"""Partnerships' areas made of official geography: CSPs, districts (current or former) and
LSOAs of either vintage, each LSOA once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saferhub.audit.models import AuditEvent
from saferhub.domain.geography import geography
from saferhub.partnerships.models import Partnership, PartnershipLsoa
from saferhub.partnerships.services import (
    PartnershipError,
    partnership_area_set,
    partnership_create,
    partnership_create_all,
)
from saferhub.performance.models import Indicator
from saferhub.performance.services import policeuk_import, standard_indicators_add

from ..conftest import DEVON_AND_CORNWALL, standard_partnership
from ..performance.areas import ons_district_codes, ons_lsoas, write_file
from ..performance.conftest import NOW
from ..performance.test_selectors_areas import expected, observed


def lsoas_of(p: Partnership) -> set[str]:
    return set(PartnershipLsoa.objects.filter(partnership=p).values_list("lsoa", flat=True))


def test_a_csp_by_code_or_name_has_exactly_that_csps_area(db):
    by_code = partnership_create(slug="a", name="A", csps=["E22000056"])
    by_name = partnership_create(slug="b", name="B", csps=["plymouth"])
    assert lsoas_of(by_code) == lsoas_of(by_name) == ons_district_codes("E06000026")
    assert by_code.police_force_areas == ["E23000035"]


def test_the_command_creates_a_csp_by_its_code_alone(db):
    out = io.StringIO()
    call_command("partnership", "create", "--csp", "E22000056", stdout=out)
    p = Partnership.objects.get()
    assert (p.slug, p.name) == ("plymouth", "Plymouth") and p.indicators.count() == 16
    assert "Created Plymouth (plymouth)" in out.getvalue()


def test_the_old_options_still_work(db):
    call_command(
        "partnership",
        "create",
        "--slug",
        "plymouth",
        "--name",
        "Safer Plymouth",
        "--local-authority",
        "Plymouth",
        stdout=io.StringIO(),
    )
    assert lsoas_of(Partnership.objects.get(slug="plymouth")) == ons_district_codes("E06000026")


def test_an_unknown_district_is_refused_by_name(db):
    with pytest.raises(CommandError, match="'Testham' is not a local authority district"):
        call_command("partnership", "create", "--slug", "t", "--name", "T", "--local-authority", "Testham")
    with pytest.raises(CommandError, match="E01999999 is not a 2011 or 2021 LSOA"):
        call_command("partnership", "create", "--slug", "t", "--name", "T", "--lsoa", "E01999999")
    assert not Partnership.objects.exists()


def test_create_all_makes_every_csp_once_and_their_areas_partition_the_country(db):
    assert partnership_create_all(now=NOW) == (314, 0)
    assert Partnership.objects.count() == 314
    standard_indicators_add(Partnership.objects.all())
    assert Indicator.objects.count() == 314 * 16
    codes = list(PartnershipLsoa.objects.values_list("lsoa", flat=True))
    assert len(codes) == len(set(codes)) == len(geography().lsoa_lad16)  # every LSOA code in exactly one CSP
    welsh = Partnership.objects.get(name="Cardiff")
    assert welsh.police_force_areas == ["W15000003"]
    assert partnership_create_all(now=NOW) == (0, 314)


def test_a_csp_spanning_two_districts_counts_both_from_real_files(db):
    p = standard_partnership(slug="eamd", name="East and Mid Devon", csps=["E22000362"])
    policeuk_import(paths=[DEVON_AND_CORNWALL], partnership=p, now=NOW)
    codes = ons_district_codes("E07000040") | ons_district_codes("E07000042")
    assert lsoas_of(p) == codes
    want = expected([DEVON_AND_CORNWALL], codes)
    assert observed(p) == want and min(want.values()) > 100


def test_a_district_split_between_csps_is_split_along_its_former_districts(db, tmp_path):
    bcp = ons_lsoas(lad="E06000058")
    paths = [write_file(tmp_path, "2019-01", "Dorset Police", bcp, 1500)]
    policeuk_import(paths=paths, partnership=None, now=NOW)
    whole = standard_partnership(slug="bcp", name="BCP", local_authorities=["E06000058"])
    parts = [
        standard_partnership(slug=s, name=s, csps=[c])
        for s, c in (("bournemouth", "E22000063"), ("poole", "E22000067"), ("dorset", "E22000367"))
    ]
    bournemouth, poole, dorset = (lsoas_of(p) for p in parts)
    assert bournemouth == {c for c, n in bcp if n.startswith("Bournemouth ")} | (lsoas_of(whole) & bournemouth)
    assert not (bournemouth & poole) and not (bournemouth & dorset) and not (poole & dorset)
    assert lsoas_of(whole) <= bournemouth | poole | dorset
    christchurch = {c for c, n in bcp if n.startswith("Christchurch ")}
    assert christchurch <= dorset
    total = sum(observed(p)["2019-01"] for p in parts)
    assert (
        total == observed(whole)["2019-01"] == expected(paths, ons_district_codes("E06000058"), ["2019-01"])["2019-01"]
    )


def test_a_mixed_vintage_file_counts_2011_and_2021_codes_by_the_change_lookup(db, tmp_path):
    # Plymouth 031A (E01015135) was split into Plymouth 031G and 031H (E01034157, E01034158) in 2021.
    lsoas = [
        ("E01015135", "Plymouth 031A"),
        ("E01034157", "Plymouth 031G"),
        ("E01034158", "Plymouth 031H"),
        ("E01015025", "Plymouth 001A"),
    ]
    paths = [write_file(tmp_path, "2019-01", "Devon & Cornwall Police", lsoas, 400)]
    district = standard_partnership(slug="plymouth", name="Plymouth", local_authorities=["Plymouth"])
    policeuk_import(paths=paths, partnership=district, now=NOW)
    parent = standard_partnership(slug="parent", name="Parent", lsoa_codes=["E01015135"])
    child = standard_partnership(slug="child", name="One piece", lsoa_codes=["E01034157"])
    both = standard_partnership(slug="both", name="Both pieces", lsoa_codes=["E01034157", "E01034158"])
    assert observed(district) == expected(paths, {c for c, _ in lsoas}, ["2019-01"])
    # The 2011 code covers its 2021 pieces; one piece cannot take its parent's rows, both can.
    assert lsoas_of(parent) == lsoas_of(both) == {"E01015135", "E01034157", "E01034158"}
    assert lsoas_of(child) == {"E01034157"}
    assert observed(parent) == observed(both) == expected(paths, {"E01015135", "E01034157", "E01034158"}, ["2019-01"])
    assert observed(child) == expected(paths, {"E01034157"}, ["2019-01"])


def test_changing_an_area_recounts_from_the_data_held_and_is_audited(db, tmp_path):
    plymouth = ons_lsoas(lad="E06000026")
    paths = [write_file(tmp_path, "2019-02", "Devon & Cornwall Police", plymouth, 500)]
    policeuk_import(paths=paths, partnership=None, now=NOW)
    p = standard_partnership(slug="p", name="P", lsoa_codes=[c for c, _ in plymouth[:10]])
    before = observed(p)
    partnership_area_set(partnership=p, local_authorities=["Plymouth"], actor=None, now=NOW)
    assert observed(p) == expected(paths, ons_district_codes("E06000026"), ["2019-02"]) != before
    event = AuditEvent.objects.filter(action="update", object_type="partnerships.partnership").get()
    assert event.before == {"area": {"lsoa": [c for c, _ in plymouth[:10]]}}
    assert event.after == {"area": {"local_authority": ["E06000026"]}}
    with pytest.raises(PartnershipError):
        partnership_area_set(partnership=p, local_authorities=["Nowhere at all"], now=NOW)


def test_the_area_command_changes_an_area(db):
    call_command("partnership", "create", "--csp", "Plymouth", stdout=io.StringIO())
    out = io.StringIO()
    call_command("partnership", "area", "--partnership", "plymouth", "--local-authority", "Torbay", stdout=out)
    assert lsoas_of(Partnership.objects.get()) == ons_district_codes("E06000027")


def test_an_unknown_lsoa_code_is_refused_naming_the_option_and_field_and_writes_nothing(db):
    from saferhub.domain.problems import InputError

    with pytest.raises(InputError) as refused:
        partnership_create(slug="p", name="P", lsoa_codes=["E01015135", "E01999999"])
    (problem,) = refused.value.problems
    assert (problem.file, problem.line, problem.field) == ("--lsoa", None, "LSOA code")
    assert "E01999999 is not a 2011 or 2021 LSOA" in problem.message
    assert not Partnership.objects.exists() and not AuditEvent.objects.exists()


def test_an_lsoa_code_is_taken_in_either_case_and_counted_once(db):
    p = partnership_create(slug="p", name="P", lsoa_codes=["e01015135", "E01015135", " "])
    assert lsoas_of(p) >= {"E01015135"}
    assert [(a.kind, a.value) for a in p.areas.all()] == [("lsoa", "E01015135")]
    assert not p.indicators.exists()  # its indicators are performance's to give
