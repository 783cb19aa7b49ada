"""The audit of a publication, and the protection it checks: how far could each suppressed cell
move, given everything ever published for the partnership?

τ-ARGUS and sdcTable audit a protected table the same way: every published figure bounds its
cell (exactly, or to the counts a rounded figure comes from), every sum the tables obey is an
equation, every count is at least 0; a linear program then finds the lowest and highest value
each suppressed cell can take. Here the tables are all the versions ever published for the
partnership, each with its own sums, and a cell *revised* since an earlier version is a
different unknown from its earlier value (the earlier figure is a fact about that value, not
about today's), while an unrevised one is the same unknown in every version.

The protection a rule asks for: the whole suppressed range must stay possible. A count of 3
under "1 to 4" must be able to be anything from 1 to 4 (and a sensitive count of 1 to 9 anything
from 1 to 9); narrower than that, and the reader learns more than "a small number".

``protect_audited`` chooses the cells to suppress: primary suppression by each cell's rule,
then the fewest and smallest other cells that pass this audit, a proven minimum by mixed-integer
programming (``disclosure_minimum``). Within a time limit; failing that, the greedy passes: the
exact linear-algebra pass of ``disclosure.secondary_suppression``, widening while the audit finds
a range too narrow, and pruning (irreducible, not proven the fewest). The audit records which.

SciPy's ``linprog`` with HiGHS solves each extreme; when the linear optimum is not a table of
whole counts, SciPy's ``milp`` solves it again in whole counts, so the intervals are exact (the
cells are counts; a rounded figure comes from whole counts in its range). The linear programme
stays first not for speed (measured on 8 random tables, 414 extremes: 4.0 s with it first,
3.9 s with ``milp`` alone; none of its optima was fractional there) but for what it tells: the
sums and figures that hold a cell at its extreme (its duals, named when a publication is
refused) and a cell with no upper bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Hashable, Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix

from .disclosure import (
    SUPPRESSED,
    DisclosureError,
    Published,
    Rule,
    Sum,
    primary_suppression,
    recoverable,
    round_to,
    secondary_suppression,
)
from .disclosure_minimum import Problem, minimum_hiding

__all__ = ["Release", "CellInterval", "AuditResult", "audit", "protect_audited", "Protection"]

EPS = 1e-6


@dataclass(frozen=True)
class Release:
    """One published table as the public sees it. ``shown``: each cell's published count or
    ``"[c]"``; ``rules``: the rule each cell was published under; ``sums``: the sums the table
    obeys; ``variables``: the unknown each cell is (by default the cell's own key; an earlier
    version's cell that has been revised since is its own unknown); ``protect``: the range that
    must stay possible for each of its cells that was suppressed for its size (needed for a cell
    revised since: its old count is still a small number someone could be looking for)."""

    shown: Mapping[Hashable, Published]
    rules: Mapping[Hashable, Rule]
    sums: Sequence[Sum]
    variables: Mapping[Hashable, Hashable] = field(default_factory=dict)
    protect: Mapping[Hashable, tuple[int, int]] = field(default_factory=dict)

    def var(self, key: Hashable) -> Hashable:
        return self.variables.get(key, key)


@dataclass(frozen=True)
class CellInterval:
    """What the audit found for one suppressed cell: the range it could lie in."""

    cell: Hashable
    low: float
    high: float
    required: tuple[int, int] | None  # the rule's range, for a cell suppressed for its size
    revealed_by: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        if self.required is None:
            return True
        lo, hi = self.required
        return self.low <= lo + EPS and self.high >= hi - EPS

    def as_dict(self) -> dict[str, Any]:
        return {"cell": str(self.cell), "low": _jsonable(self.low), "high": _jsonable(self.high), "protected": self.ok}


def _jsonable(x: float) -> int | None:
    return None if math.isinf(x) else int(x)


@dataclass(frozen=True)
class AuditResult:
    intervals: tuple[CellInterval, ...]
    method: str = (
        "linear programming over every version published, made exact in whole counts by integer "
        "programming where the linear optimum is fractional (SciPy linprog and milp, HiGHS)"
    )
    # How the hidden cells were chosen: the proven minimum, or the greedy fallback and why.
    suppression: str = ""

    @property
    def passed(self) -> bool:
        return all(i.ok for i in self.intervals)

    @property
    def failures(self) -> tuple[CellInterval, ...]:
        return tuple(i for i in self.intervals if not i.ok)

    def as_dict(self) -> dict[str, Any]:
        """The record stored with a published version. It says which cells are suppressed and
        how far each could move (all of which a reader can work out), not which were small."""
        return {
            "method": self.method,
            "suppression": self.suppression,
            "passed": self.passed,
            "suppressed_cells": len(self.intervals),
            "intervals": [i.as_dict() for i in sorted(self.intervals, key=lambda i: str(i.cell))],
        }


def _describe_sum(s: Sum) -> str:
    return f"{s.total} = " + " + ".join(str(p) for p in s.parts)


def audit(
    releases: Sequence[Release],
    protected: Mapping[Hashable, tuple[int, int]] | None = None,
    check: Iterable[Hashable] | None = None,
    only: set[Hashable] | None = None,
) -> AuditResult:
    """The interval of each suppressed cell of the last release (or of the unknowns in
    ``check``). ``protected``: unknown -> the range that must stay possible. ``only``: a set of
    unknowns closed under the sums through cells not shown exactly (a connected component):
    the program is cut down to the sums that touch it, which gives the same intervals there."""
    protected = dict(protected or {})
    last = releases[-1] if releases else None
    if check is None:
        check = [last.var(k) for k, v in last.shown.items() if v == SUPPRESSED] if last else []
    targets = list(dict.fromkeys(check))
    if not targets:
        return AuditResult(())
    lp = _Program(releases, only)
    out = []
    for t in targets:
        lo, lo_why = lp.extreme(t, +1)
        hi, hi_why = lp.extreme(t, -1)
        out.append(CellInterval(t, lo, hi, protected.get(t), tuple(dict.fromkeys(lo_why + hi_why))))
    return AuditResult(tuple(out))


class _Program:
    """The equations and bounds of all the releases, over their unknowns."""

    def __init__(self, releases: Sequence[Release], only: set[Hashable] | None = None) -> None:
        lows: dict[Hashable, float] = {}
        highs: dict[Hashable, float] = {}
        why: dict[Hashable, str] = {}
        rows: dict[tuple[tuple[str, int], ...], Sum] = {}
        for n, rel in enumerate(releases):
            for key, shown in rel.shown.items():
                v = rel.var(key)
                lows.setdefault(v, 0.0)
                highs.setdefault(v, math.inf)
                if shown != SUPPRESSED:
                    lo, hi = rel.rules[key].shown_range(int(shown))
                    if lo > lows[v] or hi < highs[v]:
                        why[v] = f"{key} shown as {shown}" + (f" (table {n + 1})" if len(releases) > 1 else "")
                    lows[v], highs[v] = max(lows[v], lo), min(highs[v], hi)
            for s in rel.sums:
                coef: dict[Hashable, int] = {}
                for key, c in [(s.total, 1)] + [(p, -1) for p in s.parts]:
                    v = rel.var(key)
                    coef[v] = coef.get(v, 0) + c
                    lows.setdefault(v, 0.0)
                    highs.setdefault(v, math.inf)
                if only is not None and not any(v in only for v in coef):
                    continue
                row = tuple(sorted(((repr(v), v, c) for v, c in coef.items() if c), key=lambda t: t[0]))
                if row:
                    rows.setdefault(tuple((r, c) for r, _, c in row), s)
        if only is not None:
            used = {r for key in rows for r, _ in key}
            lows = {v: lo for v, lo in lows.items() if v in only or repr(v) in used}
        self.names = sorted(lows, key=repr)
        self.col = {v: i for i, v in enumerate(self.names)}
        self.bounds = [(lows[v], None if math.isinf(highs[v]) else highs[v]) for v in self.names]
        self.why = why
        self.integer_solves = 0  # extremes the relaxation did not give in whole counts
        by_repr = {repr(v): v for v in self.names}
        self.sums = list(rows.values())
        data, ri, ci = [], [], []
        for r, key in enumerate(rows):
            for rv, c in key:
                data.append(c)
                ri.append(r)
                ci.append(self.col[by_repr[rv]])
        self.a = csr_matrix((data, (ri, ci)), shape=(len(rows), len(self.names))) if rows else None

    def extreme(self, target: Hashable, sense: int) -> tuple[float, tuple[str, ...]]:
        """The lowest (sense +1) or highest (sense -1) value of ``target``, and what holds it there."""
        self.last_x: dict[Hashable, float] | None = None  # the optimal point, when there is one
        if target not in self.col:
            return (0.0 if sense > 0 else math.inf), ()
        c = np.zeros(len(self.names))
        c[self.col[target]] = sense
        kwargs: dict[str, Any] = {"bounds": self.bounds, "method": "highs"}
        if self.a is not None:
            kwargs.update(A_eq=self.a, b_eq=np.zeros(self.a.shape[0]))
        res = linprog(c, **kwargs)
        if res.status == 3:  # unbounded: only upwards, counts are never negative
            return math.inf, ()
        if res.status != 0:
            # Inconsistent figures (they cannot all be true at once): no interval can be claimed.
            raise DisclosureError(f"the published figures are inconsistent ({res.message})")
        x = res.x
        if np.any(np.abs(x - np.round(x)) > EPS):
            # The relaxation's extreme is not a table of whole counts: the counts' own extreme
            # may be further in. Solved again in whole numbers (the LP bounds it, so it is finite).
            x = self._integer_extreme(c)
        self.last_x = dict(zip(self.names, x))
        value = float(round(float(x[self.col[target]])))
        self.integer_solves += x is not res.x
        return value, self._binding(res)

    def _integer_extreme(self, c: Any) -> Any:
        lows = np.array([lo for lo, _ in self.bounds], dtype=float)
        highs = np.array([np.inf if hi is None else hi for _, hi in self.bounds], dtype=float)
        constraints = [] if self.a is None else [LinearConstraint(self.a, 0.0, 0.0)]
        res = milp(
            c,
            integrality=np.ones(len(self.names)),
            bounds=Bounds(lows, highs),
            constraints=constraints,
            options={"mip_rel_gap": 0.0},
        )
        if res.status != 0:
            raise DisclosureError(f"the published figures are inconsistent in whole numbers ({res.message})")
        return res.x

    def _binding(self, res: Any) -> tuple[str, ...]:
        """The sums and shown figures that hold the cell at its extreme (non-zero duals)."""
        out: list[str] = []
        if self.a is not None and res.eqlin is not None:
            for i in np.flatnonzero(np.abs(res.eqlin.marginals) > EPS)[:6]:
                out.append(_describe_sum(self.sums[i]))
        for side in (res.lower, res.upper):
            if side is None:
                continue
            for i in np.flatnonzero(np.abs(side.marginals) > EPS)[:6]:
                v = self.names[i]
                if v in self.why:
                    out.append(self.why[v])
        return tuple(out)


@dataclass(frozen=True)
class Protection:
    published: dict[Hashable, Published]
    audit: AuditResult
    primary: frozenset[Hashable]
    # "minimum" (a proven minimum by mixed-integer programming) or "greedy" (the fallback).
    method: str = "greedy"


MINIMUM = "fewest and smallest cells, a proven minimum by mixed-integer programming (SciPy milp, HiGHS)"
GREEDY = "greedy choice then pruning (irreducible, not proven the fewest)"


def protect_audited(
    cells: Mapping[Hashable, int],
    rules: Mapping[Hashable, Rule],
    sums: Sequence[Sum],
    earlier: Sequence[Release] = (),
    variables: Mapping[Hashable, Hashable] | None = None,
    max_rounds: int = 200,
    method: str = "minimum",
    time_limit: float = 5.0,
) -> Protection:
    """Protect one table (cells under their own rules, tied by ``sums`` across rule groups)
    against itself and every ``earlier`` release, and audit it. ``variables``: the unknown
    each current cell is (its key by default), so that an earlier figure of the same unknown
    is known and one of a revised cell is not. An earlier cell in its release's ``protect``
    (suppressed for its size, revised since) is audited and protected too.

    ``method="minimum"`` (the default): the fewest cells, then the smallest total, that pass the
    audit and leave no small count worked out exactly with rounded figures taken as exact: a
    mixed-integer programme (``disclosure_minimum``) checked by the exact audit, proven optimal.
    If it cannot finish within ``time_limit`` seconds, or ``method="greedy"``, the greedy passes:
    the exact linear-algebra pass; widening, one cell at a time, while the audit finds a range
    too narrow; then pruning: each cell hidden only to protect others, largest first, is
    published again if the audit still passes without it (*irreducible*, not a proven minimum).
    The audit's ``suppression`` says which chose the cells."""
    for k, v in cells.items():
        if v < 0 or int(v) != v:
            raise DisclosureError(f"cell {k!r} is not a count: {v!r}")
    known = set(cells)
    for s in sums:
        missing = [m for m in (s.total, *s.parts) if m not in known]
        if missing:
            raise DisclosureError(f"sum over {s.total!r} names cells that are not in the table: {missing!r}")
    if method not in ("minimum", "greedy"):
        raise DisclosureError(f"unknown suppression method {method!r}")
    variables = dict(variables or {})

    def var(k: Hashable) -> Hashable:
        return variables.get(k, k)

    exact_before = {
        rel.var(k) for rel in earlier for k, v in rel.shown.items() if v != SUPPRESSED and rel.rules[k].rounding == 1
    }
    # Public already: open data, and a count shown exactly before with the value it has now.
    public = {k for k in cells if rules[k].open_data or var(k) in exact_before}
    primary = primary_suppression(cells, rules)
    protected = {var(k): (rules[k].low, rules[k].high) for k in primary}
    for rel in earlier:
        for k, span in rel.protect.items():
            protected.setdefault(rel.var(k), span)
    key_of = {var(k): k for k in cells}

    def shown(hide: set[Hashable]) -> dict[Hashable, Published]:
        return {k: (SUPPRESSED if k in hide else round_to(int(v), rules[k].rounding)) for k, v in cells.items()}

    def check(hide: set[Hashable]) -> list[Hashable]:
        return [var(k) for k in sorted(hide, key=repr)] + [v for v in protected if v not in key_of]

    why_not = ""
    if method == "minimum":
        found, why_not = _minimum(cells, rules, sums, earlier, variables, public, primary, protected, shown, time_limit)
        if found is not None:
            result = audit([*earlier, Release(shown(found), rules, sums, variables)], protected, check=check(found))
            if result.passed:  # always, the minimum was checked by the same audit; kept as a guard
                return Protection(shown(found), replace(result, suppression=MINIMUM), frozenset(primary), "minimum")
            why_not = "the minimum did not pass the audit"
    hidden = secondary_suppression(cells, sums, primary, public)
    graph = _Graph(cells, rules, sums, earlier, var, key_of, public, exact_before)
    result = AuditResult(())
    for _ in range(max_rounds):
        release = Release(shown(hidden), rules, sums, variables)
        result = audit([*earlier, release], protected, check=check(hidden))
        if result.passed:
            break
        added = False
        for failure in result.failures:
            lo, hi = protected[failure.cell]
            need = max(hi - failure.high, failure.low - lo, 1)
            chosen = graph.widen(failure.cell, need, hidden)
            if chosen is not None:
                hidden.add(chosen)
                added = True
                break  # one at a time: a cell added for one often protects the others
        if not added:
            # Nothing near enough: hide every cell tied to a failing one (pruning then publishes
            # again what is not needed). If even that fails, earlier versions pin the cell.
            everything = set(cells) - public
            for failure in result.failures:
                near = graph.component(failure.cell, everything)
                more = {graph.key_of[u] for u in near if u in graph.key_of} - public - hidden
                hidden |= more
                added = added or bool(more)
        if not added:
            break
    if result.passed:
        before = set(hidden)
        hidden = _prune(hidden, primary, cells, sums, earlier, variables, rules, protected, graph, shown)
        if hidden != before:
            result = audit([*earlier, Release(shown(hidden), rules, sums, variables)], protected, check=check(hidden))
    note = GREEDY + (f"; the minimum was not used: {why_not}" if why_not else "")
    return Protection(shown(hidden), replace(result, suppression=note), frozenset(primary), "greedy")


def _minimum(
    cells: Mapping[Hashable, int],
    rules: Mapping[Hashable, Rule],
    sums: Sequence[Sum],
    earlier: Sequence[Release],
    variables: Mapping[Hashable, Hashable],
    public: set[Hashable],
    primary: set[Hashable],
    protected: Mapping[Hashable, tuple[int, int]],
    shown: Any,
    time_limit: float,
) -> tuple[set[Hashable] | None, str]:
    """The minimum set of current cells to hide (``disclosure_minimum``), or None and why not."""
    if not protected:
        return set(), ""
    candidates_keys = [k for k in cells if k not in public]
    # Everything that may be hidden hidden: what remains shown (public cells, earlier versions)
    # bounds each unknown whatever is chosen now.
    loosest = _Program([*earlier, Release(shown(set(candidates_keys)), rules, sums, variables)])
    col = loosest.col
    rows: list[dict[int, int]] = []
    if loosest.a is not None:
        a = loosest.a.tocsr()
        for r in range(a.shape[0]):
            lo_, hi_ = a.indptr[r], a.indptr[r + 1]
            rows.append({int(j): int(v) for j, v in zip(a.indices[lo_:hi_], a.data[lo_:hi_])})
    bounds = [(float(lo), math.inf if hi is None else float(hi)) for lo, hi in loosest.bounds]
    candidates: dict[int, tuple[int, int, int]] = {}
    key_at: dict[int, Hashable] = {}
    for k in candidates_keys:
        j = col[variables.get(k, k)]
        slo, shi = rules[k].shown_range(round_to(int(cells[k]), rules[k].rounding))
        candidates[j] = (slo, shi, int(cells[k]))
        key_at[j] = k
    problem = Problem(
        names=loosest.names,
        rows=rows,
        bounds=bounds,
        candidates=candidates,
        forced=frozenset(col[variables.get(k, k)] for k in primary),
        protected={col[v]: span for v, span in protected.items() if v in col},
        current_rows=[tuple(dict.fromkeys(col[variables.get(k, k)] for k in (s.total, *s.parts))) for s in sums],
        exact=frozenset(col[variables.get(k, k)] for k in candidates_keys if rules[k].rounding == 1),
    )
    if len(problem.protected) < len(protected):
        return None, "a protected count is in no table"

    def verify(hidden_cols: set[int]) -> set[int]:
        hide = {key_at[j] for j in hidden_cols}
        result = audit([*earlier, Release(shown(hide), rules, sums, variables)], protected, check=list(protected))
        exposed = {col[i.cell] for i in result.failures}
        # No small count worked out exactly from this version's sums, rounded figures taken as exact.
        exposed |= {col[variables.get(k, k)] for k in recoverable(sums, hide - public) & primary}
        return exposed

    found = minimum_hiding(problem, verify, time_limit=time_limit)
    if found.hidden is None:
        return None, found.reason
    return {key_at[j] for j in found.hidden}, ""


class _Graph:
    """The sums of every release over their unknowns, to find the cells near a suppressed one."""

    def __init__(
        self,
        cells: Mapping[Hashable, int],
        rules: Mapping[Hashable, Rule],
        sums: Sequence[Sum],
        earlier: Sequence[Release],
        var: Any,
        key_of: Mapping[Hashable, Hashable],
        public: set[Hashable],
        exact_before: set[Hashable],
    ) -> None:
        self.cells, self.rules, self.key_of, self.public, self.exact_before = cells, rules, key_of, public, exact_before
        rows: dict[tuple[Hashable, ...], None] = {}
        for s in sums:
            rows.setdefault(tuple(dict.fromkeys(var(k) for k in (s.total, *s.parts))), None)
        for rel in earlier:
            for s in rel.sums:
                rows.setdefault(tuple(dict.fromkeys(rel.var(k) for k in (s.total, *s.parts))), None)
        # The sums each unknown is in, smallest first: the cell that most directly gives a
        # suppressed one away is in its smallest sum (a year-to-date figure minus the one before).
        self.sums_of: dict[Hashable, list[tuple[Hashable, ...]]] = {}
        for row in sorted(rows, key=len):
            for v in row:
                self.sums_of.setdefault(v, []).append(row)

    def loose(self, v: Hashable, hidden: set[Hashable]) -> bool:
        """Not shown exactly anywhere: suppressed, rounded, or an earlier cell not shown exactly."""
        if v in self.exact_before:
            return False
        k = self.key_of.get(v)
        if k is None:
            return True
        return k in hidden or self.rules[k].rounding > 1

    def component(self, start: Hashable, hidden: set[Hashable]) -> set[Hashable]:
        """The unknowns tied to ``start`` through sums of cells not shown exactly: outside it,
        the linear program does not change when ``start`` is shown or hidden."""
        seen = {start}
        todo = [start]
        while todo:
            v = todo.pop()
            for row in self.sums_of.get(v, []):
                for m in row:
                    if m not in seen and self.loose(m, hidden):
                        seen.add(m)
                        todo.append(m)
        return seen

    def widen(self, target: Hashable, need: float, hidden: set[Hashable]) -> Hashable | None:
        """A published cell whose suppression gives ``target`` (an unknown) room: in the smallest
        sum with the target, the smallest cell of at least the missing room (else the largest
        there is); failing that, the same one step further out (a sum of the sums' other hidden
        cells)."""

        def order(k: Hashable) -> tuple[bool, int, str]:
            v = self.cells[k]
            return (v < need, v if v >= need else -v, repr(k))

        frontier = [target]
        seen = {target}
        for _ in range(4):
            candidates: list[Hashable] = []
            following: list[Hashable] = []
            for t in frontier:
                for row in self.sums_of.get(t, []):
                    for m in row:
                        k = self.key_of.get(m)
                        if k is not None and k in self.public:
                            continue
                        if k is not None and k not in hidden:
                            candidates.append(k)
                        elif m not in seen and self.loose(m, hidden):
                            seen.add(m)
                            following.append(m)
            if candidates:
                return min(candidates, key=order)
            frontier = following
            if not frontier:
                return None
        return None


def _prune(
    hidden: set[Hashable],
    primary: set[Hashable],
    cells: Mapping[Hashable, int],
    sums: Sequence[Sum],
    earlier: Sequence[Release],
    variables: Mapping[Hashable, Hashable],
    rules: Mapping[Hashable, Rule],
    protected: Mapping[Hashable, tuple[int, int]],
    graph: _Graph,
    shown: Any,
) -> set[Hashable]:
    """Publish again each cell hidden only to protect others, largest first (ties by key), when
    every protected count near it keeps its whole range and none is determined exactly without
    it. Showing a cell only adds constraints, so an extreme point found before that already has
    the cell at a value it could be shown as stays the extreme: only the others are solved again,
    each over the connected component of the cell tried (elsewhere nothing changes)."""
    hidden = set(hidden)

    def solve(lp: _Program, t: Hashable, sense: int) -> tuple[float, dict[Hashable, float] | None]:
        value, _ = lp.extreme(t, sense)
        return value, lp.last_x

    def ok(t: Hashable, sense: int, value: float) -> bool:
        lo, hi = protected[t]
        return value <= lo + EPS if sense > 0 else value >= hi - EPS

    full = _Program([*earlier, Release(shown(hidden), rules, sums, variables)])
    points: dict[tuple[Hashable, int], dict[Hashable, float] | None] = {}
    for t in protected:
        for sense in (1, -1):
            points[(t, sense)] = solve(full, t, sense)[1]
    for k in sorted(hidden - primary, key=lambda k: (-cells[k], repr(k))):
        v = variables.get(k, k)
        near = graph.component(v, hidden)
        trial = hidden - {k}
        targets = [u for u in near if u in protected]
        if not targets:
            hidden = trial
            continue
        keys = {graph.key_of[u] for u in near if u in graph.key_of}
        local = [s for s in sums if s.total in keys or any(p in keys for p in s.parts)]
        if recoverable(local, (trial & keys) - graph.public) & primary:
            continue
        lo, hi = rules[k].shown_range(round_to(int(cells[k]), rules[k].rounding))
        stale = []
        for t in sorted(targets, key=repr):
            for sense in (1, -1):
                x = points.get((t, sense))
                if x is None or not (lo - EPS <= x.get(v, lo) <= hi + EPS):
                    stale.append((t, sense))
        new: dict[tuple[Hashable, int], dict[Hashable, float] | None] = {}
        if stale:
            lp = _Program([*earlier, Release(shown(trial), rules, sums, variables)], near)
            for t, sense in stale:
                value, x = solve(lp, t, sense)
                if not ok(t, sense, value):
                    break
                old = points.get((t, sense)) or {}
                new[(t, sense)] = None if x is None else {**old, **x}
            else:
                stale = []
        if stale:
            continue  # a protected count would lose part of its range
        points.update(new)
        hidden = trial
    return hidden
