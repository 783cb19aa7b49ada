import re
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from saferhub.domain.calendar import Month
from saferhub.domain.figures import Observation, compute_figures
from saferhub.domain.narrative import commentary, format_count, list_periods


def figures(this, last, report=Month(2016, 11), **kw):
    obs = {Month(2016, 4).shift(i).label: Observation(D(v)) for i, v in enumerate(this) if v is not None}
    obs |= {Month(2015, 4).shift(i).label: Observation(D(v)) for i, v in enumerate(last) if v is not None}
    return compute_figures(frequency="monthly", unit="count", report_month=report, observations=obs, **kw)


ASB_THIS = [853, 967, 965, 955, 899, 887, 896, 748]
ASB_LAST = [864, 894, 769, 946, 912, 809, 892, 717, 733, 734, 741, 781]


def test_the_issue_example_word_for_word():
    text = commentary(
        figures(ASB_THIS, ASB_LAST), noun="anti-social behaviour incidents", unit="count", report_month=Month(2016, 11)
    )
    assert text == (
        "Between April and the end of November 2016 there have been 7,170 anti-social behaviour incidents "
        "recorded, 367 more than in the same period of 2015/16, an increase of 5%."
    )


def test_reduction_wording():
    text = commentary(
        figures([158, 180, 148, 136, 144, 146, 89, 148], [196, 192, 147, 119, 106, 169, 148, 146]),
        noun="serious acquisitive crimes",
        unit="count",
        report_month=Month(2016, 11),
    )
    assert (
        "1,149 serious acquisitive crimes recorded, 74 fewer than in the same period of 2015/16, a reduction of 6%."
        in text
    )


def test_first_month_and_no_change_and_tiny_change():
    assert commentary(
        figures([10], [10], Month(2016, 4)), noun="crimes", unit="count", report_month=Month(2016, 4)
    ) == ("In April 2016 there have been 10 crimes recorded, the same number as in the same period of 2015/16.")
    text = commentary(figures([1001], [1000], Month(2016, 4)), noun="crimes", unit="count", report_month=Month(2016, 4))
    assert text.endswith("1 more than in the same period of 2015/16, an increase of less than 1%.")


def test_missing_months_are_named():
    text = commentary(
        figures([41, 61, 60, 67, 34, 51, 47, None], []),
        noun='"ist" incidents',
        unit="count",
        report_month=Month(2016, 11),
    )
    assert "No figure has been received for November 2016, so the year to date runs to the end of October 2016." in text
    assert list_periods(["2016-10", "2016-11"]) == "October and November 2016"


def test_format_count():
    assert format_count(D(7170)) == "7,170" and format_count(1234567) == "1,234,567"


@given(st.lists(st.integers(0, 3000), min_size=8, max_size=8), st.lists(st.integers(0, 3000), min_size=8, max_size=8))
def test_direction_words_always_agree_with_the_numbers(this, last):
    f = figures(this, last)
    text = commentary(f, noun="crimes", unit="count", report_month=Month(2016, 11))
    change = f.ytd.change
    if change > 0:
        assert " more than" in text and "fewer" not in text and "reduction" not in text
        if f.ytd.previous:
            assert "an increase of" in text
    elif change < 0:
        assert " fewer than" in text and "more than" not in text and "increase" not in text
        assert "a reduction of" in text
    else:
        assert "the same number as" in text
    numbers = re.findall(r"([\d,]+) (?:more|fewer)", text)
    if numbers:
        assert int(numbers[0].replace(",", "")) == abs(change)
