"""The Clopper-Pearson interval by SciPy's inverse incomplete beta agrees with the pure-Python
``qbeta`` it replaced (still in saferhub.domain.significance, checked there against mpmath), over
a grid of counts: to 1e-11 relative, and exactly as the reports print it."""

import math
from decimal import Decimal

import pytest

from saferhub.domain import significance
from saferhub.domain.significance import compare_counts, qbeta
from saferhub.domain.variation import significance_for


def _pure_python(prob, a, b, *, upper):
    return qbeta(prob, a, b, upper=upper)


# previous, current: every pair of small counts, and larger ones around equality and far from it
SMALL = [(p, c) for p in range(0, 13) for c in range(0, 13)]
LARGE = [
    (p, c)
    for base in (37, 150, 999, 4_321, 27_000, 180_000)
    for p, c in (
        (base, base),
        (base, base + 1),
        (base + 1, base),
        (base, base * 2),
        (base * 2, base),
        (base, round(base * 1.07)),
        (0, base),
        (base, 0),
        (1, base),
        (base, 1),
    )
]
GRID = SMALL + LARGE


def _rel(a, b):
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


def test_the_interval_agrees_with_the_pure_python_quantiles(monkeypatch):
    new = {pc: compare_counts(*pc) for pc in GRID}
    monkeypatch.setattr(significance, "_beta_quantile", _pure_python)
    worst = 0.0
    for pc in GRID:
        old = compare_counts(*pc)
        assert new[pc].p_value == old.p_value and new[pc].rate_ratio == old.rate_ratio
        for a, b in zip(new[pc].ci95, old.ci95):
            if a is None or b is None or math.isinf(a) or math.isinf(b):
                assert a == b, pc
            else:
                worst = max(worst, _rel(a, b))
                assert _rel(a, b) < 1e-11, (pc, a, b)
    assert worst > 0  # the two are different computations, not one called twice


MONTHS = {
    "poisson-like": [10, 12, 9, 11, 10, 8, 13, 10, 9, 11, 12, 10],
    "overdispersed": [100, 130, 80, 150, 95, 170, 60, 120, 140, 90, 110, 160],
}


@pytest.mark.parametrize("months", list(MONTHS))
def test_the_reports_print_the_same(monkeypatch, months):
    """significance_for's words and summary (the interval to two decimals) are unchanged."""

    def summaries():
        return {
            pc: significance_for(Decimal(pc[0]), Decimal(pc[1]), MONTHS[months]) for pc in GRID if pc[0] + pc[1] > 0
        }

    new = summaries()
    monkeypatch.setattr(significance, "_beta_quantile", _pure_python)
    old = summaries()
    for pc in new:
        assert new[pc].summary == old[pc].summary, pc
        assert new[pc].words == old[pc].words, pc
        assert new[pc].decision.test == old[pc].decision.test, pc
