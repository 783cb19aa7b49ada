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
    recoverable,
    round_to,
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


@settings(max_examples=15, deadline=None)
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
            # ... and a small count revised since must stay as hidden as it was.
            rel.protect.clear()
            rel.protect.update(
                {
                    k: (rel.rules[k].low, rel.rules[k].high)
                    for k in rel.variables
                    if rel.rules[k].suppresses(old[k]) and rel.shown[k] == SUPPRESSED
                }
            )
        p = protect_audited(cells, rules, sums, releases)
        if not p.audit.passed:
            # Refused, rightly only if earlier versions pin the cell whatever this one hides.
            public = {
                k for k in cells if any(r.var(k) == k and r.shown.get(k) not in (None, SUPPRESSED) for r in releases)
            }
            everything = Release({k: (SUPPRESSED if k not in public else v) for k, v in cells.items()}, rules, sums)
            primary = {k: (rules[k].low, rules[k].high) for k in cells if rules[k].suppresses(cells[k])}
            assert not audit([*releases, everything], primary, check=list(primary)).passed
            return
        assert p.audit.passed, [(i.cell, i.low, i.high, i.required) for i in p.audit.failures]
        release = Release(p.published, rules, sums, {}, {})
        releases.append(release)
        history.append(dict(cells))
        # Checked again from scratch: every count of 1 to 4 (1 to 9 if sensitive) suppressed now.
        primary = {k: (rules[k].low, rules[k].high) for k in cells if rules[k].suppresses(cells[k])}
        assert all(p.published[k] == SUPPRESSED for k in primary)
        earlier_small = {r.var(k): span for r in releases[:-1] for k, span in r.protect.items()}
        again = audit(releases, {**earlier_small, **primary}, check=[*primary, *earlier_small])
        for i in again.intervals:
            lo, hi = primary.get(i.cell) or earlier_small[i.cell]
            assert i.low <= lo and i.high >= hi, (i.cell, i.low, i.high)
        # And none of them is determined exactly by the sums of this version (a rounded figure
        # taken as exact).
        assert rank_attack(p.published, sums) & set(primary) == set()


def test_an_earlier_small_count_revised_since_stays_protected():
    # Version 1: a = 3 is suppressed, b with it (t = a + b is shown). a is then revised to 10:
    # nothing is small in version 2, but showing b = 10 would give version 1's a = 13 - 10 = 3.
    rules = {k: STANDARD for k in ("a", "b", "t")}
    sums = [Sum("t", ("a", "b"))]
    first = protect_audited({"a": 3, "b": 10, "t": 13}, rules, sums)
    assert first.published == {"a": SUPPRESSED, "b": SUPPRESSED, "t": 13}
    revised = {"a": "a@v1", "t": "t@v1"}
    earlier = [Release(first.published, rules, sums, revised, protect={"a": (1, 4)})]
    second = protect_audited({"a": 10, "b": 10, "t": 20}, rules, sums, earlier)
    assert second.published["b"] == SUPPRESSED and second.audit.passed
    old = audit([*earlier, Release(second.published, rules, sums)], {"a@v1": (1, 4)}, check=["a@v1"])
    (a,) = old.intervals
    assert a.low <= 1 and a.high >= 4


def _irreducible(p, cells, rules, sums, earlier=()):
    """No cell hidden only to protect others can be shown: each one, shown, fails the audit or
    lets a small count be worked out exactly (rounded figures taken as exact)."""
    primary = {k: (rules[k].low, rules[k].high) for k in p.primary}
    for k in [k for k, v in p.published.items() if v == SUPPRESSED and k not in p.primary]:
        shown = {**p.published, k: round_to(cells[k], rules[k].rounding)}
        hidden = [m for m, v in shown.items() if v == SUPPRESSED]
        result = audit([*earlier, Release(shown, rules, sums)], primary, check=list(primary))
        assert not result.passed or recoverable(sums, hidden) & p.primary, k


@settings(max_examples=8, deadline=None)
@given(tables, st.sets(st.sampled_from(["cat0", "cat1", "all"]), max_size=2))
def test_no_cell_hidden_to_protect_others_can_be_shown(values, sensitive):
    cells, sums = build_table([list(row) for row in values])
    rules = _rules_for(cells, sensitive)
    p = protect_audited(cells, rules, sums)
    assert p.audit.passed
    _irreducible(p, cells, rules, sums)


def test_pruning_publishes_the_cells_the_greedy_pass_hid_needlessly():
    # A year of months with one small count: the exact pass and the widening hide more than
    # the two cells (the small month and a neighbour) that suffice.
    months = [f"m{i}" for i in range(6)]
    values = [20, 3, 25, 30, 22, 28]
    cells = dict(zip(months, values)) | {f"ytd{i}": sum(values[: i + 1]) for i in range(6)}
    sums = running_sums(months, [f"ytd{i}" for i in range(6)])
    rules = {k: STANDARD for k in cells}
    p = protect_audited(cells, rules, sums)
    assert p.audit.passed and p.published["m1"] == SUPPRESSED
    _irreducible(p, cells, rules, sums)
    assert sum(v == SUPPRESSED for v in p.published.values()) == 3  # m1, ytd1 and one more


# The minimum (issue 16): the fewest cells, then the smallest total, that protect every small count.


def _passes(cells, rules, sums, hide, primary):
    """The product's own definition of protected, used as an oracle independent of the
    mixed-integer programme: the audit passes and no small count is determined exactly."""
    shown = {k: (SUPPRESSED if k in hide else round_to(v, rules[k].rounding)) for k, v in cells.items()}
    spans = {k: (rules[k].low, rules[k].high) for k in primary}
    result = audit([Release(shown, rules, sums)], spans, check=list(spans))
    return result.passed and not recoverable(sums, hide) & primary


def _brute_force_minimum(cells, rules, sums):
    """Every set of cells, by size then total: the first that protects is the minimum."""
    from itertools import combinations

    primary = {k for k, v in cells.items() if rules[k].suppresses(v)}
    others = sorted(set(cells) - primary, key=repr)
    for size in range(len(others) + 1):
        found = [
            sum(cells[k] for k in extra)
            for extra in combinations(others, size)
            if _passes(cells, rules, sums, primary | set(extra), primary)
        ]
        if found:
            return len(primary) + size, sum(cells[k] for k in primary) + min(found)
    return None


def _hidden(p):
    return {k for k, v in p.published.items() if v == SUPPRESSED}


@settings(max_examples=4, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.integers(0, 5), st.integers(0, 30)), min_size=2, max_size=2), min_size=1, max_size=2
    ),
    st.booleans(),
)
def test_the_minimum_is_what_a_brute_force_over_every_set_of_cells_finds(values, sensitive):
    cells, sums = build_table(values)
    rules = _rules_for(cells, {"cat0"} if sensitive else set())
    p = protect_audited(cells, rules, sums)
    expected = _brute_force_minimum(cells, rules, sums)
    if expected is None:  # nothing protects (a small count tied to public figures only)
        assert not p.audit.passed
        return
    hidden = _hidden(p)
    assert p.method == "minimum" and p.audit.passed and p.audit.suppression.startswith("fewest")
    assert (len(hidden), sum(cells[k] for k in hidden)) == expected


small_tables = st.integers(1, 3).flatmap(
    lambda ncat: st.integers(2, 4).flatmap(
        lambda nmonth: st.lists(
            st.lists(st.one_of(st.integers(0, 5), st.integers(0, 40)), min_size=nmonth, max_size=nmonth),
            min_size=ncat,
            max_size=ncat,
        )
    )
)


@settings(max_examples=10, deadline=None)
@given(small_tables, st.sets(st.sampled_from(["cat0", "cat1", "all"]), max_size=2))
def test_the_minimum_never_hides_more_than_the_greedy_choice(values, sensitive):
    cells, sums = build_table([list(row) for row in values])
    rules = _rules_for(cells, sensitive)
    best = protect_audited(cells, rules, sums)
    greedy = protect_audited(cells, rules, sums, method="greedy")
    assert best.audit.passed and greedy.audit.passed and greedy.method == "greedy"
    if best.method == "minimum":
        size = (len(_hidden(best)), sum(cells[k] for k in _hidden(best)))
        assert size <= (len(_hidden(greedy)), sum(cells[k] for k in _hidden(greedy)))
    else:  # the fallback is the greedy choice itself, and says why
        assert best.published == greedy.published and "not used" in best.audit.suppression


def test_the_minimum_publishes_what_the_greedy_choice_hides_needlessly():
    # A year of months with one small count (the pruning test's table): the minimum hides the
    # small month and the two smallest cells that keep it anything from 1 to 4.
    months = [f"m{i}" for i in range(6)]
    values = [20, 3, 25, 30, 22, 28]
    cells = dict(zip(months, values)) | {f"ytd{i}": sum(values[: i + 1]) for i in range(6)}
    sums = running_sums(months, [f"ytd{i}" for i in range(6)])
    rules = {k: STANDARD for k in cells}
    p = protect_audited(cells, rules, sums)
    assert p.method == "minimum" and p.audit.passed
    assert (len(_hidden(p)), sum(cells[k] for k in _hidden(p))) == _brute_force_minimum(cells, rules, sums)


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.integers(0, 12), min_size=3, max_size=3),
    st.sets(st.sampled_from(["a", "b", "c", "ytd0", "ytd1", "ytd2", "q"]), min_size=1),
)
def test_the_audits_intervals_are_those_of_whole_counts(values, hide):
    """Every table of whole counts that agrees with what is shown, enumerated: the audit's
    interval for each hidden cell is exactly the lowest and highest count it takes in them
    (rounded figures come from a range; the linear relaxation alone can be wider)."""
    from itertools import product

    names = ["a", "b", "c"]
    cells = dict(zip(names, values)) | {f"ytd{i}": sum(values[: i + 1]) for i in range(3)} | {"q": sum(values)}
    sums = running_sums(names, ["ytd0", "ytd1", "ytd2"]) + [Sum("q", tuple(names))]
    rules = {k: (SENSITIVE if k in ("a", "ytd1", "q") else STANDARD) for k in cells}
    hide = hide | {k for k, v in cells.items() if rules[k].suppresses(v)}
    shown = {k: (SUPPRESSED if k in hide else round_to(v, rules[k].rounding)) for k, v in cells.items()}
    ranges = {k: rules[k].shown_range(v) for k, v in shown.items() if v != SUPPRESSED}
    seen: dict[str, set[int]] = {k: set() for k in hide}
    for a, b, c in product(range(40), repeat=3):
        t = {"a": a, "b": b, "c": c, "ytd0": a, "ytd1": a + b, "ytd2": a + b + c, "q": a + b + c}
        if all(lo <= t[k] <= hi for k, (lo, hi) in ranges.items()):
            for k in hide:
                seen[k].add(t[k])
    result = audit([Release(shown, rules, sums)], check=sorted(hide))
    for i in result.intervals:
        if max(seen[i.cell]) >= 39:  # unbounded upwards: the enumeration's edge
            assert i.high == float("inf") or i.high >= 39
            continue
        assert (i.low, i.high) == (min(seen[i.cell]), max(seen[i.cell])), i.cell


def test_a_count_the_linear_relaxation_leaves_loose_is_pinned_in_whole_counts():
    # Four hidden counts in sums of three (an odd cycle), one sum rounded: in real numbers x3
    # could be anything from 2/3 to 10/3 (1 to 3 in whole numbers), but only x3 = 2 makes every
    # count whole. The audit says so.
    import numpy as np
    from scipy.optimize import linprog

    cells = {"x0": 2, "x1": 6, "x2": 7, "x3": 2, "s0": 11, "s1": 10, "s2": 15, "s3": 15}
    sums = [
        Sum("s0", ("x3", "x2", "x0")),
        Sum("s1", ("x1", "x0", "x3")),
        Sum("s2", ("x1", "x2", "x3")),
        Sum("s3", ("x0", "x2", "x1")),
    ]
    rules = {k: (SENSITIVE if k in ("x1", "x3", "s3") else STANDARD) for k in cells}
    shown = {k: (SUPPRESSED if k.startswith("x") else round_to(v, rules[k].rounding)) for k, v in cells.items()}
    (x3,) = audit([Release(shown, rules, sums)], {"x3": (1, 9)}, check=["x3"]).intervals
    assert (x3.low, x3.high, x3.ok) == (2, 2, False)
    # The relaxation alone (what the audit computed before): wider.
    names = ["x0", "x1", "x2", "x3", "s0", "s1", "s2", "s3"]
    a = np.zeros((4, 8))
    for r, s in enumerate(sums):
        a[r, names.index(s.total)] = 1
        for p in s.parts:
            a[r, names.index(p)] = -1
    bounds = [(0, None)] * 4 + [(11, 11), (10, 10), (15, 15), rules["s3"].shown_range(15)]
    c = np.eye(8)[3]
    lo = linprog(c, A_eq=a, b_eq=np.zeros(4), bounds=bounds, method="highs").fun
    hi = -linprog(-c, A_eq=a, b_eq=np.zeros(4), bounds=bounds, method="highs").fun
    assert lo < 1 and hi > 3
