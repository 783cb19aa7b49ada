from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from saferhub.domain.calendar import Month
from saferhub.domain.figures import Observation, compute_figures, due_periods, percent_change

NOV_2016 = Month(2016, 11)


def series(fy_start: int, values: list) -> dict:
    return {Month(fy_start, 4).shift(i).label: Observation(D(v)) for i, v in enumerate(values) if v is not None}


def test_change_is_this_year_minus_last_year_everywhere():
    obs = series(2015, [196, 192]) | series(2016, [158, 180])
    f = compute_figures(frequency="monthly", unit="count", report_month=Month(2016, 5), observations=obs)
    assert [r.change for r in f.periods[:2]] == [D(-38), D(-12)]
    assert f.ytd.change == D(-50)


def test_periods_after_the_report_month_carry_nothing_over():
    # The seed's violence table showed last year's Dec-Mar figures in this year's change row.
    obs = series(2015, [151, 166, 160, 177, 140, 163, 186, 137, 146, 119, 131, 170]) | series(2016, [134] * 8)
    f = compute_figures(frequency="monthly", unit="count", report_month=NOV_2016, observations=obs)
    later = f.periods[8:]
    assert [r.value for r in later] == [None] * 4
    assert [r.change for r in later] == [None] * 4
    assert [r.cumulative for r in later] == [None] * 4
    assert [r.previous for r in later] == [D(146), D(119), D(131), D(170)]


def test_a_missing_month_is_missing_not_zero():
    obs = series(2016, [41, 61, None, 67])
    f = compute_figures(frequency="monthly", unit="count", report_month=Month(2016, 7), observations=obs)
    assert f.missing_periods == ["2016-06"]
    assert f.periods[2].value is None
    assert f.periods[2].cumulative is None and f.periods[3].cumulative is None
    assert f.ytd.to_period == "2016-05" and f.ytd.value == D(102)


def test_quarters_are_due_when_their_last_month_is_reached():
    assert [q.label for q in due_periods("quarterly", NOV_2016)] == ["2016-Q1", "2016-Q2"]
    assert [q.label for q in due_periods("quarterly", Month(2016, 12))] == ["2016-Q1", "2016-Q2", "2016-Q3"]
    assert due_periods("quarterly", Month(2016, 5)) == []


def test_rates_are_pooled_not_averaged():
    obs = {
        "2016-04": Observation(numerator=D(9), denominator=D(10)),
        "2016-05": Observation(numerator=D(10), denominator=D(100)),
    }
    f = compute_figures(frequency="monthly", unit="percentage", report_month=Month(2016, 5), observations=obs)
    # Averaging 90% and 10% would give 50%; pooling gives 19 of 110.
    assert f.ytd.value == D(19) * 100 / D(110)
    assert (f.ytd.numerator, f.ytd.denominator) == (D(19), D(110))
    assert f.pooled


def test_percentages_alone_cannot_be_pooled():
    obs = {"2016-04": Observation(D(100)), "2016-05": Observation(D(89))}
    f = compute_figures(frequency="monthly", unit="percentage", report_month=Month(2016, 5), observations=obs)
    assert f.periods[1].value == D(89)
    assert f.periods[1].cumulative is None and f.ytd.value is None
    assert not f.pooled and "cannot be pooled" in f.notes[0]


def test_cumulative_target_and_gap():
    obs = series(2016, [41, 61, 60, 67, 34, 51, 47])
    targets = {Month(2016, 4).shift(i).label: D(t) for i, t in enumerate([55, 108, 162, 214, 268, 321, 375, 428])}
    f = compute_figures(frequency="monthly", unit="count", report_month=NOV_2016, observations=obs, targets=targets)
    assert f.periods[6].target_cumulative == D(375) and f.periods[6].gap == D(-14)
    assert f.ytd.target == D(375) and f.ytd.gap == D(-14)


def test_flat_count_target_accumulates():
    obs = series(2016, [10, 10, 10])
    targets = {Month(2016, 4).shift(i).label: D(12) for i in range(12)}
    f = compute_figures(
        frequency="monthly",
        unit="count",
        report_month=Month(2016, 6),
        observations=obs,
        targets=targets,
        target_kind="flat",
    )
    assert [r.target_cumulative for r in f.periods[:3]] == [D(12), D(24), D(36)]
    assert f.ytd.gap == D(-6)


def test_percent_change_rounds_half_away_from_zero():
    assert percent_change(D(7170), D(6803)) == D("5.4")
    assert percent_change(D(1149), D(1223)) == D("-6.1")
    assert percent_change(D(5), D(0)) is None


counts = st.lists(st.one_of(st.none(), st.integers(0, 5000)), min_size=12, max_size=12)


@given(counts, counts, st.integers(4, 15))
def test_invariants(this_year, last_year, month_index):
    report = Month(2016, 4).shift(month_index - 4)
    obs = series(2016, this_year) | series(2015, last_year)
    f = compute_figures(frequency="monthly", unit="count", report_month=report, observations=obs)
    running = D(0)
    for r in f.periods:
        if r.change is not None:
            # change plus last year equals this year
            assert r.change + r.previous == r.value
        if r.cumulative is not None:
            running_sum = sum(p.value for p in f.periods[: f.periods.index(r) + 1])
            # cumulative equals the sum of the months
            assert r.cumulative == running_sum
    for r in f.periods:
        if r.value is None or not r.due:
            break
        running += r.value
    if f.ytd.to_period is not None:
        assert f.ytd.value == running
        if f.ytd.previous is not None:
            assert f.ytd.value - f.ytd.previous == f.ytd.change
    assert set(f.missing_periods) == {r.period for r in f.periods if r.due and r.value is None}
