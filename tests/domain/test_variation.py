from decimal import Decimal as D

from saferhub.domain.calendar import Month
from saferhub.domain.figures import Observation, compute_figures
from saferhub.domain.narrative import commentary
from saferhub.domain.variation import significance_for, spc_for, spc_series


def obs(start: Month, values):
    return {start.shift(i).label: Observation(D(v)) for i, v in enumerate(values) if v is not None}


def test_spc_series_is_the_latest_unbroken_run_of_months():
    data = obs(Month(2015, 1), [5, 6, None, 7, 8, 9])
    assert spc_series(data, Month(2015, 6), "count") == [("2015-04", 7.0), ("2015-05", 8.0), ("2015-06", 9.0)]
    # A missing report month: the chart runs to the last month held.
    assert spc_series(data, Month(2015, 7), "count")[-1] == ("2015-06", 9.0)
    assert spc_series(data, Month(2016, 7), "count") == []


def test_spc_for_labels_points_and_segments_with_periods():
    series = [
        (Month(2015, 4).shift(i).label, float(v))
        for i, v in enumerate([10, 12, 11, 13, 12, 40, 11, 12, 10, 12, 11, 13, 12, 11])
    ]
    spc = spc_for(series, "lower_is_better")
    assert spc.points[5].period.label == "2015-09" and "outside_limits" in spc.points[5].rules
    assert spc.points[5].point_type == "special_cause_concern"
    assert spc.segments[0].start_period.label == "2015-04" and spc.segments[0].end_period.label == "2016-05"
    assert spc.segments[0].trial_limits is False
    assert spc_for(series[:1], "lower_is_better") is None


def test_significance_words_follow_overdispersion():
    steady = [600.0, 610, 590, 605, 595, 600, 602, 598]
    wild = [300.0, 900, 200, 1000, 400, 800, 350, 850]
    assert significance_for(D(6803), D(7170), steady).words == "a significant increase"
    assert significance_for(D(6803), D(7170), wild).words == "within normal variation"
    assert significance_for(D(7170), D(6803), steady).words == "a significant reduction"


def test_commentary_carries_the_verdict_with_the_right_direction():
    data = obs(Month(2016, 4), [853, 967]) | obs(Month(2015, 4), [864, 894])
    figures = compute_figures(frequency="monthly", unit="count", report_month=Month(2016, 5), observations=data)
    calm = commentary(
        figures, noun="incidents", unit="count", report_month=Month(2016, 5), change_words="within normal variation"
    )
    assert calm.endswith("62 more than in the same period of 2015/16, an increase of 4%, within normal variation.")
    loud = commentary(
        figures, noun="incidents", unit="count", report_month=Month(2016, 5), change_words="a significant increase"
    )
    assert loud.endswith("62 more than in the same period of 2015/16, a significant increase of 4%.")


def _printed(summary: str):
    """The verdict, the first interval and the first p-value as the summary prints them."""
    import re

    verdict = re.search(
        r"The change is (within normal variation|a significant increase|a significant reduction)", summary
    ).group(1)
    low, high = (float(x) for x in re.search(r"95% interval ([0-9.]+) to ([0-9.]+)", summary).groups())
    m = re.search(r"p (=|<) ([0-9.]+)", summary)
    return verdict, (low, high), m.group(1), float(m.group(2))


def test_the_summary_prints_the_figures_that_decide_the_verdict():
    """Overall crime's case: the exact test alone says p = 0.0003, the months are over-dispersed,
    the adjusted test decides "within normal variation": its interval and p-value are printed first."""
    wild = [300.0, 900, 200, 1000, 400, 800, 350, 850]
    sig = significance_for(D(6803), D(7170), wild)
    verdict, (low, high), _, p = _printed(sig.summary)
    assert verdict == sig.words == "within normal variation"
    assert sig.decision.test == "adjusted"
    assert low < 1 < high and p >= 0.05
    assert (low, high) == (round(float(sig.decision.ci95[0]), 2), round(float(sig.decision.ci95[1]), 2))
    assert "exact Poisson test would give 95% interval" in sig.summary  # secondary detail, after
    steady = [600.0, 610, 590, 605, 595, 600, 602, 598]
    verdict, (low, high), sign, p = _printed(significance_for(D(6803), D(7170), steady).summary)
    assert verdict == "a significant increase" and low > 1 and (sign == "<" or p < 0.05)


def test_commentary_reconciles_the_verdict_with_the_spc_signal():
    """Within normal variation over the year, yet the last months high on the chart: said in words."""
    months = [100.0, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100, 98, 102, 100, 140]
    series = [(Month(2015, 4).shift(i).label, v) for i, v in enumerate(months)]
    spc = spc_for(series, "lower_is_better")
    assert spc.variation_icon == "concern_high"
    data = obs(Month(2016, 4), months[12:]) | obs(Month(2015, 4), months[:12])
    figures = compute_figures(frequency="monthly", unit="count", report_month=Month(2016, 7), observations=data)
    text = commentary(
        figures,
        noun="incidents",
        unit="count",
        report_month=Month(2016, 7),
        change_words="within normal variation",
        spc=spc,
    )
    assert (
        "Although the year so far is within normal variation compared with last year, the latest months "
        "are unusually high: July 2016 is beyond the chart's upper limit"
    ) in text
    from saferhub.domain.narrative import spc_reading

    assert (
        spc_reading("within normal variation", spc)
        == "Year to date within normal variation; latest months unusually high"
    )
    assert spc_reading("a significant increase", spc) is None  # they agree: nothing to reconcile
    agree = commentary(
        figures,
        noun="incidents",
        unit="count",
        report_month=Month(2016, 7),
        change_words="a significant increase",
        spc=spc,
    )
    assert "The SPC chart agrees that the latest months are unusually high" in agree
