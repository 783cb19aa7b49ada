"""XmR statistical process control charts, as NHS England's "Making Data Count" draws them.

This follows the open reference implementation, the R package NHSRplotthedots (GitHub
nhs-r-community/NHSRplotthedots, the 0.2.x line with its bug fixes for issues #143, #167 and
#171). The files it mirrors are ``R/ptd_spc_standard.R`` (limits), ``R/ptd_calculate_point_type.R``
(rules and point types), ``R/ptd_calculate_assurance_type.R`` (assurance), ``R/geom_ptd_icon.R``
(variation icon), ``R/ptd_add_rebase_column.R`` (rebasing) and ``R/ptd_spc_options.R``
(validation).

Limits, per segment (a segment starts at the first point and at each rebase index):

* The limits are computed from the segment's first ``baseline`` points (all its points when no
  baseline is given); the reference's ``fix_after_n_points``, which must be at least 12.
* centre line = the mean of those points; moving ranges ``|x[i] - x[i-1]|`` between them;
  ``mrbar`` = their mean.
* Screening (the reference's ``screen_outliers = TRUE``, its default): a moving range is kept
  only when it is *strictly less* than ``3.267 * mrbar``; ``mrbar`` is then recomputed once from
  the kept ranges.
* Process limits ``mean -/+ 2.66 * mrbar``; the 2-sigma lines ``mean -/+ (2 * (2.66 / 3)) * mrbar``
  (the same floating-point expression as the reference).

Rules, evaluated within each segment (runs never cross a rebase), on every point of the segment,
including the points after the baseline:

* ``outside_limits``: the value is strictly above the upper or strictly below the lower limit.
* ``shift``: seven or more consecutive points on the same side of the mean. A point exactly on
  the mean is on neither side and breaks the run. Six is not enough.
* ``trend``: seven or more consecutive points each strictly higher (or each strictly lower) than
  the one before; i.e. six consecutive rises. An equal consecutive value breaks the trend. A
  trend may cross the mean.
* ``two_in_three``: at least two of three consecutive points are "close to the limits"
  (strictly beyond a 2-sigma line but *not* outside the process limits) and all three points
  of that window are on the same side of the mean (none on the mean). Only the close points
  themselves are flagged, not the third point of the window. A point outside the process
  limits does not count towards this rule (it is flagged by ``outside_limits`` instead).

Each flagged point gets one direction, with the reference's precedence: outside the limits
(above or below), then a trend (increasing or decreasing; a point in a trend takes the
direction of the step to its right when the next point is in the trend too, otherwise of the
step to its left), then two-in-three, then a shift (above or below the mean). The direction
and the polarity give the point type: ``special_cause_improvement``/``special_cause_concern``,
or for a neutral polarity ``special_cause_neutral_high``/``special_cause_neutral_low``.

The variation icon is the type of the *last point* of the series (the reference's
``ptd_get_icons``): ``improvement_high``/``concern_low`` when higher is better,
``improvement_low``/``concern_high`` when lower is better, ``neutral_high``/``neutral_low``, or
``common_cause``.

Assurance (only with a target and a non-neutral polarity) compares the target with the limits
at the last point, i.e. those of the last segment: a target strictly above the upper limit is
``consistent_fail`` when higher is better and ``consistent_pass`` when lower is better; strictly
below the lower limit the reverse; otherwise ``inconsistent``.

Where this module differs from the reference:

1. Indices, not dates: rebasing is given as point indices (a segment starts at each index),
   not as dates. An index of 0 changes nothing, as in the reference; an index outside the
   series is an error here (the reference ignores a date it does not find).
2. A segment whose moving ranges are all zero (all-equal values): the reference's strict
   ``mr < 3.267 * mrbar`` screens out every range, and its limits become ``NaN``. Here the
   screening is skipped when ``mrbar`` is 0, so ``mrbar`` stays 0 and every limit equals the
   mean; a later (post-baseline) point that differs from that mean is then outside the limits.
   Points on the mean are not outside.
3. A segment with a single point has no moving range: the reference gets ``NaN`` limits; here
   they are ``None`` (JSON null). No rule can fire on such a segment and assurance against it
   is ``inconsistent`` (as the reference's ``case_when`` falls through on ``NA``).
4. Means are correctly rounded (computed exactly, then rounded once); R sums in long double,
   which agrees except in rare last-bit cases.
5. The reference warns when a segment has fewer than 13 points ("trial limits"); here that is
   ``Segment.short``, and not part of the JSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from .problems import SaferhubError
from .status import Polarity

__all__ = [
    "POLARITIES",
    "NEUTRAL",
    "spc_polarity",
    "MIN_BASELINE",
    "SHORT_SEGMENT",
    "Segment",
    "Point",
    "SpcResult",
    "xmr",
    "variation_icon",
    "SpcError",
]


class SpcError(SaferhubError, ValueError):
    """A series, baseline, target or polarity that the chart cannot be drawn from."""


# The reference's constants (R/ptd_spc_standard.R).
LIMIT = 2.66
LIMIT_CLOSE = 2 * (LIMIT / 3)
SCREEN = 3.267
RUN = 7  # points in a shift or a trend (R/ptd_calculate_point_type.R)
MIN_BASELINE = 12  # fix_after_n_points >= 12 (R/ptd_spc_options.R)
SHORT_SEGMENT = 13  # ptd_add_short_group_warnings: warning when n < 13

# The polarity is the indicators' own (status.Polarity), whose ``direction`` is the reference's
# improvement_direction (increase 1, decrease -1, neither 0). The reference calls "neither"
# "neutral": that is the indicators' monitor_only (reported, not judged), and the spc command
# accepts the reference's word for it too. POLARITIES are the words xmr accepts.
NEUTRAL = "neutral"
POLARITIES: tuple[str, ...] = (*(p.value for p in Polarity), NEUTRAL)


def spc_polarity(word: str) -> Polarity:
    """The polarity a word names: a status.Polarity value, or the reference's "neutral" (monitor only)."""
    if word == NEUTRAL:
        return Polarity.MONITOR_ONLY
    if word not in POLARITIES:
        raise SpcError(f"polarity must be one of {', '.join(POLARITIES)}; got {word!r}")
    return Polarity(word)


RULES = ("outside_limits", "shift", "trend", "two_in_three")


@dataclass(frozen=True)
class Segment:
    start: int
    end: int  # inclusive
    mean: float
    mrbar: float | None
    lpl: float | None
    upl: float | None
    lower_2sigma: float | None
    upper_2sigma: float | None
    baseline_points: int

    @property
    def n(self) -> int:
        return self.end - self.start + 1

    @property
    def short(self) -> bool:
        """The reference's short-group warning: limits from fewer than 13 points are trial limits."""
        return self.n < SHORT_SEGMENT

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "mean": self.mean,
            "lpl": self.lpl,
            "upl": self.upl,
            "lower_2sigma": self.lower_2sigma,
            "upper_2sigma": self.upper_2sigma,
        }


@dataclass(frozen=True)
class Point:
    i: int
    value: float
    rules: tuple[str, ...]
    point_type: str
    segment: int

    @property
    def special_cause(self) -> bool:
        return bool(self.rules)

    def to_json(self) -> dict[str, Any]:
        return {
            "i": self.i,
            "value": self.value,
            "special_cause": self.special_cause,
            "rules": list(self.rules),
            "point_type": self.point_type,
        }


@dataclass(frozen=True)
class SpcResult:
    polarity: str
    segments: tuple[Segment, ...]
    points: tuple[Point, ...]
    variation_icon: str
    assurance: str | None
    target: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "segments": [s.to_json() for s in self.segments],
            "points": [p.to_json() for p in self.points],
            "variation_icon": self.variation_icon,
            "assurance": self.assurance,
        }


def _mean(values: Sequence[float]) -> float:
    """The exact mean, rounded once."""
    if all(v.is_integer() for v in values):
        # Counts (and their moving ranges): the integer sum is exact and int / int is correctly
        # rounded, the same float as the Fraction below at a tenth of the cost.
        return sum(int(v) for v in values) / len(values)
    return float(sum((Fraction(v) for v in values), Fraction(0)) / len(values))


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _limits(values: Sequence[float]) -> tuple[float, float | None]:
    """(mean, mrbar) from the baseline values, with moving-range screening."""
    mean = _mean(values)
    mrs = [abs(b - a) for a, b in zip(values, values[1:])]
    if not mrs:
        return mean, None
    amr = _mean(mrs)
    if amr > 0:  # deviation 2: the reference screens out everything when amr == 0
        kept = [mr for mr in mrs if mr < SCREEN * amr]
        amr = _mean(kept)
    return mean, amr


def _part_of_run(ends: Sequence[int], n: int) -> list[bool]:
    """A point is part of a run when it, or one of the next six points, ends a run of seven."""
    return [any(ends[j] != 0 for j in range(i, min(n, i + RUN))) for i in range(n)]


def _shift_ends(rtm: Sequence[int]) -> list[int]:
    n = len(rtm)
    return [
        rtm[j] if j >= RUN - 1 and rtm[j] != 0 and all(rtm[j - k] == rtm[j] for k in range(1, RUN)) else 0
        for j in range(n)
    ]


def _trend_ends(y: Sequence[float]) -> list[int]:
    n = len(y)
    ends = [0] * n
    for j in range(RUN - 1, n):
        steps = {_sign(y[k] - y[k - 1]) for k in range(j - RUN + 2, j + 1)}
        if steps == {1}:
            ends[j] = 1
        elif steps == {-1}:
            ends[j] = -1
    return ends


def _two_in_three(close: Sequence[bool], rtm: Sequence[int]) -> list[bool]:
    n = len(close)
    flags = []
    for i in range(n):
        hit = False
        for s in (i - 2, i - 1, i):
            if s < 0 or s + 2 >= n:
                continue  # the reference pads with zeros: a window off the end never qualifies
            window = range(s, s + 3)
            if sum(close[k] for k in window) >= 2 and abs(sum(rtm[k] for k in window)) == 3:
                hit = True
                break
        flags.append(hit and close[i])
    return flags


def _segment_points(seg: Segment, y: Sequence[float], direction: int, index: int) -> list[Point]:
    n = len(y)
    has_limits = seg.mrbar is not None
    rtm = [_sign(v - seg.mean) for v in y]
    outside = [has_limits and (v > seg.upl or v < seg.lpl) for v in y]  # type: ignore[operator]
    close = [
        has_limits and not out and (v < seg.lower_2sigma or v > seg.upper_2sigma)  # type: ignore[operator]
        for v, out in zip(y, outside)
    ]
    shift = _part_of_run(_shift_ends(rtm), n)
    trend = _part_of_run(_trend_ends(y), n)
    two = _two_in_three(close, rtm)

    points = []
    for k in range(n):
        rules = tuple(name for name, hit in zip(RULES, (outside[k], shift[k], trend[k], two[k])) if hit)
        # the reference's ptd_special_cause_type precedence
        if outside[k]:
            high = rtm[k] == 1
        elif trend[k]:
            if k + 1 < n and trend[k + 1]:
                step = _sign(y[k + 1] - y[k])
            else:
                step = _sign(y[k] - y[k - 1]) if k > 0 else 0
            high = step == 1
        elif two[k] or shift[k]:
            high = rtm[k] > 0
        else:
            high = None
        if high is None:
            point_type = "common_cause"
        elif direction == 0:
            point_type = "special_cause_neutral_high" if high else "special_cause_neutral_low"
        else:
            good = (1 if high else -1) * direction > 0
            point_type = "special_cause_improvement" if good else "special_cause_concern"
        points.append(Point(i=seg.start + k, value=y[k], rules=rules, point_type=point_type, segment=index))
    return points


def variation_icon(point_type: str, direction: int) -> str:
    """A month's point type as the variation icon it gives: an improvement or a concern takes its side
    (high or low) from the polarity's direction, not from the mean (a trend may cross the mean)."""
    if point_type == "common_cause":
        return "common_cause"
    if point_type == "special_cause_neutral_high":
        return "neutral_high"
    if point_type == "special_cause_neutral_low":
        return "neutral_low"
    increasing = direction == 1
    if point_type == "special_cause_concern":
        return "concern_low" if increasing else "concern_high"
    return "improvement_high" if increasing else "improvement_low"


def _assurance(target: float | None, direction: int, last: Segment) -> str | None:
    if target is None or direction == 0:
        return None
    increasing = direction == 1
    if last.upl is not None and target > last.upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if last.lpl is not None and target < last.lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


def xmr(
    values: Sequence[float],
    *,
    polarity: str,
    baseline: int | None = None,
    rebase_at: Sequence[int] = (),
    target: float | None = None,
) -> SpcResult:
    """An XmR chart of ``values`` (in time order). Raises ValueError on bad arguments."""
    direction = spc_polarity(polarity).direction
    y = [float(v) for v in values]
    if not y:
        raise SpcError("no values")
    for i, v in enumerate(y):
        if not math.isfinite(v):
            raise SpcError(f"value {i} is not a finite number: {v!r}")
    if baseline is not None and baseline < MIN_BASELINE:
        raise SpcError(f"the baseline must be at least {MIN_BASELINE} points (got {baseline})")
    if target is not None and not math.isfinite(float(target)):
        raise SpcError(f"the target must be a finite number (got {target!r})")
    for r in rebase_at:
        if not 0 <= r < len(y):
            raise SpcError(f"rebase index {r} is outside the series (0 to {len(y) - 1})")
    starts = sorted({0, *rebase_at})
    bounds = list(zip(starts, [*starts[1:], len(y)]))

    segments: list[Segment] = []
    points: list[Point] = []
    for index, (start, stop) in enumerate(bounds):
        seg_y = y[start:stop]
        fixed = seg_y[:baseline] if baseline is not None else seg_y
        mean, amr = _limits(fixed)
        if amr is None:
            lpl = upl = lo2 = hi2 = None
        else:
            lpl, upl = mean - LIMIT * amr, mean + LIMIT * amr
            lo2, hi2 = mean - LIMIT_CLOSE * amr, mean + LIMIT_CLOSE * amr
        seg = Segment(
            start=start,
            end=stop - 1,
            mean=mean,
            mrbar=amr,
            lpl=lpl,
            upl=upl,
            lower_2sigma=lo2,
            upper_2sigma=hi2,
            baseline_points=len(fixed),
        )
        segments.append(seg)
        points.extend(_segment_points(seg, seg_y, direction, index))

    return SpcResult(
        polarity=polarity,
        segments=tuple(segments),
        points=tuple(points),
        variation_icon=variation_icon(points[-1].point_type, direction),
        assurance=_assurance(None if target is None else float(target), direction, segments[-1]),
        target=None if target is None else float(target),
    )
