"""The public figures of a report, without a database: category sums across police.uk
indicators and the sensitive closure."""

from __future__ import annotations

import random
from decimal import Decimal

from saferhub.domain.calendar import Month
from saferhub.domain.disclosure import SUPPRESSED, Sum
from saferhub.domain.report import IndicatorEntry, PerformanceReport, PeriodRow, YearToDate
from saferhub.domain.status import Polarity, Status
from saferhub.publishing.figures import _category_sums, _cells_for, public_figures, release_of, sensitive_codes
from saferhub.rendering.published_json import figures_json, read_figures
from tests.domain.test_disclosure import difference_attack, rank_attack

MONTHS = ["2016-04", "2016-05", "2016-06", "2016-07"]
TYPES = {"burglary": [5, 2, 7, 9], "robbery": [1, 6, 0, 8], "vehicle-crime": [12, 11, 3, 10]}


def _n(v):
    return None if v is None else Decimal(v)


def entry(code, types, cur, prev):
    rows, c, p = [], 0, 0
    for m, a, b in zip(MONTHS, cur, prev):
        c, p = c + a, p + b
        rows.append(
            PeriodRow(
                period=Month.parse(m),
                value=_n(a),
                previous=_n(b),
                change=None,
                cumulative=_n(c),
                previous_cumulative=_n(p),
                target=None,
                target_cumulative=None,
                gap=None,
                due=True,
            )
        )
    return IndicatorEntry(
        code=code,
        title=code,
        polarity=Polarity.LOWER_IS_BETTER,
        frequency="monthly",
        unit="count",
        source="",
        source_label="",
        crime_types=tuple(types),
        owner="",
        notes="",
        target_kind=None,
        periods=tuple(rows),
        ytd=YearToDate(None, None, None, None, None, "count", None, None),
        cumulative_pooled=True,
        status=Status.NO_DATA,
        commentary="",
        spc_reading=None,
        spc=None,
        significance=None,
        missing_periods=(),
        data_notes=(),
    )


def report(seed=0):
    rnd = random.Random(seed)
    entries, prevs = [], {}
    for t, cur in TYPES.items():
        prevs[t] = [rnd.choice([0, 2, 4, 6, 9, 14]) for _ in MONTHS]
        entries.append(entry(t, [t], cur, prevs[t]))
    total_cur = [sum(TYPES[t][i] for t in TYPES) for i in range(len(MONTHS))]
    total_prev = [sum(prevs[t][i] for t in TYPES) for i in range(len(MONTHS))]
    entries.append(entry("sac", list(TYPES), total_cur, total_prev))
    return PerformanceReport(
        partnership="x",
        partnership_name="X",
        period=Month(2016, 7),
        indicators=tuple(entries),
        sources=(),
        datasets=(),
        police_forces_by_month=(),
    )


def all_cells_and_sums(rep):
    cells, sums = {}, []
    for e in rep.indicators:
        c, s = _cells_for(e.code, e.periods)
        cells.update(c)
        sums += s
    return cells, sums + _category_sums(rep.indicators, cells)


def published_cells(rep, figures):
    out = {}
    for ind in figures.indicators:
        for row in ind.rows:
            p = row.period.label
            prev = f"{int(p[:4]) - 1}{p[4:]}"
            out[f"{ind.code}|n|{p}"] = row.value
            out[f"{ind.code}|ytd|{p}"] = row.cumulative
            out[f"{ind.code}|n|{prev}"] = row.previous
            out[f"{ind.code}|ytd|{prev}"] = row.previous_cumulative
    return out


def test_a_total_of_categories_cannot_give_a_category_away():
    for seed in range(10):
        rep = report(seed)
        cells, sums = all_cells_and_sums(rep)
        assert any(isinstance(s, Sum) and s.total == "sac|n|2016-05" for s in sums)
        shown = published_cells(rep, public_figures(rep, sensitive=[]))
        assert set(shown) == set(cells)
        assert shown["robbery|n|2016-04"] == SUPPRESSED
        assert difference_attack(shown, sums) == {} and rank_attack(shown, sums) == set()


def test_a_total_counting_a_sensitive_type_is_sensitive_too():
    rep = report()
    assert sensitive_codes(rep.indicators, {"robbery"}) == {"robbery", "sac"}
    figures = public_figures(rep, sensitive=["robbery"])
    levels = {i.code: (i.level, i.rule.name) for i in figures.indicators}
    assert levels["sac"] == ("quarter", "sensitive-1-9-round-5") and levels["burglary"][0] == "month"


def test_cells_published_earlier_are_not_used_to_hide_others():
    rep = report()
    first = public_figures(rep, sensitive=[])
    again = public_figures(rep, sensitive=[], earlier=[release_of(first)])
    assert again.cells == first.cells  # the same data gives the same table


def test_a_version_stored_before_the_sums_were_is_read_with_its_running_sums():
    rep = report()
    new = public_figures(rep, sensitive=[])
    old = {k: v for k, v in figures_json(new).items() if k not in ("sums", "suppressed")}  # as schema 1 stored it
    old["schema_version"] = 1
    a, b = release_of(new), release_of(read_figures(old))
    assert a.shown == b.shown and {k for k, v in b.shown.items() if v == SUPPRESSED} == set(new.suppressed)
    running = {(s.total, s.parts) for s in a.sums if "|ytd|" in str(s.total) and all("|n|" in p for p in s.parts)}
    assert running and running == {(s.total, s.parts) for s in b.sums}
