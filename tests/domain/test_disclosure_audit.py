"""The audit by linear programming, and protection that passes it: for random tables, sums
across rule groups and sequences of revised versions, every count suppressed for its size can
still be anything in its rule's whole range, given everything published (issue 16)."""

from __future__ import annotations

import doctest

from hypothesis import given, settings
from hypothesis import strategies as st

from saferhub.domain import disclosure_audit
from saferhub.domain.disclosure import (
    OPEN_DATA,
    SENSITIVE,
    STANDARD,
    SUPPRESSED,
    Sum,
    running_sums,
)
from saferhub.domain.disclosure_audit import Release, audit, protect_audited

from .test_disclosure import build_table, rank_attack, tables


def test_doctests():
    assert doctest.testmod(disclosure_audit).failed == 0


def test_the_audit_finds_a_cell_pinned_by_a_total_and_a_rounded_part():
    # all (standard, exact) = a (sensitive, rounded) + b (standard): a = 6 suppressed, but
    # all - b = 6 exactly.
    cells = {"a": 6, "b": 20, "all": 26}
    rules = {"a": SENSITIVE, "b": STANDARD, "all": STANDARD}
    sums = [Sum("all", ("a", "b"))]
    shown = {"a": SUPPRESSED, "b": 20, "all": 26}
    result = audit([Release(shown, rules, sums)], {"a": (1, 9)})
    (a,) = result.intervals
    assert (a.low, a.high, a.ok) == (6, 6, False) and "all = a + b" in a.revealed_by
    # Protected together, a partner of a is suppressed too and a can be anything from 1 to 9.
    p = protect_audited(cells, rules, sums)
    assert p.audit.passed and p.published["a"] == SUPPRESSED
    assert sum(v == SUPPRESSED for v in p.published.values()) == 2


def test_rounding_bounds_a_cell():
    # A sensitive 12 shown as 10 comes from 10, 11 or 12 (8 and 9 would have been suppressed).
    assert SENSITIVE.shown_range(10) == (10, 12) and STANDARD.shown_range(7) == (7, 7)


def test_a_revised_value_is_a_new_unknown_not_a_known_one():
    # Version 1 showed oct = 10 and the year to date; oct is revised to 3. Treating oct as known
    # (it was shown) would publish ytd-sep and ytd-oct, and oct = 915 - 912.
    months = ["sep", "oct", "nov"]
    v1 = [912, 10, 20]
    v2 = [912, 3, 20]

    def table(values):
        cells = dict(zip(months, values))
        cells |= {f"ytd-{m}": sum(values[: i + 1]) for i, m in enumerate(months)}
        return cells, running_sums(months, [f"ytd-{m}" for m in months])

    cells1, sums = table(v1)
    rules = {k: STANDARD for k in cells1}
    first = protect_audited(cells1, rules, sums)
    assert SUPPRESSED not in first.published.values()
    cells2, _ = table(v2)
    revised = {k: f"{k}@v1" for k in cells2 if cells2[k] != cells1[k]}
    earlier = [Release(first.published, rules, sums, revised)]
    second = protect_audited(cells2, rules, sums, earlier)
    assert second.audit.passed and second.published["oct"] == SUPPRESSED
    assert second.published["ytd-oct"] == SUPPRESSED
    oct_ = next(i for i in second.audit.intervals if i.cell == "oct")
    assert oct_.low <= 1 and oct_.high >= 4


def test_open_data_is_published_whole_and_never_hides_another():
    cells = {"a": 2, "b": 3, "all": 5}
    p = protect_audited(cells, {k: OPEN_DATA for k in cells}, [Sum("all", ("a", "b"))])
    assert p.published == cells and p.audit.passed and not p.audit.intervals


def _rules_for(cells, sensitive_cats):
    return {k: (SENSITIVE if k[0] in sensitive_cats else STANDARD) for k in cells}


revisions = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5), st.integers(0, 12)), max_size=3)


@settings(max_examples=25, deadline=None)
@given(
    tables, st.sets(st.sampled_from(["cat0", "cat1", "all"]), max_size=2), st.lists(revisions, min_size=1, max_size=3)
)
def test_after_protection_every_suppressed_count_can_be_anything_in_its_rules_range(values, sensitive, versions):
    """Versions one after another, each revising some months; each protected against all the
    earlier ones, with revised cells as new unknowns. Everything published, together, leaves
    every cell suppressed for its size free to be anything in its rule's range."""
    values = [list(row) for row in values]
    releases: list[Release] = []
    history: list[dict] = []
    for changes in [[], *versions]:
        for c, m, v in changes:
            if c < len(values) and m < len(values[0]):
                values[c][m] = v
        cells, sums = build_table(values)
        rules = _rules_for(cells, sensitive)
        # An earlier version's cell is today's unknown only if its count has not changed since.
        for rel, old in zip(releases, history):
            rel.variables.clear()
            rel.variables.update({k: f"{k}@{id(old)}" for k in old if old[k] != cells.get(k)})
        p = protect_audited(cells, rules, sums, releases)
        assert p.audit.passed, [(i.cell, i.low, i.high, i.required) for i in p.audit.failures]
        release = Release(p.published, rules, sums, {})
        releases.append(release)
        history.append(dict(cells))
        # Checked again from scratch: every count of 1 to 4 (1 to 9 if sensitive) suppressed now.
        primary = {k: (rules[k].low, rules[k].high) for k in cells if rules[k].suppresses(cells[k])}
        assert all(p.published[k] == SUPPRESSED for k in primary)
        again = audit(releases, primary, check=list(primary))
        for i in again.intervals:
            lo, hi = primary[i.cell]
            assert i.low <= lo and i.high >= hi, (i.cell, cells[i.cell], i.low, i.high)
        # And none of them is determined exactly by the sums of this version (a rounded figure
        # taken as exact).
        assert rank_attack(p.published, sums) & set(primary) == set()
