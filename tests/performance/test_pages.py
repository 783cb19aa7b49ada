"""The indicator page's SPC table writes its figures with the report's own SPC text, so the page
and the PDF say the same (a lower limit below zero cannot bind: "no lower limit")."""

from decimal import Decimal
from types import SimpleNamespace

from saferhub.domain.calendar import Month
from saferhub.domain.report import Spc, SpcPoint, SpcSegment
from saferhub.domain.status import Polarity
from saferhub.performance.pages import spc_rows


def _spc(unit: str, lpl: str, upl: str) -> Spc:
    seg = SpcSegment(
        0, 1, Decimal("4.25"), Decimal(lpl), Decimal(upl), None, None, Month(2016, 4), Month(2016, 5), False, unit
    )
    points = (
        SpcPoint(0, Decimal("3"), False, (), "common_cause", Month(2016, 4)),
        # The point type as saferhub.domain.spc writes it (the side comes from the segment's mean).
        SpcPoint(1, Decimal("12"), True, ("outside_limits",), "special_cause_concern", Month(2016, 5)),
    )
    return Spc((seg,), points, "concern_high", None, None)


def test_a_lower_limit_below_zero_is_no_lower_limit():
    rows = spc_rows(SimpleNamespace(spc=_spc("count", "-2.5", "11.04"), polarity=Polarity.LOWER_IS_BETTER))
    assert [r.lower_text for r in rows] == ["no lower limit", "no lower limit"]
    assert rows[0].mean_text == "4.3" and rows[0].upper_text == "11.0"
    assert [r.value_text for r in rows] == ["3", "12"]


def test_the_signal_is_the_reports_words():
    rows = spc_rows(SimpleNamespace(spc=_spc("percentage", "1.5", "104"), polarity=Polarity.LOWER_IS_BETTER))
    assert rows[0].signal_text == "–"
    assert rows[1].signal_text == "Special cause: concern (high)"
    assert rows[1].lower_text == "1.5%" and rows[1].upper_text == "no upper limit"


def test_a_special_cause_takes_its_side_from_the_polarity_as_the_icon_does():
    """Lower is better: an improvement reads "(low)", a neither-way month keeps its own side."""
    seg = SpcSegment(
        0, 1, Decimal("40"), Decimal("20"), Decimal("60"), None, None, Month(2016, 4), Month(2016, 5), False, "count"
    )
    points = (
        SpcPoint(0, Decimal("10"), True, ("outside_limits",), "special_cause_improvement", Month(2016, 4)),
        SpcPoint(1, Decimal("70"), True, ("outside_limits",), "special_cause_neutral_high", Month(2016, 5)),
    )
    spc = Spc((seg,), points, "neutral_high", None, None)
    rows = spc_rows(SimpleNamespace(spc=spc, polarity=Polarity.LOWER_IS_BETTER))
    assert [r.signal_text for r in rows] == ["Special cause: improvement (low)", "Special cause: neither (high)"]


def test_a_falling_trend_above_the_mean_reads_as_the_icon_does():
    """Higher is better and seven falling months, the first of them above the mean: each is a concern,
    and "low" as the variation icon says, although it lies above the mean (a trend crosses the mean)."""
    seg = SpcSegment(
        0, 6, Decimal("40"), Decimal("10"), Decimal("70"), None, None, Month(2016, 4), Month(2016, 10), False, "count"
    )
    points = tuple(
        SpcPoint(k, Decimal(55 - 5 * k), True, ("trend",), "special_cause_concern", Month(2016, 4 + k))
        for k in range(7)
    )
    spc = Spc((seg,), points, "concern_low", None, None)
    rows = spc_rows(SimpleNamespace(spc=spc, polarity=Polarity.HIGHER_IS_BETTER))
    assert {r.signal_text for r in rows} == {"Special cause: concern (low)"}
    assert rows[0].value > seg.mean
