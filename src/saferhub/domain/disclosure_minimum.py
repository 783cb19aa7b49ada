"""The fewest and smallest cells to hide: secondary suppression as a mixed-integer programme.

The model is the classic one of cell suppression (Fischetti and Salazar's, as τ-ARGUS's
"Optimal" and sdcTable's "OPT" use it): a 0/1 unknown ``y`` per cell that may be hidden, and, for
each protected count and each end of its rule's range, an *attacker*: a copy of the table's
unknowns that obeys every sum (of every version published) and every fact published before,
keeps each current cell within its shown range when ``y = 0`` (its count, or the counts a
rounded figure comes from) and within ``C`` of it when ``y = 1``, and puts the protected count at
that end of its range (at most ``low``, or at least ``high``). When some rounded figure is
shown, each small count also has a *structural* attacker: a change of this version's hidden
cells alone that keeps its sums and moves the count (the rank attack, rounded figures taken as
exact). The objective is the number of hidden cells, then their total: each weighs
``1 + total of all candidates`` plus its count, so one cell fewer always wins and the smaller
total breaks ties.

``C``, the capacity (how far a hidden cell may move in an attacker's table), is ``2w + 1`` for the
widest protected range ``w`` (4 - 1 = 3, or 9 - 1 = 8): a count is moved at most ``w`` and, in
tables of sums, the cells that balance it move as much. A small capacity keeps the programme's
relaxation tight (fast); the result is a proven minimum among the sets whose protection needs no
hidden cell to move further than that (measured: ``w + 1``, ``4w + 1`` and the table's total give
the same minima on the demo and on random tables). Safety never rests on ``C``: every set is
checked by the exact audit before it is used.

The attackers are continuous (the linear relaxation of the audit), so the programme is a
*relaxation* of the problem in whole counts. The caller checks its optimum with the exact
(integer) audit; when a count is still exposed, a cut "hide at least one more cell of this
component" is valid (hiding fewer only adds constraints) and the programme is solved again. The
first set that passes is a proven minimum.

Tables split into independent *components* (unknowns tied by sums through cells not pinned
exactly); a component without a protected count is never touched, and each is solved alone.
HiGHS (SciPy's ``milp``) solves the programmes; the model, the cuts and the loop are ours.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Hashable, Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix

__all__ = ["Problem", "Minimum", "minimum_hiding"]


def CAPACITY(total: int, width: int) -> int:
    """How far a hidden cell may move in an attacker's table (see above)."""
    return 2 * width + 1


@dataclass(frozen=True)
class Problem:
    """``names``: the unknowns (columns); ``rows``: the sums, each ``{column: coefficient}`` = 0;
    ``bounds``: each unknown's range given what is shown whatever is hidden now (earlier
    versions, public cells); ``candidates``: column -> (low, high, count) of a current cell
    that may be hidden (its shown range if published, and its count); ``forced``: columns that
    must be hidden (suppressed for their size); ``protected``: column -> the range that must
    stay possible."""

    names: Sequence[Hashable]
    rows: Sequence[Mapping[int, int]]
    bounds: Sequence[tuple[float, float]]
    candidates: Mapping[int, tuple[int, int, int]]
    forced: frozenset[int]
    protected: Mapping[int, tuple[int, int]]
    # This version's sums (their columns) and its candidates published exactly (not rounded).
    current_rows: Sequence[tuple[int, ...]] = ()
    exact: frozenset[int] = frozenset()


@dataclass
class Minimum:
    """The hidden columns, whether they are a proven minimum, and what was solved."""

    hidden: set[int] | None
    optimal: bool
    reason: str = ""
    programmes: int = 0
    cuts: int = 0
    seconds: float = 0.0
    components: int = 0
    details: list[str] = field(default_factory=list)


def crow_coefs(crow: tuple[int, ...]) -> list[tuple[int, float]]:
    """A sum as (column, coefficient): its total +1, its parts -1."""
    return [(crow[0], 1.0)] + [(j, -1.0) for j in crow[1:]]


def _components(problem: Problem) -> list[list[int]]:
    """Unknowns tied through sums by unknowns not pinned to one value, that hold a protected one."""
    pinned = {j for j, (lo, hi) in enumerate(problem.bounds) if lo == hi and j not in problem.candidates}
    parent = list(range(len(problem.names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in problem.rows:
        free = [j for j in row if j not in pinned]
        for j in free[1:]:
            a, b = find(free[0]), find(j)
            if a != b:
                parent[a] = b
    groups: dict[int, list[int]] = {}
    for j in range(len(problem.names)):
        if j not in pinned:
            groups.setdefault(find(j), []).append(j)
    wanted = {find(p) for p in problem.protected}
    return [sorted(g) for r, g in sorted(groups.items()) if r in wanted]


def _solve_component(
    problem: Problem, comp: list[int], cuts: list[set[int]], time_limit: float
) -> tuple[set[int] | None, str]:
    """One component's programme: the hidden candidates, or None and why not."""
    inside = set(comp)
    col = {j: i for i, j in enumerate(comp)}
    cands = [j for j in comp if j in problem.candidates]
    ycol = {j: i for i, j in enumerate(cands)}
    targets = [(p, s) for p in comp if p in problem.protected for s in (-1, 1)]
    rows = []
    for row in problem.rows:
        if any(j in inside for j in row):
            # The other unknowns of a row touching the component are pinned: constants.
            const = sum(c * problem.bounds[j][0] for j, c in row.items() if j not in inside)
            rows.append(({col[j]: c for j, c in row.items() if j in inside}, -const))
    n, m, t = len(cands), len(comp), len(targets)
    total = sum(problem.candidates[j][2] for j in cands)
    width = max(hi - lo for lo, hi in problem.protected.values())
    big_m = float(CAPACITY(total, width))
    weight = 1 + total
    nvar = n + t * m
    c = np.zeros(nvar)
    for j in cands:
        c[ycol[j]] = weight + problem.candidates[j][2]
    lb = np.zeros(nvar)
    ub = np.ones(nvar)
    for j in cands:
        if j in problem.forced:
            lb[ycol[j]] = 1
    data: list[float] = []
    ri: list[int] = []
    ci: list[int] = []
    lo_rhs: list[float] = []
    hi_rhs: list[float] = []

    def add(entries: Mapping[int, float], low: float, high: float) -> None:
        r = len(lo_rhs)
        for k, v in entries.items():
            data.append(v)
            ri.append(r)
            ci.append(k)
        lo_rhs.append(low)
        hi_rhs.append(high)

    for a, (p, sense) in enumerate(targets):
        base = n + a * m
        for j in comp:
            lo, hi = problem.bounds[j]
            lb[base + col[j]], ub[base + col[j]] = lo, hi
        low, high = problem.protected[p]
        if sense < 0:
            ub[base + col[p]] = min(ub[base + col[p]], low)
        else:
            lb[base + col[p]] = max(lb[base + col[p]], high)
        if lb[base + col[p]] > ub[base + col[p]]:
            return None, f"{problem.names[p]} is pinned by what was published before"
        for row_entries, rhs in rows:
            add({base + k: float(v) for k, v in row_entries.items()}, rhs, rhs)
        for j in cands:
            slo, shi, _ = problem.candidates[j]
            x, y = base + col[j], ycol[j]
            # Shown (y = 0): within its shown range; hidden (y = 1): anything from 0 to shown + M.
            add({x: 1.0, y: min(float(slo), big_m)}, float(slo), math.inf)
            add({x: 1.0, y: -big_m}, -math.inf, float(shi))
    # Rounded figures taken as exact (the rank attack), when some are rounded: for each small
    # count, a change of the hidden cells alone that keeps this version's sums and moves it.
    if any(j not in problem.exact for j in cands):
        crows = []
        for crow in problem.current_rows:
            deviation: dict[int, float] = {}
            for j, coef in crow_coefs(crow):
                if j in ycol:
                    deviation[j] = deviation.get(j, 0.0) + coef
            if any(deviation.values()):
                crows.append(deviation)
        for p in sorted(j for j in cands if j in problem.forced):
            base = len(c)
            c = np.concatenate([c, np.zeros(n)])
            lb = np.concatenate([lb, np.full(n, -big_m)])
            ub = np.concatenate([ub, np.full(n, big_m)])
            lb[base + ycol[p]] = ub[base + ycol[p]] = 1.0
            for deviation in crows:
                add({base + ycol[j]: v for j, v in deviation.items() if v}, 0.0, 0.0)
            for j in cands:
                add({base + ycol[j]: 1.0, ycol[j]: -big_m}, -math.inf, 0.0)
                add({base + ycol[j]: 1.0, ycol[j]: big_m}, 0.0, math.inf)
        nvar = len(c)
    for cut in cuts:
        add({ycol[j]: 1.0 for j in cut if j in ycol}, 1.0, math.inf)
    for crow in problem.current_rows:
        members = [j for j in crow if j in ycol]
        for j in members:
            others = [i for i in members if i != j]
            if j in problem.forced:
                # Shown, the rest of a sum gives a small count away (rounded figures taken as exact).
                if not others:
                    return None, f"{problem.names[j]} is given away by a sum of cells that must be shown"
                add({ycol[i]: 1.0 for i in others}, 1.0, math.inf)
            elif all(i in problem.exact for i in crow if i != j and i in problem.candidates):
                # Hidden alone in a sum of exact figures, a cell is worked out exactly: showing it
                # changes nothing, so no minimum hides it so.
                add({ycol[j]: 1.0, **{ycol[i]: -1.0 for i in others}}, -math.inf, 0.0)
    a_mat = csr_matrix(coo_matrix((data, (ri, ci)), shape=(len(lo_rhs), nvar)))
    integrality = np.zeros(nvar)
    integrality[:n] = 1
    res = milp(
        c,
        integrality=integrality,
        bounds=Bounds(lb, ub),
        constraints=LinearConstraint(a_mat, lo_rhs, hi_rhs),
        options={"time_limit": max(time_limit, 0.01), "mip_rel_gap": 0.0},
    )
    if res.status == 0:
        return {j for j in cands if res.x[ycol[j]] > 0.5}, ""
    if res.status == 2:
        return None, "no set of cells protects every count"
    return None, f"the solver stopped: {res.message}"


def minimum_hiding(
    problem: Problem, verify: Callable[[set[int]], set[int]], time_limit: float = 5.0, max_cuts: int = 50
) -> Minimum:
    """The fewest, then smallest, candidates to hide so that ``verify`` (the exact audit:
    it gives the protected columns still exposed) passes. Not optimal (``hidden`` None) when a
    programme fails or the time or cut budget runs out: the caller falls back."""
    start = time.monotonic()
    out = Minimum(None, False)
    comps = _components(problem)
    out.components = len(comps)
    cuts: list[list[set[int]]] = [[] for _ in comps]
    chosen: list[set[int]] = [set() for _ in comps]
    todo = set(range(len(comps)))
    while True:
        for i in sorted(todo):
            left = time_limit - (time.monotonic() - start)
            if left <= 0:
                out.reason, out.seconds = "time limit reached", time.monotonic() - start
                return out
            hidden, why = _solve_component(problem, comps[i], cuts[i], left)
            out.programmes += 1
            if hidden is None:
                out.reason, out.seconds = why, time.monotonic() - start
                return out
            chosen[i] = hidden
        everything = set(problem.forced).union(*chosen)
        exposed = verify(everything)
        if not exposed:
            out.hidden, out.optimal, out.seconds = everything, True, time.monotonic() - start
            return out
        todo = {i for i, comp in enumerate(comps) if exposed & set(comp)}
        if not todo or out.cuts >= max_cuts:
            out.reason = "a count stays exposed" if not todo else "too many cuts"
            out.seconds = time.monotonic() - start
            return out
        for i in todo:
            # Hiding fewer cells only adds constraints: every pattern that hides no candidate
            # of this component outside the one that failed fails too.
            cut = {j for j in comps[i] if j in problem.candidates} - chosen[i]
            if not cut:
                out.reason, out.seconds = "a count stays exposed", time.monotonic() - start
                return out
            cuts[i].append(cut)
            out.cuts += 1
            out.details.append(f"cut {out.cuts}: {len(chosen[i])} hidden in a component exposed")
