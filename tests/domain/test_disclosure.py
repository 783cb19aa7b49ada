"""Disclosure control: primary suppression, sensitive rounding and, above all, that no suppressed
cell can be worked back from what is published (tried here by two independent attackers)."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferhub.domain import disclosure
from saferhub.domain.disclosure import (
    SENSITIVE,
    STANDARD,
    SUPPRESSED,
    Rule,
    Sum,
    protect,
    recoverable,
    round_to,
    running_sums,
)


def test_doctests():
    assert doctest.testmod(disclosure).failed == 0


# -- a realistic table: categories x months, with quarter, year-to-date and all-category sums --


def build_table(values: list[list[int]]) -> tuple[dict, list[Sum]]:
    """values[c][m]: category c in month m. Cells: each category's months, quarters and
    year-to-date figures, and the same for the all-category total."""
    cats = [f"cat{c}" for c in range(len(values))] + ["all"]
    months = len(values[0])
    cells: dict = {}
    sums: list[Sum] = []
    for m in range(months):
        total = 0
        for c, row in enumerate(values):
            cells[(f"cat{c}", f"m{m}")] = row[m]
            total += row[m]
        cells[("all", f"m{m}")] = total
        sums.append(Sum(("all", f"m{m}"), tuple((f"cat{c}", f"m{m}") for c in range(len(values)))))
    for cat in cats:
        month_keys = [(cat, f"m{m}") for m in range(months)]
        ytd_keys = [(cat, f"ytd{m}") for m in range(months)]
        for m in range(months):
            cells[ytd_keys[m]] = sum(cells[k] for k in month_keys[: m + 1])
        sums += running_sums(month_keys, ytd_keys)
        for q in range(months // 3):
            qkey = (cat, f"q{q}")
            parts = tuple(month_keys[3 * q : 3 * q + 3])
            cells[qkey] = sum(cells[k] for k in parts)
            sums.append(Sum(qkey, parts))
    return cells, sums


small_counts = st.one_of(st.integers(0, 5), st.integers(0, 40))
tables = st.integers(1, 4).flatmap(
    lambda ncat: st.integers(1, 6).flatmap(
        lambda nmonth: st.lists(st.lists(small_counts, min_size=nmonth, max_size=nmonth), min_size=ncat, max_size=ncat)
    )
)


def difference_attack(published: dict, sums: list[Sum]) -> dict:
    """Repeatedly take any sum with exactly one unknown member and solve it by difference.
    Rounded figures are taken at face value (the attacker's best guess)."""
    known = {k: v for k, v in published.items() if v != SUPPRESSED}
    recovered: dict = {}
    changed = True
    while changed:
        changed = False
        for s in sums:
            members = [s.total, *s.parts]
            unknown = [k for k in members if k not in known]
            if len(unknown) != 1:
                continue
            (u,) = unknown
            if u == s.total:
                value = sum(known[p] for p in s.parts)
            else:
                value = known[s.total] - sum(known[p] for p in s.parts if p != u)
            known[u] = value
            recovered[u] = value
            changed = True
    return recovered


def rank_attack(published: dict, sums: list[Sum]) -> set:
    """Linear algebra with numpy: a suppressed cell is determined when its unit vector lies in
    the row space of the sums restricted to the suppressed cells."""
    hidden = sorted((k for k, v in published.items() if v == SUPPRESSED), key=repr)
    if not hidden:
        return set()
    col = {k: i for i, k in enumerate(hidden)}
    rows = []
    for s in sums:
        row = np.zeros(len(hidden))
        for k, coef in [(s.total, 1.0)] + [(p, -1.0) for p in s.parts]:
            if k in col:
                row[col[k]] += coef
        rows.append(row)
    a = np.array(rows)
    base = np.linalg.matrix_rank(a)
    exposed = set()
    for k, i in col.items():
        unit = np.zeros(len(hidden))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == base:
            exposed.add(k)
    return exposed


@settings(max_examples=150, deadline=None)
@given(tables)
def test_no_suppressed_cell_can_be_recovered(values):
    cells, sums = build_table(values)
    published = protect(cells, sums, STANDARD)
    assert difference_attack(published, sums) == {}
    assert rank_attack(published, sums) == set()


@settings(max_examples=100, deadline=None)
@given(tables)
def test_sensitive_rule_hides_recoverable_cells_too(values):
    cells, sums = build_table(values)
    published = protect(cells, sums, SENSITIVE)
    assert difference_attack(published, sums) == {}
    assert rank_attack(published, sums) == set()


@settings(max_examples=150, deadline=None)
@given(tables)
def test_primary_suppression_and_published_values(values):
    cells, sums = build_table(values)
    published = protect(cells, sums, STANDARD)
    for key, true in cells.items():
        if 1 <= true <= 4:
            assert published[key] == SUPPRESSED
        elif published[key] != SUPPRESSED:
            assert published[key] == true  # published figures are the true ones, unrounded
    if not any(1 <= v <= 4 for v in cells.values()):
        assert SUPPRESSED not in published.values()


@settings(max_examples=150, deadline=None)
@given(tables)
def test_sensitive_counts_of_1_to_9_suppressed_and_rest_rounded_to_5(values):
    cells, sums = build_table(values)
    published = protect(cells, sums, SENSITIVE)
    for key, true in cells.items():
        shown = published[key]
        if 1 <= true <= 9:
            assert shown == SUPPRESSED
        if shown != SUPPRESSED:
            assert shown % 5 == 0 and abs(shown - true) <= 2


def test_primary_suppression_alone_would_leak_and_secondary_stops_it():
    # all = a + b; a = 3 is suppressed; publishing all and b would give a away.
    cells = {"a": 3, "b": 20, "all": 23}
    sums = [Sum("all", ("a", "b"))]
    assert recoverable(sums, {"a"}) == {"a"}
    published = protect(cells, sums, STANDARD)
    assert published["a"] == SUPPRESSED and published["b"] == SUPPRESSED and published["all"] == 23


def test_year_to_date_difference_is_blocked():
    # May's 2 would be YTD(May) - YTD(April) = 12 - 10.
    cells = {"apr": 10, "may": 2, "ytd-apr": 10, "ytd-may": 12}
    sums = running_sums(["apr", "may"], ["ytd-apr", "ytd-may"])
    published = protect(cells, sums, STANDARD)
    assert published["may"] == SUPPRESSED
    assert recoverable(sums, {k for k, v in published.items() if v == SUPPRESSED}) == set()
    assert sum(v == SUPPRESSED for v in published.values()) >= 2


def test_chained_sums_are_found_by_algebra_not_just_single_differences():
    # x and y both suppressed in one sum; another sum gives x + y, a third x - y: together
    # they pin both down although no single sum has one unknown.
    cells = {"x": 3, "y": 2, "s": 5, "t": 20, "u": 17, "w": 9}
    sums = [Sum("s", ("x", "y")), Sum("t", ("x", "u")), Sum("w", ("y", "y", "y", "x"))]
    assert recoverable(sums, {"x", "y"}) == {"x", "y"}
    published = protect(cells, sums, STANDARD)
    assert rank_attack(published, sums) == set()


def test_zero_is_published():
    assert protect({"a": 0}, [], STANDARD) == {"a": 0}


@pytest.mark.parametrize("n,expected", [(0, 0), (2, 0), (3, 5), (7, 5), (8, 10), (12, 10), (13, 15), (102, 100)])
def test_round_to_five(n, expected):
    assert round_to(n, 5) == expected


def test_rule_records_its_name_and_parameters():
    assert SENSITIVE.as_dict()["name"] == "sensitive-1-9-round-5"
    assert SENSITIVE.parameters() == {"suppress_from": 1, "suppress_to": 9, "round_to": 5}
    with pytest.raises(ValueError):
        Rule("bad", 5, 1)


def test_table_must_be_counts_and_sums_must_name_known_cells():
    with pytest.raises(ValueError):
        protect({"a": -1}, [], STANDARD)
    with pytest.raises(ValueError):
        protect({"a": 1}, [Sum("a", ("b",))], STANDARD)


def test_cells_published_earlier_count_as_known():
    # October's version showed ytd-oct = 13 and hid oct; November's must not show oct = 10
    # (with sep = 3 hidden), or ytd-oct - oct - ytd-aug gives sep away.
    cells = {"aug": 0, "sep": 3, "oct": 10, "ytd-aug": 0, "ytd-sep": 3, "ytd-oct": 13}
    sums = running_sums(["aug", "sep", "oct"], ["ytd-aug", "ytd-sep", "ytd-oct"])
    earlier = {"aug", "ytd-aug", "ytd-oct"}
    published = protect(cells, sums, STANDARD, public=earlier)
    seen = {k: v for k, v in published.items() if v != SUPPRESSED} | {k: cells[k] for k in earlier}
    combined = {k: seen.get(k, SUPPRESSED) for k in cells}
    assert combined["sep"] == SUPPRESSED
    assert rank_attack(combined, sums) == set()
    assert published["oct"] == SUPPRESSED


def test_running_totals_hide_few_cells():
    # May's 3 is given away by YTD(May) - April; hiding April and YTD(April) is enough.
    months = ["apr", "may", "jun", "jul"]
    values = [18, 3, 24, 26]
    cells = dict(zip(months, values)) | {f"y{m}": sum(values[: i + 1]) for i, m in enumerate(months)}
    published = protect(cells, running_sums(months, [f"y{m}" for m in months]), STANDARD)
    assert {k for k, v in published.items() if v == SUPPRESSED} == {"apr", "may", "yapr"}


@settings(max_examples=100, deadline=None)
@given(tables, st.integers(1, 5))
def test_two_versions_together_give_nothing_away(values, cut):
    # Version 1 has the first months; version 2, a month later, has them all and knows what
    # version 1 showed. Everything both showed, together, must still hide every suppressed cell.
    months = len(values[0])
    cut = min(cut, months)
    cells1, sums1 = build_table([row[:cut] for row in values])
    cells2, sums2 = build_table(values)
    shown1 = {k for k, v in protect(cells1, sums1, STANDARD).items() if v != SUPPRESSED}
    shown2 = {k for k, v in protect(cells2, sums2, STANDARD, public=shown1).items() if v != SUPPRESSED}
    seen = shown1 | shown2
    combined = {k: (cells2[k] if k in seen else SUPPRESSED) for k in cells2}
    assert difference_attack(combined, sums2) == {}
    assert rank_attack(combined, sums2) == set()
