"""Statistical disclosure control for published counts.

A table to publish is a set of *cells* (key -> non-negative count) and the *sums* that tie them
together: a quarter is the sum of its months, a year-to-date figure the sum of the months so far,
"all crime" the sum of its categories. Protecting it takes three steps:

1. **Primary suppression**: a count in the rule's sensitive range (1-4 by default) shows as
   ``"[c]"``. Zero is published: it reveals no one.
2. **Secondary suppression**: a suppressed cell must not be recoverable from the published ones
   by any linear combination of the sums (a total minus its other parts, a year-to-date figure
   minus the previous one, all crime minus the other categories, or chains of these). While a
   suppressed cell can still be worked out, the smallest published cell that shares a sum with it
   is suppressed too.
3. **Rounding** (sensitive rules): the published counts are rounded to the nearest 5.

Whether a cell can be worked out is exact linear algebra: write every sum as a row
``total - part_1 - ... - part_n = 0`` over the suppressed cells only (the published ones are
known constants). A suppressed cell is determined exactly when the unit vector of its column lies
in the row space of that matrix, which (in reduced row echelon form) means one of the rows *is*
that unit vector. Arithmetic is in exact fractions.

>>> cells = {"a": 3, "b": 10, "c": 12, "t": 25}
>>> protect(cells, [Sum("t", ("a", "b", "c"))], STANDARD)
{'a': '[c]', 'b': '[c]', 'c': 12, 't': 25}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Hashable, Iterable, Mapping, Sequence, TypeVar, Union

from .problems import SaferhubError

__all__ = [
    "DisclosureError",
    "SUPPRESSED",
    "Rule",
    "STANDARD",
    "SENSITIVE",
    "OPEN_DATA",
    "Sum",
    "Published",
    "round_to",
    "primary_suppression",
    "recoverable",
    "secondary_suppression",
    "protect",
    "running_sums",
]


class DisclosureError(SaferhubError, ValueError):
    """A table, rule or method that disclosure control cannot work with."""


SUPPRESSED = "[c]"

K = TypeVar("K", bound=Hashable)
Published = Union[int, str]


@dataclass(frozen=True)
class Rule:
    """A named disclosure rule: counts from ``low`` to ``high`` are suppressed; published counts
    are rounded to the nearest ``rounding`` (1: not rounded)."""

    name: str
    low: int = 1
    high: int = 4
    rounding: int = 1
    description: str = field(default="", compare=False)
    # Figures already public elsewhere, row by row (police.uk's open street-level data):
    # published as they are, never suppressed, never chosen to hide another cell.
    open_data: bool = False

    def __post_init__(self) -> None:
        if not (1 <= self.low <= self.high) or self.rounding < 1:
            raise DisclosureError(f"invalid disclosure rule {self!r}")

    def suppresses(self, n: int) -> bool:
        return not self.open_data and self.low <= n <= self.high

    def parameters(self) -> dict[str, int]:
        if self.open_data:
            return {"suppress_from": 0, "suppress_to": 0, "round_to": 1}
        return {"suppress_from": self.low, "suppress_to": self.high, "round_to": self.rounding}

    def shown_range(self, shown: int) -> tuple[int, int]:
        """The counts a figure published under this rule can come from: itself, or (rounded)
        the counts that round to it and would not have been suppressed.

        >>> SENSITIVE.shown_range(15), SENSITIVE.shown_range(10), SENSITIVE.shown_range(0)
        ((13, 17), (10, 12), (0, 0))
        """
        if self.rounding == 1:
            return shown, shown
        low = shown - self.rounding // 2
        high = shown + (self.rounding - 1) // 2
        candidates = [
            n for n in range(max(0, low), high + 1) if round_to(n, self.rounding) == shown and not self.suppresses(n)
        ]
        return (min(candidates), max(candidates)) if candidates else (shown, shown)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "parameters": self.parameters(), "description": self.description}


STANDARD = Rule(
    "small-numbers-1-4",
    1,
    4,
    1,
    "Counts of 1 to 4 are suppressed; cells from which a suppressed count could be worked out are suppressed too.",
)
OPEN_DATA = Rule(
    "police-uk-open-data",
    1,
    4,
    1,
    "Counts made from police.uk's open street-level data, which is public row by row: published as they are.",
    open_data=True,
)
SENSITIVE = Rule(
    "sensitive-1-9-round-5",
    1,
    9,
    5,
    "Sensitive indicators: published by quarter only; counts of 1 to 9 are suppressed, cells from "
    "which one could be worked out are suppressed too, and the rest are rounded to the nearest 5.",
)


@dataclass(frozen=True)
class Sum:
    """``total`` is the sum of ``parts`` (an additive relation the published table obeys)."""

    total: Hashable
    parts: tuple[Hashable, ...]


def round_to(n: int, base: int) -> int:
    """Round a non-negative count to the nearest multiple of ``base``, halves upwards.

    >>> [round_to(n, 5) for n in (10, 12, 13, 17, 18)]
    [10, 10, 15, 15, 20]
    """
    if n < 0:
        raise DisclosureError("counts are never negative")
    return ((2 * n + base) // (2 * base)) * base


def primary_suppression(cells: Mapping[K, int], rule: Rule | Mapping[K, Rule]) -> set[K]:
    """The cells the rule (one for all, or each cell's own) suppresses for their size."""
    if isinstance(rule, Rule):
        return {k for k, v in cells.items() if rule.suppresses(v)}
    return {k for k, v in cells.items() if rule[k].suppresses(v)}


def _rows(sums: Sequence[Sum], unknown: Mapping[Hashable, int]) -> list[dict[int, Fraction]]:
    """Each sum as a sparse row over the unknown cells' column numbers."""
    rows = []
    for s in sums:
        row: dict[int, Fraction] = {}
        for key, coef in [(s.total, 1)] + [(p, -1) for p in s.parts]:
            if key in unknown:
                col = unknown[key]
                row[col] = row.get(col, Fraction(0)) + coef
        row = {c: v for c, v in row.items() if v != 0}
        if row:
            rows.append(row)
    return rows


def _subtract_multiple(row: dict[int, Fraction], factor: Fraction, other: dict[int, Fraction]) -> None:
    """row -= factor * other, in place, keeping the rows sparse (no zero entries)."""
    for c, v in other.items():
        nv = row.get(c, Fraction(0)) - factor * v
        if nv:
            row[c] = nv
        else:
            row.pop(c, None)


def _determined_columns(rows: list[dict[int, Fraction]]) -> set[int]:
    """Columns whose unit vector lies in the row space: reduce to echelon form and read off
    the rows with a single non-zero entry."""
    basis: dict[int, dict[int, Fraction]] = {}  # pivot column -> row, pivot normalised to 1
    for row in rows:
        row = dict(row)
        for pivot, prow in basis.items():
            if pivot in row:
                _subtract_multiple(row, row[pivot], prow)
        if not row:
            continue
        pivot = min(row)
        inv = 1 / row[pivot]
        row = {c: v * inv for c, v in row.items()}
        # Keep the basis fully reduced: eliminate the new pivot from the older rows.
        for p, prow in basis.items():
            if pivot in prow:
                _subtract_multiple(prow, prow[pivot], row)
        basis[pivot] = row
    return {p for p, row in basis.items() if len(row) == 1}


def recoverable(sums: Sequence[Sum], suppressed: Iterable[K]) -> set[K]:
    """The suppressed cells that the published cells and the sums determine exactly."""
    keys = sorted(set(suppressed), key=repr)
    unknown: dict[Hashable, int] = {k: i for i, k in enumerate(keys)}
    return {keys[c] for c in _determined_columns(_rows(sums, unknown))}


def secondary_suppression(
    cells: Mapping[K, int], sums: Sequence[Sum], suppressed: Iterable[K], public: Iterable[K] = ()
) -> set[K]:
    """Extend ``suppressed`` until no suppressed cell can be recovered. Greedy and
    deterministic: for a recoverable cell, suppress the smallest published non-zero cell of the
    smallest sum it is in (a zero if nothing else; ties by key). ``public`` cells were published before
    (in an earlier version): hiding them now would protect nothing, so they are never chosen."""
    out: set[Hashable] = set(public)
    hidden: set[Any] = set(suppressed)
    if not hidden:
        return hidden
    # The sums each cell is in, smallest first: the cell that most directly gives a suppressed
    # one away is in its smallest sum (a year-to-date figure minus the one before it).
    sums_of: dict[Hashable, list[Sum]] = {}
    for s in sorted(sums, key=lambda s: len(s.parts)):
        for m in dict.fromkeys((s.total, *s.parts)):
            sums_of.setdefault(m, []).append(s)
    while True:
        exposed = recoverable(sums, hidden - out)
        if not exposed:
            return hidden
        # Hide one more cell for each exposed one per round, skipping those that share a sum
        # with a cell handled this round (the next round checks them): a round is an
        # elimination over the whole table, so one cell per round would be slow.
        near_new: set[Hashable] = set()
        for target in sorted(exposed, key=repr):
            if target in near_new:
                continue
            chosen = _cover(target, cells, sums_of, hidden | out)
            if chosen is None:
                return hidden  # nothing left to hide: only a structural zero can end here
            hidden.add(chosen)
            for k in (target, chosen):
                for t in sums_of.get(k, []):
                    near_new.update((t.total, *t.parts))


def _cover(
    target: Hashable, cells: Mapping[Any, int], sums_of: Mapping[Hashable, list[Sum]], unavailable: set[Hashable]
) -> Hashable | None:
    """The cell to hide for an exposed one: the smallest published non-zero cell of the
    smallest sum it is in (a zero if nothing else; ties by key)."""

    def order(k: Hashable) -> tuple[bool, int, str]:
        return (cells[k] == 0, cells[k], repr(k))

    for s in sums_of.get(target, []):
        candidates = [k for k in dict.fromkeys((s.total, *s.parts)) if k not in unavailable and k in cells]
        if candidates:
            return min(candidates, key=order)
    rest = [k for k in cells if k not in unavailable]
    return min(rest, key=order) if rest else None


def protect(cells: Mapping[K, int], sums: Sequence[Sum], rule: Rule, public: Iterable[K] = ()) -> dict[K, Published]:
    """The published table: each cell's count (rounded by the rule) or ``"[c]"``. ``public``:
    cells an earlier publication already showed (see ``secondary_suppression``)."""
    for k, v in cells.items():
        if v < 0 or int(v) != v:
            raise DisclosureError(f"cell {k!r} is not a count: {v!r}")
    known = set(cells)
    for s in sums:
        missing = [m for m in (s.total, *s.parts) if m not in known]
        if missing:
            raise DisclosureError(f"sum over {s.total!r} names cells that are not in the table: {missing!r}")
    hidden = secondary_suppression(cells, sums, primary_suppression(cells, rule), public)
    return {k: (SUPPRESSED if k in hidden else round_to(int(v), rule.rounding)) for k, v in cells.items()}


def running_sums(parts: Sequence[Hashable], totals: Sequence[Hashable]) -> list[Sum]:
    """``totals[i]`` is the sum of ``parts[: i + 1]``: year-to-date figures over months.

    >>> running_sums(["apr", "may"], ["ytd-apr", "ytd-may"])
    [Sum(total='ytd-apr', parts=('apr',)), Sum(total='ytd-may', parts=('apr', 'may'))]
    """
    if len(parts) != len(totals):
        raise DisclosureError("one running total per part")
    return [Sum(t, tuple(parts[: i + 1])) for i, t in enumerate(totals)]
