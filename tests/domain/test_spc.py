"""XmR charts against the rules of NHSRplotthedots (R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
R/ptd_calculate_assurance_type.R, R/geom_ptd_icon.R). The expected values are worked out by hand
from those rules; the comments show the working."""

import json

import pytest

from saferhub.domain.spc import xmr

ALTERNATING = [10.0, 12.0] * 6  # mean 11, every moving range 2: lpl 5.68, upl 16.32, 2-sigma 7.4533/14.5467


def flagged(result, rule=None):
    return [p.i for p in result.points if (p.rules if rule is None else rule in p.rules)]


def types(result):
    return [p.point_type for p in result.points]


def test_limits_and_two_sigma_lines():
    r = xmr([10, 12, 11, 13, 12, 14], polarity="higher_is_better")
    (seg,) = r.segments
    # mean 72/6 = 12; moving ranges 2,1,2,1,2 -> mrbar 1.6 (none >= 3.267 * 1.6)
    assert (seg.start, seg.end, seg.mean, seg.mrbar) == (0, 5, 12.0, pytest.approx(1.6))
    assert seg.lpl == pytest.approx(12 - 2.66 * 1.6) and seg.upl == pytest.approx(12 + 2.66 * 1.6)
    assert seg.lower_2sigma == pytest.approx(12 - 2 * 2.66 / 3 * 1.6)
    assert seg.upper_2sigma == pytest.approx(14.837333333333333)
    assert flagged(r) == [] and r.variation_icon == "common_cause" and r.assurance is None


def test_matches_the_reference_snapshot():
    # tests/testthat/_snaps/ptd_spc_standard.md in NHSRplotthedots: y = set.seed(123); rnorm(20),
    # printed mean 0.142, lpl -3.01, upl 3.29, no special cause.
    y = [
        -0.56047565,
        -0.23017749,
        1.55870831,
        0.07050839,
        0.12928774,
        1.71506499,
        0.46091621,
        -1.26506123,
        -0.68685285,
        -0.44566197,
        1.22408180,
        0.35981383,
        0.40077145,
        0.11068272,
        -0.55584113,
        1.78691314,
        0.49785048,
        -1.96661716,
        0.70135590,
        -0.47279141,
    ]
    r = xmr(y, polarity="higher_is_better")
    (seg,) = r.segments
    assert (round(seg.mean, 3), round(seg.lpl, 2), round(seg.upl, 2)) == (0.142, -3.01, 3.29)
    assert flagged(r) == []


def test_moving_ranges_of_3267_times_the_mean_are_screened_out():
    values = [10, 12, 10, 12, 10, 12, 10, 30, 10, 12, 10, 12]
    r = xmr(values, polarity="lower_is_better")
    (seg,) = r.segments
    # ranges: nine of 2 and two of 20, mean 58/11 = 5.27; 20 >= 3.267 * 5.27 = 17.2 so both go;
    # mrbar = 18/9 = 2. mean = 150/12 = 12.5
    assert seg.mean == 12.5 and seg.mrbar == 2.0
    assert seg.upl == pytest.approx(12.5 + 5.32)
    assert r.points[7].rules == ("outside_limits",) and r.points[7].point_type == "special_cause_concern"
    # the 30 pulls the mean to 12.5, so the first seven points (10 and 12) are all below it
    assert flagged(r) == list(range(8))
    assert all(r.points[i].rules == ("shift",) for i in range(7))
    assert set(types(r)[:7]) == {"special_cause_improvement"}


def test_a_single_astronomical_point():
    values = ALTERNATING + [25.0] + ALTERNATING  # mean 11.56, mrbar 2 (the two 13s are screened out)
    for polarity, expected in [
        ("lower_is_better", "special_cause_concern"),
        ("higher_is_better", "special_cause_improvement"),
        ("neutral", "special_cause_neutral_high"),
    ]:
        r = xmr(values, polarity=polarity)
        assert flagged(r) == [12]
        assert r.points[12].rules == ("outside_limits",) and r.points[12].point_type == expected
        assert r.variation_icon == "common_cause"  # the icon is the last point's


@pytest.mark.parametrize(
    "polarity, icon",
    [
        ("lower_is_better", "concern_high"),
        ("higher_is_better", "improvement_high"),
        ("neutral", "neutral_high"),
        ("monitor_only", "neutral_high"),
    ],
)
def test_variation_icon_is_the_last_points_type(polarity, icon):
    assert xmr(ALTERNATING + ALTERNATING[:-1] + [25.0], polarity=polarity).variation_icon == icon


@pytest.mark.parametrize(
    "polarity, icon",
    [("lower_is_better", "improvement_low"), ("higher_is_better", "concern_low"), ("neutral", "neutral_low")],
)
def test_variation_icon_low(polarity, icon):
    assert xmr(ALTERNATING + ALTERNATING[:-1] + [-3.0], polarity=polarity).variation_icon == icon


def test_seven_points_on_one_side_is_a_shift_six_is_not():
    seven = [14, 8] * 4 + [12] * 7 + [8, 14] * 2  # mean 216/19 = 11.37: the 12s are above
    r = xmr(seven, polarity="higher_is_better")
    assert flagged(r) == list(range(8, 15))
    assert all(r.points[i].rules == ("shift",) for i in range(8, 15))
    assert set(types(r)[8:15]) == {"special_cause_improvement"}
    six = [14, 8] * 4 + [12] * 6 + [8, 14] * 2  # mean 204/18 = 11.33: six 12s above
    assert flagged(xmr(six, polarity="higher_is_better")) == []


def test_a_point_on_the_mean_breaks_a_run():
    # mean exactly 210/21 = 10; index 11 is on the mean, leaving runs of 3 and 3 above and 6 below
    values = [13, 7] * 4 + [11, 11, 11, 10, 11, 11, 11] + [9] * 6
    r = xmr(values, polarity="lower_is_better")
    assert r.segments[0].mean == 10.0
    assert flagged(r) == []
    # the same run without the point on the mean: seven above (mean 230/23 = 10), six below
    values = [13, 7] * 4 + [11] * 7 + [9] * 5 + [8]
    r = xmr(values, polarity="lower_is_better")
    assert r.segments[0].mean == 10.0
    assert flagged(r) == list(range(8, 15)) and set(types(r)[8:15]) == {"special_cause_concern"}


def test_seven_rising_points_are_a_trend_even_across_the_mean():
    values = [11, 9, 11, 9] + [8, 9, 10, 11, 12, 13, 14] + [11, 9, 11, 9]  # mean 10.47
    r = xmr(values, polarity="higher_is_better")
    assert flagged(r) == list(range(4, 11))
    assert all(r.points[i].rules == ("trend",) for i in range(4, 11))
    # 8, 9 and 10 are below the mean, but a trend takes the trend's direction
    assert set(types(r)[4:11]) == {"special_cause_improvement"}


def test_an_equal_value_breaks_a_trend_and_six_points_are_not_one():
    broken = [11, 9, 11, 9] + [8, 9, 10, 10, 11, 12, 13] + [11, 9, 11, 9]
    assert flagged(xmr(broken, polarity="higher_is_better"), "trend") == []
    six = [11, 9, 11, 9] + [8, 9, 10, 11, 12, 13] + [11, 9, 11, 9]
    assert flagged(xmr(six, polarity="higher_is_better"), "trend") == []


def test_falling_trend_to_the_last_point():
    values = [11, 9, 11, 9, 11, 9] + [14, 13, 12, 11, 10, 9, 8]
    r = xmr(values, polarity="lower_is_better")
    assert flagged(r, "trend") == list(range(6, 13))
    assert set(types(r)[6:13]) == {"special_cause_improvement"}
    assert r.variation_icon == "improvement_low"
    assert xmr(values, polarity="higher_is_better").variation_icon == "concern_low"


def test_precedence_outside_then_trend_then_two_in_three():
    values = [1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]
    r = xmr(values, polarity="higher_is_better")
    (seg,) = r.segments
    # mean 49/13 = 3.77, mrbar 1: limits 1.11 / 6.43, 2-sigma 2.00 / 5.54; 4..4 are seven above
    assert seg.mean == pytest.approx(49 / 13) and seg.mrbar == 1.0
    assert [p.rules for p in r.points] == [
        ("outside_limits", "trend"),
        ("trend",),
        ("trend",),
        ("shift", "trend"),
        ("shift", "trend"),
        ("shift", "trend", "two_in_three"),  # 6, 7, 6: the 7 is outside, so only the two 6s are "close"
        ("outside_limits", "shift", "trend"),
        ("shift", "trend", "two_in_three"),
        ("shift", "trend"),
        ("shift", "trend"),
        ("trend",),
        ("trend",),
        ("outside_limits", "trend"),
    ]
    # the first point is outside below (concern) although it starts a rising trend; the peak is
    # outside above; the 6 after it belongs to the falling trend (the step to its right)
    assert types(r) == (["special_cause_concern"] + ["special_cause_improvement"] * 6 + ["special_cause_concern"] * 6)


def test_two_of_three_beyond_two_sigma_on_the_same_side():
    values = ALTERNATING + [16, 12, 16] + [10, 12] * 3
    r = xmr(values, polarity="lower_is_better")
    (seg,) = r.segments
    assert seg.upper_2sigma < 16 < seg.upl  # mean 11.52, mrbar 2.4: 2-sigma 15.78, upl 17.90
    assert flagged(r) == [12, 14]  # the close points, not the middle one
    assert all(r.points[i].rules == ("two_in_three",) for i in (12, 14))
    assert types(r)[12] == types(r)[14] == "special_cause_concern"


def test_two_of_three_on_opposite_sides_is_not_flagged():
    values = ALTERNATING + [16, 11, 6] + [10, 12] * 3
    r = xmr(values, polarity="lower_is_better")
    (seg,) = r.segments
    assert seg.upper_2sigma < 16 < seg.upl and seg.lpl < 6 < seg.lower_2sigma
    assert flagged(r) == []


def test_two_of_three_with_the_middle_point_across_the_mean_is_not_flagged():
    # the reference (after its issue #143) needs all three points of the window on one side
    values = ALTERNATING + [17, 10, 17] + [10, 12] * 3
    r = xmr(values, polarity="lower_is_better")
    (seg,) = r.segments
    assert seg.upper_2sigma < 17 < seg.upl and 10 < seg.mean  # 2-sigma 16.67, upl 19.24, mean 11.52
    assert flagged(r) == []
    # with the middle point above the mean the same two points are flagged
    assert flagged(xmr(ALTERNATING + [17, 12, 17] + [10, 12] * 3, polarity="lower_is_better")) == [12, 14]


def test_baseline_fixes_the_limits():
    values = ALTERNATING + [20.0, 21.0, 19.0]
    r = xmr(values, polarity="higher_is_better", baseline=12)
    (seg,) = r.segments
    assert (seg.mean, seg.mrbar, seg.baseline_points) == (11.0, 2.0, 12)
    assert seg.upl == pytest.approx(16.32)
    assert flagged(r) == [12, 13, 14] and r.variation_icon == "improvement_high"
    # without the baseline the limits take in the last three points and widen
    assert xmr(values, polarity="higher_is_better").segments[0].mean == pytest.approx(12.8)


def test_baseline_needs_twelve_points():
    with pytest.raises(ValueError, match="at least 12"):
        xmr(ALTERNATING, polarity="neutral", baseline=11)


def test_rebase_starts_new_limits_and_runs_do_not_cross_it():
    first = [14, 8] * 4 + [12] * 4  # mean 11.33
    second = [12, 12, 12, 8, 14, 8, 14, 8, 14, 8]  # mean 11
    assert flagged(xmr(first + second, polarity="higher_is_better"), "shift") == list(range(8, 15))
    r = xmr(first + second, polarity="higher_is_better", rebase_at=[12])
    assert [(s.start, s.end) for s in r.segments] == [(0, 11), (12, 21)]
    assert r.segments[0].mean == pytest.approx(136 / 12) and r.segments[1].mean == 11.0
    assert flagged(r) == []
    assert (
        xmr(first + second, polarity="neutral", rebase_at=[0]).segments
        == xmr(first + second, polarity="neutral").segments
    )


def test_rebase_index_outside_the_series():
    with pytest.raises(ValueError, match="outside the series"):
        xmr([1, 2, 3], polarity="neutral", rebase_at=[3])


@pytest.mark.parametrize(
    "polarity, target, expected",
    [
        ("higher_is_better", 20, "consistent_fail"),
        ("lower_is_better", 20, "consistent_pass"),
        ("higher_is_better", 3, "consistent_pass"),
        ("lower_is_better", 3, "consistent_fail"),
        ("higher_is_better", 11, "inconsistent"),
        ("lower_is_better", 16.32, "inconsistent"),  # on the limit is not beyond it
        ("neutral", 20, None),
        ("higher_is_better", None, None),
    ],
)
def test_assurance_against_the_process_limits(polarity, target, expected):
    assert xmr(ALTERNATING, polarity=polarity, target=target).assurance == expected


def test_assurance_uses_the_last_segment():
    values = ALTERNATING + [30, 32] * 6  # second segment: mean 31, limits 25.68 .. 36.32
    r = xmr(values, polarity="higher_is_better", rebase_at=[12], target=20)
    assert r.assurance == "consistent_pass"
    assert xmr(values, polarity="higher_is_better", target=20).assurance == "inconsistent"


def test_a_single_point():
    r = xmr([7], polarity="higher_is_better", target=5)
    (seg,) = r.segments
    assert (seg.mean, seg.mrbar, seg.lpl, seg.upl) == (7.0, None, None, None)
    assert r.points[0].point_type == "common_cause" and r.variation_icon == "common_cause"
    assert r.assurance == "inconsistent"
    assert r.to_json()["segments"][0]["lpl"] is None


def test_two_points():
    r = xmr([10, 14], polarity="lower_is_better")
    (seg,) = r.segments
    assert (seg.mean, seg.mrbar) == (12.0, 4.0)
    assert seg.lpl == pytest.approx(1.36) and seg.upl == pytest.approx(22.64)
    assert flagged(r) == []


def test_all_equal_values():
    r = xmr([5] * 10, polarity="higher_is_better", target=6)
    (seg,) = r.segments
    assert (seg.mean, seg.mrbar, seg.lpl, seg.upl, seg.lower_2sigma, seg.upper_2sigma) == (5.0, 0.0, 5.0, 5.0, 5.0, 5.0)
    assert flagged(r) == [] and r.variation_icon == "common_cause"
    assert r.assurance == "consistent_fail"
    assert xmr([5] * 10, polarity="lower_is_better", target=6).assurance == "consistent_pass"


def test_json_shape():
    r = xmr(ALTERNATING + ALTERNATING[:-1] + [25.0], polarity="lower_is_better", target=20)
    data = json.loads(json.dumps(r.to_json()))
    assert set(data) == {"segments", "points", "variation_icon", "assurance"}
    assert data["segments"] == [
        {
            "start": 0,
            "end": 23,
            "mean": r.segments[0].mean,
            "lpl": r.segments[0].lpl,
            "upl": r.segments[0].upl,
            "lower_2sigma": r.segments[0].lower_2sigma,
            "upper_2sigma": r.segments[0].upper_2sigma,
        }
    ]
    assert data["points"][0] == {
        "i": 0,
        "value": 10.0,
        "special_cause": False,
        "rules": [],
        "point_type": "common_cause",
    }
    assert data["points"][23] == {
        "i": 23,
        "value": 25.0,
        "special_cause": True,
        "rules": ["outside_limits"],
        "point_type": "special_cause_concern",
    }
    assert data["variation_icon"] == "concern_high"
    assert data["assurance"] == "consistent_pass"  # target 20 above upl 16.86, lower is better
    assert xmr([1, 2], polarity="neutral", target=1).to_json()["assurance"] is None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"values": [], "polarity": "neutral"}, "no values"),
        ({"values": [1, float("nan")], "polarity": "neutral"}, "not a finite number"),
        ({"values": [1, 2], "polarity": "up"}, "polarity must be one of"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        xmr(kwargs.pop("values"), **kwargs)


def _exact_mean(values):
    from fractions import Fraction

    return float(sum((Fraction(v) for v in values), Fraction(0)) / len(values))


def test_the_mean_of_whole_numbers_is_the_exact_mean_rounded_once():
    """_mean takes a shortcut for whole numbers: the same float as the exact Fraction mean."""
    from hypothesis import given
    from hypothesis import strategies as st

    from saferhub.domain.spc import _mean

    @given(st.lists(st.integers(min_value=0, max_value=2**53), min_size=1, max_size=40))
    def whole(xs):
        values = [float(x) for x in xs]
        assert _mean(values) == _exact_mean(values)

    @given(st.lists(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), min_size=1, max_size=40))
    def any_float(values):
        assert _mean(values) == _exact_mean(values)

    whole()
    any_float()
    # A mean a naive float sum gets wrong: 1e16 + 1 + 1 is 1e16 in floats.
    assert _mean([1e16, 1.0, 1.0]) == _exact_mean([1e16, 1.0, 1.0]) != (1e16 + 1.0 + 1.0) / 3
