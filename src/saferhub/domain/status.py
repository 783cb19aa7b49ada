"""An indicator's status from its polarity, its target and last year.

The rule (also in docs/indicators.md):

1. No figures at all: ``no_data``. Figures that cannot make a year-to-date value (percentages
   without numerators and denominators cannot be pooled): ``not_assessed``.
2. Polarity ``monitor_only``: ``monitor_only``. The figures are reported, not judged.
3. A target for the year-to-date period: ``on_target`` when the year to date is at or better
   than the target (at or below it when lower is better, at or above it when higher is
   better), otherwise ``off_target``.
4. Otherwise, last year's figure for the same period: ``improving`` when the change is in the
   good direction, ``worsening`` when in the bad one, ``no_change`` when equal.
5. Otherwise ``not_assessed``.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Optional

__all__ = ["Polarity", "Status", "assess_status"]


class Polarity(StrEnum):
    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"
    MONITOR_ONLY = "monitor_only"

    @property
    def label(self) -> str:
        return {
            "lower_is_better": "Lower is better",
            "higher_is_better": "Higher is better",
            "monitor_only": "Monitor only",
        }[self.value]

    @property
    def direction(self) -> int:
        """The SPC reference's improvement direction: increase 1, decrease -1, neither 0."""
        return {"lower_is_better": -1, "higher_is_better": 1, "monitor_only": 0}[self.value]


class Status(StrEnum):
    ON_TARGET = "on_target"
    OFF_TARGET = "off_target"
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no_change"
    MONITOR_ONLY = "monitor_only"
    NOT_ASSESSED = "not_assessed"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return {
            "on_target": "On target",
            "off_target": "Off target",
            "improving": "Improving",
            "worsening": "Worsening",
            "no_change": "No change",
            "monitor_only": "Monitor only",
            "not_assessed": "Not assessed",
            "no_data": "No data",
        }[self.value]

    @property
    def colour(self) -> str:
        """GOV.UK tag colour: green good, red bad, grey neither."""
        return {"on_target": "green", "improving": "green", "off_target": "red", "worsening": "red"}.get(
            self.value, "grey"
        )


def _better(polarity: Polarity, a: Decimal, b: Decimal) -> bool:
    """Is ``a`` at least as good as ``b``?"""
    return a <= b if polarity is Polarity.LOWER_IS_BETTER else a >= b


def assess_status(
    polarity: Polarity | str,
    *,
    ytd_value: Optional[Decimal],
    ytd_previous: Optional[Decimal],
    ytd_target: Optional[Decimal],
    figures_held: bool = False,
) -> Status:
    polarity = Polarity(polarity)
    if ytd_value is None:
        return Status.NOT_ASSESSED if figures_held else Status.NO_DATA
    if polarity is Polarity.MONITOR_ONLY:
        return Status.MONITOR_ONLY
    if ytd_target is not None:
        return Status.ON_TARGET if _better(polarity, ytd_value, ytd_target) else Status.OFF_TARGET
    if ytd_previous is not None:
        if ytd_value == ytd_previous:
            return Status.NO_CHANGE
        return Status.IMPROVING if _better(polarity, ytd_value, ytd_previous) else Status.WORSENING
    return Status.NOT_ASSESSED
