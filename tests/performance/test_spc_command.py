"""`saferhub spc` and `saferhub compare-counts` as a user runs them: no migrated database needed."""

import json
import os
import subprocess
import sys

import pytest


def saferhub(home, *args, stdin=""):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"SAFERHUB_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "saferhub", *args], input=stdin, env=env, capture_output=True, text=True, timeout=120
    )


ALTERNATING = [10, 12] * 6


def test_spc_reads_one_value_a_line(tmp_path):
    values = ALTERNATING + ALTERNATING[:-1] + [25]
    result = saferhub(
        tmp_path, "spc", "--polarity", "lower_is_better", "--target", "20", stdin="\n".join(map(str, values)) + "\n"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"segments", "points", "variation_icon", "assurance"}
    (segment,) = data["segments"]
    # mean 11.5417 (277/24), mrbar 2 (the 13 is screened out): upl 16.8617
    assert (segment["start"], segment["end"]) == (0, 23)
    assert segment["mean"] == pytest.approx(277 / 24) and segment["upl"] == pytest.approx(277 / 24 + 5.32)
    assert [p["i"] for p in data["points"] if p["special_cause"]] == [23]
    assert data["points"][23] == {
        "i": 23,
        "value": 25.0,
        "special_cause": True,
        "rules": ["outside_limits"],
        "point_type": "special_cause_concern",
    }
    assert data["variation_icon"] == "concern_high"
    assert data["assurance"] == "consistent_pass"


def test_spc_reads_period_value_csv_with_a_header_baseline_and_rebase(tmp_path):
    rows = [f"2019-{m:02d},{v}" for m, v in enumerate(ALTERNATING, start=1)]
    rows += [f"2020-{m:02d},{v}" for m, v in enumerate([30, 32] * 6, start=1)]
    result = saferhub(
        tmp_path,
        "spc",
        "--polarity",
        "higher_is_better",
        "--baseline",
        "12",
        "--rebase-at",
        "12",
        stdin="month,value\r\n" + "\r\n".join(rows) + "\r\n",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(s["start"], s["end"], s["mean"]) for s in data["segments"]] == [(0, 11, 11.0), (12, 23, 31.0)]
    assert data["assurance"] is None and data["variation_icon"] == "common_cause"


def test_spc_neutral_without_target_gives_null_assurance(tmp_path):
    result = saferhub(tmp_path, "spc", "--polarity", "neutral", stdin="5\n5\n5\n")
    data = json.loads(result.stdout)
    assert data["assurance"] is None
    assert data["segments"][0]["lpl"] == data["segments"][0]["upl"] == 5.0


@pytest.mark.parametrize(
    "stdin, message",
    [
        ("1\n2\nabc\n", "line 3: 'abc' is not a number"),
        ("value\n1\n\n2019-03,x\n", "line 4: 'x' is not a number"),
        ("1\n2,3,4\n", "line 2: expected 'value' or 'period,value'"),
        ("1\nnan\n", "line 2: 'nan' is not a finite number"),
        ("", "no values"),
    ],
)
def test_spc_bad_input_names_the_line(tmp_path, stdin, message):
    result = saferhub(tmp_path, "spc", "--polarity", "neutral", stdin=stdin)
    assert result.returncode != 0
    assert message in result.stderr


def test_spc_bad_baseline(tmp_path):
    result = saferhub(tmp_path, "spc", "--polarity", "neutral", "--baseline", "3", stdin="1\n2\n3\n")
    assert result.returncode != 0 and "at least 12" in result.stderr


def test_compare_counts(tmp_path):
    # R: poisson.test(c(11, 21), c(800, 3011)): p-value = 0.07967, 95% CI 0.8584264 4.2772659
    result = saferhub(
        tmp_path,
        "compare-counts",
        "--previous",
        "21",
        "--current",
        "11",
        "--exposure-previous",
        "3011",
        "--exposure-current",
        "800",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert round(data["p_value"], 5) == 0.07967
    assert [round(x, 7) for x in data["ci95"]] == [0.8584264, 4.2772659]
    assert round(data["rate_ratio"], 6) == 1.971488
    assert "poisson.test" in data["method"]


def test_compare_counts_rejects_negative_counts(tmp_path):
    result = saferhub(tmp_path, "compare-counts", "--previous", "-1", "--current", "3")
    assert result.returncode != 0 and "previous must be a whole number" in result.stderr
