"""The financial calendar of English and Welsh public bodies.

A financial year runs from 1 April to 31 March and is written "2016/17". Quarters are counted
from April: Q1 is April-June. Periods are written ``YYYY-MM`` for months and ``YYYY-Qn`` for
quarters, where ``YYYY`` is the calendar year in which the financial year *starts* ("2016-Q4"
is January-March 2017), so that a quarter's label always names its financial year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from .indicators import Frequency
from .problems import SaferhubError

__all__ = [
    "FinancialYear",
    "Month",
    "Quarter",
    "Period",
    "PeriodError",
    "parse_period",
    "parse_month",
    "MONTH_NAMES",
]

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
_FY_RE = re.compile(r"^(\d{4})/(\d{2})$")


class PeriodError(SaferhubError, ValueError):
    """A period label that is not a valid month or quarter."""


@dataclass(frozen=True, order=True)
class FinancialYear:
    """The financial year starting in April of ``start_year``."""

    start_year: int

    @classmethod
    def parse(cls, label: str) -> "FinancialYear":
        """Parse "2016/17"; the second part must follow the first."""
        m = _FY_RE.match(label.strip())
        if not m:
            raise PeriodError(f"{label!r} is not a financial year like 2016/17")
        start = int(m.group(1))
        if (start + 1) % 100 != int(m.group(2)):
            raise PeriodError(f"{label!r} is not a financial year: {start + 1} must follow {start}")
        return cls(start)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    def previous(self) -> "FinancialYear":
        return FinancialYear(self.start_year - 1)

    def months(self) -> list["Month"]:
        first = Month(self.start_year, 4)
        return [first.shift(i) for i in range(12)]

    def quarters(self) -> list["Quarter"]:
        return [Quarter(self.start_year, q) for q in range(1, 5)]

    def periods(self, frequency: Frequency | str) -> list["Period"]:
        if frequency == Frequency.MONTHLY:
            return list(self.months())
        if frequency == Frequency.QUARTERLY:
            return list(self.quarters())
        raise PeriodError(f"unknown frequency {frequency!r}")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, ordered in time."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise PeriodError(f"month {self.month} is not between 1 and 12")

    @classmethod
    def parse(cls, label: str) -> "Month":
        m = _MONTH_RE.match(label.strip())
        if not m:
            raise PeriodError(f"{label!r} is not a month like 2016-11")
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"{label!r} is not a month: {month} is not between 01 and 12")
        return cls(int(m.group(1)), month)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.label

    @property
    def frequency(self) -> Frequency:
        return Frequency.MONTHLY

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.year if self.month >= 4 else self.year - 1)

    @property
    def index_in_year(self) -> int:
        """0 for April ... 11 for March."""
        return (self.month - 4) % 12

    @property
    def last_month(self) -> "Month":
        return self

    @property
    def first_month(self) -> "Month":
        return self

    @property
    def name(self) -> str:
        """ "November 2016"."""
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def short_name(self) -> str:
        """ "Nov-16", as board tables write it."""
        return f"{MONTH_NAMES[self.month - 1][:3]}-{self.year % 100:02d}"

    def shift(self, months: int) -> "Month":
        total = self.year * 12 + (self.month - 1) + months
        return Month(total // 12, total % 12 + 1)

    def same_period_last_year(self) -> "Month":
        return Month(self.year - 1, self.month)

    def quarter(self) -> "Quarter":
        return Quarter(self.financial_year.start_year, self.index_in_year // 3 + 1)


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter ``q`` (1-4) of the financial year starting in ``start_year``."""

    start_year: int
    q: int

    def __post_init__(self) -> None:
        if not 1 <= self.q <= 4:
            raise PeriodError(f"quarter {self.q} is not between 1 and 4")

    @classmethod
    def parse(cls, label: str) -> "Quarter":
        m = _QUARTER_RE.match(label.strip())
        if not m:
            raise PeriodError(f"{label!r} is not a quarter like 2016-Q1")
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def label(self) -> str:
        return f"{self.start_year:04d}-Q{self.q}"

    def __str__(self) -> str:
        return self.label

    @property
    def frequency(self) -> Frequency:
        return Frequency.QUARTERLY

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.start_year)

    @property
    def index_in_year(self) -> int:
        return self.q - 1

    @property
    def first_month(self) -> Month:
        return Month(self.start_year, 4).shift(3 * (self.q - 1))

    @property
    def last_month(self) -> Month:
        return self.first_month.shift(2)

    def months(self) -> list[Month]:
        return [self.first_month.shift(i) for i in range(3)]

    @property
    def name(self) -> str:
        """ "Q2 2016/17 (July-September 2016)"."""
        first, last = self.first_month, self.last_month
        return (
            f"Q{self.q} {self.financial_year.label} "
            f"({MONTH_NAMES[first.month - 1]}-{MONTH_NAMES[last.month - 1]} {last.year})"
        )

    @property
    def short_name(self) -> str:
        return f"Q{self.q}"

    def shift(self, quarters: int) -> "Quarter":
        total = self.start_year * 4 + (self.q - 1) + quarters
        return Quarter(total // 4, total % 4 + 1)

    def same_period_last_year(self) -> "Quarter":
        return Quarter(self.start_year - 1, self.q)


Period = Union[Month, Quarter]


def parse_month(label: str) -> Month:
    return Month.parse(label)


def parse_period(label: str) -> Period:
    """Parse ``YYYY-MM`` or ``YYYY-Qn``; anything else raises :class:`PeriodError`."""
    text = label.strip()
    if _QUARTER_RE.match(text):
        return Quarter.parse(text)
    if _MONTH_RE.match(text):
        return Month.parse(text)
    raise PeriodError(f"{label!r} is not a period: use YYYY-MM for a month or YYYY-Qn for a quarter")
