"""An attacker of published versions, written independently of saferhub's own audit: read the
public figures of one or more versions, write down every sum the tables obey (running year to
date, categories and their total, quarters of months), bound each cell by what is shown
(exact, or the range a rounded figure comes from), and ask a linear program how far each
suppressed cell can move. Later versions win: a cell shown again takes its newest value."""

from __future__ import annotations

from typing import Iterable

import numpy as np
from scipy.optimize import linprog

from saferhub.domain.calendar import Quarter
from saferhub.publishing.figures import cell_key

SUPPRESSED = "[c]"


def _fact(value: object, rounding: int, low: int, high: int) -> tuple[float, float]:
    """The values a shown figure can come from: itself, or (rounded to ``rounding``, with
    ``low``-``high`` suppressed) the counts that round to it and are not suppressed."""
    v = int(value)  # type: ignore[arg-type]
    if rounding == 1:
        return v, v
    half = rounding // 2
    lo, hi = max(0, v - half), v + half
    if v == 0:
        return 0, 0  # 1-2 would have been suppressed, not rounded to 0
    return max(lo, high + 1) if lo <= high else lo, hi


def read(figures: dict) -> tuple[dict, set, list[tuple[str, tuple[str, ...]]], dict]:
    """(facts, suppressed cells, running sums, level of each indicator) of one version."""
    facts: dict = {}
    hidden: set = set()
    sums: list = []
    levels: dict = {}
    for ind in figures["indicators"]:
        if ind["unit"] != "count":
            continue
        code = ind["code"]
        levels[code] = ind["level"]
        sensitive = ind["rule"].startswith("sensitive")
        rounding, low, high = (5, 1, 9) if sensitive else (1, 1, 4)
        if ind["rule"].startswith("open"):
            rounding, low, high = 1, 1, 0
        for back, field, cum in ((0, "value", "cumulative"), (1, "previous", "previous_cumulative")):
            parts: list[str] = []
            for row in ind["rows"]:
                if row[field] is None:
                    break
                n = cell_key(code, "n", row["period"], back)
                parts.append(n)
                for key, v in ((n, row[field]), (cell_key(code, "ytd", row["period"], back), row[cum])):
                    if v == SUPPRESSED:
                        hidden.add(key)
                        facts.pop(key, None)
                    elif v is not None:
                        facts[key] = _fact(v, rounding, low, high)
                        hidden.discard(key)
                if row[cum] is not None:
                    sums.append((cell_key(code, "ytd", row["period"], back), tuple(parts)))
    return facts, hidden, sums, levels


def category_sums(total: str, parts: Iterable[str], keys: set, levels: dict) -> list[tuple[str, tuple[str, ...]]]:
    """total = sum of parts, period by period; a quarterly total over monthly parts takes the
    quarter's months (and, for the year to date, the quarter's last month)."""
    parts = list(parts)
    out = []
    for key in sorted(k for k in keys if k.startswith(total + "|")):
        _, kind, label = key.split("|")
        members: list[str] = []
        for p in parts:
            if levels.get(p) == "quarter" or "Q" not in label:
                members.append(f"{p}|{kind}|{label}")
            elif kind == "n":
                members += [f"{p}|n|{m.label}" for m in Quarter.parse(label).months()]
            else:
                members.append(f"{p}|ytd|{Quarter.parse(label).months()[-1].label}")
        if all(m in keys for m in members):
            out.append((key, tuple(members)))
    return out


def intervals(versions: list[dict], categories: dict[str, list[str]] | None = None) -> dict[str, tuple[float, float]]:
    """How far each cell suppressed in the last version can move, given all the versions."""
    facts: dict = {}
    hidden: set = set()
    sums: list = []
    levels: dict = {}
    for figures in versions:
        f, h, s, lv = read(figures)
        for k in h:
            facts.pop(k, None)
        facts.update(f)
        hidden = h
        sums += s
        levels.update(lv)
    keys = set(facts) | set(hidden) | {m for t, ps in sums for m in (t, *ps)}
    for total, parts in (categories or {}).items():
        sums += category_sums(total, parts, keys, levels)
    names = sorted(keys)
    col = {k: i for i, k in enumerate(names)}
    a = np.zeros((len(sums), len(names)))
    for r, (t, ps) in enumerate(sums):
        a[r, col[t]] += 1
        for p in ps:
            a[r, col[p]] -= 1
    bounds = [facts.get(k, (0, None)) for k in names]
    out = {}
    for k in sorted(hidden):
        c = np.zeros(len(names))
        c[col[k]] = 1
        lo = linprog(c, A_eq=a, b_eq=np.zeros(len(sums)), bounds=bounds, method="highs")
        hi = linprog(-c, A_eq=a, b_eq=np.zeros(len(sums)), bounds=bounds, method="highs")
        assert lo.status in (0, 3) and hi.status in (0, 3), (k, lo.message, hi.message)
        out[k] = (lo.fun if lo.status == 0 else float("-inf"), -hi.fun if hi.status == 0 else float("inf"))
    return out


def narrowed(
    versions: list[dict],
    true: dict[str, int],
    low: int,
    high: int,
    categories: dict[str, list[str]] | None = None,
    prefix: str = "",
) -> dict[str, tuple[float, float]]:
    """The suppressed cells whose true count is in ``low``-``high`` but whose interval does not
    cover that whole range: what the attacker has learnt."""
    out = {}
    for k, (lo, hi) in intervals(versions, categories).items():
        if (
            k.startswith(prefix)
            and k in true
            and low <= true[k] <= high
            and not (lo <= low + 1e-6 and hi >= high - 1e-6)
        ):
            out[k] = (lo, hi)
    return out
