"""The seed: Safer Plymouth's performance report of January 2017 (Agenda Item 8), rebuilt from
the demo figures. Each class of error the hand-made report contains is shown impossible here."""

import re

import pytest

from saferhub.demo import load_demo
from saferhub.domain.calendar import Month
from saferhub.performance.report import build_performance_report
from saferhub.rendering.report_json import report_json

from ..conftest import SEED_REPORT
from .conftest import NOW


@pytest.fixture
def report(db):
    partnership = load_demo(now=NOW)
    data = report_json(build_performance_report(partnership, Month(2016, 11)))
    return {i["code"]: i for i in data["indicators"]} | {"_report": data}


def seed_rows(title_start: str) -> dict[str, list[int]]:
    """The numeric rows of one seed table, by their label, parsed from the seed text."""
    text = SEED_REPORT.read_text(encoding="utf-8")
    start = text.index(title_start)
    block = text[start : text.index("Comments", start)]
    rows = {}
    for line in block.splitlines():
        cells = line.split("\t")
        numbers = [c.strip().rstrip("%") for c in cells[1:] if c.strip()]
        if numbers and all(re.fullmatch(r"-?\d+", n) for n in numbers):
            rows[cells[0].strip()] = [int(n) for n in numbers]
    return rows


EXPECTED_YTD = {
    # code: (to_period, value, previous, change, change_pct)
    "overall-crime": ("2016-11", 12586, 12016, 570, 4.7),
    "serious-acquisitive-crime": ("2016-11", 1149, 1223, -74, -6.1),
    "violence-with-injury-excl-da": ("2016-11", 1375, 1280, 95, 7.4),
    "domestic-abuse": ("2016-11", 3230, 4329, -1099, -25.4),
    "domestic-abuse-referrals": ("2016-Q2", 1044, 1081, -37, -3.4),
    "anti-social-behaviour": ("2016-11", 7170, 6803, 367, 5.4),
    "ist-incidents": ("2016-10", 361, None, None, None),
    "ist-satisfaction": ("2016-09", None, None, None, None),
    "hate-crime": ("2016-11", 287, 219, 68, 31.1),
}


@pytest.mark.parametrize("code", sorted(EXPECTED_YTD))
def test_year_to_date_for_november_2016(report, code):
    ytd = report[code]["ytd"]
    assert (ytd["to_period"], ytd["value"], ytd["previous"], ytd["change"], ytd["change_pct"]) == EXPECTED_YTD[code]


def test_report_json_shape(report):
    data = report["_report"]
    assert (data["partnership"], data["period"], data["financial_year"]) == ("safer-plymouth", "2016-11", "2016/17")
    asb = report["anti-social-behaviour"]
    assert asb["periods"][0] == {
        "period": "2016-04",
        "value": 853,
        "previous": 864,
        "change": -11,
        "cumulative": 853,
        "previous_cumulative": 864,
        "target": None,
        "target_cumulative": None,
        "gap": None,
        "due": True,
    }
    assert asb["ytd"] | {} == asb["ytd"] and asb["ytd"]["value"] == 7170
    assert report["domestic-abuse-referrals"]["periods"][1]["period"] == "2016-Q2"


def test_seed_figures_were_transcribed_faithfully(report):
    """The demo's monthly figures are the seed's, read back from the seed text itself."""
    cases = {
        "anti-social-behaviour": ("Reduce rate of Anti-social Behaviour", "Monthly 2016-17", "Monthly 2015/16"),
        "serious-acquisitive-crime": ("Reduce Serious Acquisitive Crime\n", "Monthly 2016-17", "Monthly 2015/16"),
        "violence-with-injury-excl-da": ("Reduce Violence with Injury", "Monthly 2016-17", "Monthly 2015/16"),
        "domestic-abuse": ("Increase reporting of Domestic Violence", "Monthly 2016-17", "Monthly 2015/16"),
        "hate-crime": ("Police Recorded Hate Crime", "Monthly 2016-17", "Monthly 2015/16"),
        "overall-crime": ("Overall Crime", "Actual Crime 16/17 (Cum)", "Actual Crime (2015/16)"),
        "domestic-abuse-referrals": ("Increase referrals to Domestic Abuse", "Monthly 2016-17", "Monthly 2015/16"),
    }
    for code, (title, this_label, last_label) in cases.items():
        rows = seed_rows(title)
        ours = report[code]["periods"]
        assert [p["value"] for p in ours if p["value"] is not None] == rows[this_label], code
        assert [p["previous"] for p in ours] == rows[last_label], code


def test_sign_error_is_impossible(report):
    """The seed's SAC and violence tables show last year minus this year; the others the reverse."""
    seed_change = seed_rows("Reduce Serious Acquisitive Crime\n")["Change in actual crime recorded"]
    ours = [p["change"] for p in report["serious-acquisitive-crime"]["periods"][:8]]
    assert seed_change == [-c for c in ours]  # the seed's sign is flipped
    for code, ind in report.items():
        if code.startswith("_"):
            continue
        for p in ind["periods"]:
            if p["change"] is not None:
                assert p["change"] == pytest.approx(p["value"] - p["previous"]), (code, p)


def test_cumulation_error_is_impossible(report):
    """The seed's overall crime row "Actual Crime 16/17 (Cum)" holds monthly figures, not a cumulative."""
    seed_cum = seed_rows("Overall Crime")["Actual Crime 16/17 (Cum)"]
    ours = report["overall-crime"]["periods"]
    assert seed_cum == [p["value"] for p in ours[:8]]
    assert seed_cum != [p["cumulative"] for p in ours[:8]]
    for code, ind in report.items():
        if code.startswith("_") or ind["unit"] != "count":
            continue
        running = 0
        for p in ind["periods"]:
            if p["cumulative"] is None:
                break
            running += p["value"]
            assert p["cumulative"] == running, code


def test_leftover_values_are_impossible(report):
    """The seed's violence table carries last year's Dec-Mar figures into this year's change row."""
    seed_change = seed_rows("Reduce Violence with Injury")["Change in actual crime recorded"]
    assert seed_change[8:] == [146, 119, 131, 170]
    for code, ind in report.items():
        if code.startswith("_"):
            continue
        for p in ind["periods"]:
            if not p["due"]:
                assert p["value"] is None and p["change"] is None and p["cumulative"] is None, (code, p)


def test_wording_error_is_impossible(report):
    """The seed calls a rise of 367 ASB incidents "a 5% reduction"."""
    seed_text = SEED_REPORT.read_text(encoding="utf-8")
    assert (
        "this is 367 incidents higher than the same period during 2015/16, this equates to a 5% reduction" in seed_text
    )
    ours = report["anti-social-behaviour"]["commentary"]
    assert "367 more than in the same period of 2015/16, an increase of 5%" in ours
    assert "reduction" not in ours


def test_missing_month_is_reported_not_zero(report):
    ist = report["ist-incidents"]
    assert ist["missing_periods"] == ["2016-11"]
    nov = ist["periods"][7]
    assert nov["value"] is None and nov["cumulative"] is None and nov["target_cumulative"] == 428
    assert "No figure has been received for November 2016" in ist["commentary"]
    assert ist["ytd"]["target"] == 375 and ist["ytd"]["gap"] == -14 and ist["status"] == "off_target"


def test_satisfaction_percentages_are_shown_but_not_pooled(report):
    sat = report["ist-satisfaction"]
    assert [p["value"] for p in sat["periods"][:6]] == [100, 89, 89, 86, 75, 90]
    assert all(p["cumulative"] is None for p in sat["periods"])
    assert sat["cumulative_pooled"] is False and sat["status"] == "not_assessed"
    assert "cannot be pooled" in sat["data_notes"][0]
    assert sat["missing_periods"] == ["2016-10", "2016-11"]


def test_statuses_follow_polarity(report):
    assert report["anti-social-behaviour"]["status"] == "worsening"
    assert report["hate-crime"]["status"] == "improving"  # under-reported: higher is better
    assert report["serious-acquisitive-crime"]["status"] == "monitor_only"
    assert report["domestic-abuse"]["status"] == "worsening"  # the aim is more reporting


def test_sources_name_the_import_run(report):
    (source,) = report["_report"]["sources"]
    assert source["kind"] == "indicators" and source["file_list"][0]["name"].endswith("figures.csv")
    assert len(source["file_list"][0]["checksum"]) == 64


def test_demo_loads_idempotently(db):
    from .conftest import data_snapshot

    load_demo(now=NOW)
    before = data_snapshot()
    load_demo(now=NOW)
    assert data_snapshot() == before


def test_analyst_comments_sit_beside_the_generated_commentary(report):
    assert report["ist-incidents"]["analyst_comment"].startswith("Post Brexit spike")
    assert report["overall-crime"]["analyst_comment"] is None


def test_monthly_indicators_carry_spc_and_counts_carry_significance(report):
    asb = report["anti-social-behaviour"]
    assert len(asb["spc"]["points"]) == 20  # April 2015 to November 2016
    assert asb["spc"]["points"][0]["period"] == "2015-04" and asb["spc"]["points"][-1]["period"] == "2016-11"
    assert asb["spc"]["variation_icon"] in {"common_cause", "improvement_low", "concern_high"}
    sig = asb["significance"]
    assert sig["current"] == 7170 and sig["previous"] == 6803 and sig["method"].startswith("Exact conditional")
    assert (
        sig["words"] in asb["commentary"] or sig["words"].replace("a significant", "a significant") in asb["commentary"]
    )
    assert report["domestic-abuse-referrals"]["spc"] is None  # quarterly
    assert report["ist-incidents"]["significance"] is None  # no last year to test against
