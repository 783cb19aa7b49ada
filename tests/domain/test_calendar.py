import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.domain.calendar import FinancialYear, Month, PeriodError, Quarter, parse_period


def test_financial_year_starts_in_april():
    assert Month(2016, 4).financial_year == FinancialYear(2016)
    assert Month(2017, 3).financial_year == FinancialYear(2016)
    assert Month(2016, 3).financial_year == FinancialYear(2015)
    assert FinancialYear(2016).label == "2016/17"
    assert FinancialYear(1999).label == "1999/00"


def test_financial_year_parse_checks_the_second_year():
    assert FinancialYear.parse("2016/17") == FinancialYear(2016)
    with pytest.raises(PeriodError):
        FinancialYear.parse("2016/18")


def test_quarters_count_from_april():
    assert Month(2016, 4).quarter() == Quarter(2016, 1)
    assert Month(2016, 9).quarter() == Quarter(2016, 2)
    assert Month(2017, 1).quarter() == Quarter(2016, 4)
    assert Quarter(2016, 4).months() == [Month(2017, 1), Month(2017, 2), Month(2017, 3)]
    assert Quarter(2016, 2).name == "Q2 2016/17 (July-September 2016)"


@pytest.mark.parametrize("label", ["2019-13", "2019-00", "2019-1", "19-01", "2019-Q5", "2019Q1", "", "April"])
def test_bad_periods_are_refused(label):
    with pytest.raises(PeriodError):
        parse_period(label)


def test_periods_parse_and_print_back():
    assert parse_period("2016-11") == Month(2016, 11)
    assert parse_period("2016-Q1") == Quarter(2016, 1)
    assert str(Month(2016, 11)) == "2016-11"
    assert Month(2016, 11).name == "November 2016"
    assert Month(2016, 11).short_name == "Nov-16"


@given(st.integers(min_value=1990, max_value=2100), st.integers(min_value=1, max_value=12))
def test_every_month_is_in_exactly_one_financial_year(year, month):
    m = Month(year, month)
    containing = [
        fy for fy in (FinancialYear(year - 1), FinancialYear(year), FinancialYear(year + 1)) if m in fy.months()
    ]
    assert containing == [m.financial_year]
    assert m.financial_year.months()[m.index_in_year] == m


@given(st.integers(min_value=1990, max_value=2100), st.integers(min_value=1, max_value=4))
def test_every_quarter_is_in_exactly_one_financial_year(year, q):
    quarter = Quarter(year, q)
    containing = [
        fy for fy in (FinancialYear(year - 1), FinancialYear(year), FinancialYear(year + 1)) if quarter in fy.quarters()
    ]
    assert containing == [quarter.financial_year]
    assert all(m.financial_year == quarter.financial_year for m in quarter.months())


@given(st.integers(min_value=1990, max_value=2100), st.integers(min_value=1, max_value=12), st.integers(-500, 500))
def test_shift_round_trips(year, month, n):
    m = Month(year, month)
    assert m.shift(n).shift(-n) == m
    assert Month.parse(m.shift(n).label) == m.shift(n)
