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
    series = [(Month(2015, 4).shift(i).label, float(v)) for i, v in enumerate([10, 12, 11, 13, 12, 40, 11, 12, 10, 12, 11, 13, 12, 11])]
    spc = spc_for(series, "lower_is_better")
    assert spc["points"][5]["period"] == "2015-09" and "outside_limits" in spc["points"][5]["rules"]
    assert spc["points"][5]["point_type"] == "special_cause_concern"
    assert spc["segments"][0]["start_period"] == "2015-04" and spc["segments"][0]["end_period"] == "2016-05"
    assert spc["segments"][0]["trial_limits"] is False
    assert spc_for(series[:1], "lower_is_better") is None


def test_significance_words_follow_overdispersion():
    steady = [600.0, 610, 590, 605, 595, 600, 602, 598]
    wild = [300.0, 900, 200, 1000, 400, 800, 350, 850]
    assert significance_for(D(6803), D(7170), steady)["words"] == "a significant increase"
    assert significance_for(D(6803), D(7170), wild)["words"] == "within normal variation"
    assert significance_for(D(7170), D(6803), steady)["words"] == "a significant reduction"


def test_commentary_carries_the_verdict_with_the_right_direction():
    data = obs(Month(2016, 4), [853, 967]) | obs(Month(2015, 4), [864, 894])
    figures = compute_figures(frequency="monthly", unit="count", report_month=Month(2016, 5), observations=data)
    calm = commentary(figures, noun="incidents", unit="count", report_month=Month(2016, 5), change_words="within normal variation")
    assert calm.endswith("62 more than in the same period of 2015/16, an increase of 4%, within normal variation.")
    loud = commentary(figures, noun="incidents", unit="count", report_month=Month(2016, 5), change_words="a significant increase")
    assert loud.endswith("62 more than in the same period of 2015/16, a significant increase of 4%.")
