"""Is a change in a count more than chance? Exact tests for counts.

``compare_counts(previous, current, exposure_previous, exposure_current)`` is R's
``poisson.test(c(current, previous), c(exposure_current, exposure_previous))``: the exact
conditional test of two Poisson rates. Given the total ``n = current + previous``, ``current``
is binomial with ``p = exposure_current / (exposure_current + exposure_previous)`` under "no
change", so the test is R's ``binom.test(current, n, p)``:

* rate ratio = ``(current / exposure_current) / (previous / exposure_previous)``;
* two-sided p-value as R computes it: the probability of the observed count plus that of every
  count on the other side of ``n * p`` whose probability is at most the observed one times
  ``1 + 1e-7`` (R's ``relErr``), capped at 1 (exactly 1 when ``current == n * p``);
* 95% interval: the Clopper-Pearson interval for ``p`` (``qbeta(0.025, x, n - x + 1)`` and
  ``qbeta(0.975, x + 1, n - x)``), turned into a rate ratio by ``pp / (1 - pp) * A / B``.

The binomial probabilities use Loader's saddle-point method (as R's ``dbinom``); the binomial
tails use the regularized incomplete beta function by its continued fraction (modified Lentz).
The interval's beta quantiles are SciPy's ``betaincinv`` / ``betainccinv`` (Boost's inverse
incomplete beta), within about 1e-15 relative of high-precision values. The pure-Python
``qbeta`` here (that continued fraction inverted by a bracketed Newton iteration) is within
about 1e-12 and agrees with SciPy to that, but costs about a millisecond a quantile: it was
half the time of a report for every partnership.

Differences from R: when both counts are 0 R stops with an error; here the comparison has
``rate_ratio`` and the interval ``None`` and ``p_value`` 1. An infinite rate ratio or interval
end (``previous == 0``) is ``None`` in ``to_json`` (JSON has no infinity).

``dispersion(counts)`` checks monthly counts against the Poisson assumption: the index of
dispersion ``D = s^2 / mean`` (sample variance, ``n - 1``), and the one-sided p-value of
``(n - 1) * D`` against chi-square with ``n - 1`` degrees of freedom (upper tail). The counts
are ``overdispersed`` when that p-value is below 0.05 (and ``D > 1``). Fewer than two counts, or
a mean of 0, cannot be tested: ``overdispersed`` is False and the statistics are ``None``.

``describe_change(comparison, dispersion)`` puts a comparison into report words, with this rule:

1. "within normal variation" unless the exact Poisson test gives ``p < 0.05``.
2. When the monthly counts are overdispersed, the Poisson test overstates significance, so the
   change must also be significant under a quasi-Poisson adjustment: the Wald statistic
   ``z = ln(RR) / sqrt(phi * (1/current + 1/previous))`` with ``phi = D`` (the variance of each
   total is inflated by the dispersion factor), two-sided normal p-value below 0.05. (A zero
   count takes 0.5 in that formula.) Otherwise "within normal variation".
3. Otherwise "a significant increase" (rate ratio above 1) or "a significant reduction".

``decide(comparison, dispersion)`` names the test that decides that verdict, so that the numbers
printed beside a verdict are the ones behind it (one voice): the exact Poisson test when the
monthly counts are not over-dispersed; when they are, the adjusted (quasi-Poisson) test, whose
interval is the Wald interval ``exp(ln RR -/+ 1.96 * sqrt(phi * (1/current + 1/previous)))``
that matches its p-value. Of the tests that apply, the deciding one is the one with the larger
p-value (in practice always the adjusted test, which is the stricter), so the verdict
"significant" holds exactly when the deciding test's p-value is below 0.05: the same verdict as
the rule above. The exact test's figures stay available as secondary detail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from .problems import SaferhubError

__all__ = [
    "SignificanceError",
    "ALPHA",
    "Comparison",
    "Dispersion",
    "compare_counts",
    "dispersion",
    "describe_change",
    "AdjustedTest",
    "Decision",
    "adjusted_test",
    "decide",
    "quasi_poisson_p_value",
    "dbinom",
    "pbinom",
    "betainc",
    "qbeta",
    "chisq_upper",
]


class SignificanceError(SaferhubError, ValueError):
    """Counts or parameters that a test of significance is not defined for."""


class NoConvergence(SignificanceError, ArithmeticError):
    """A numerical method that did not converge for these parameters."""


ALPHA = 0.05
REL_ERR = 1 + 1e-7  # R's binom.test tolerance
METHOD = (
    "Exact conditional test of two Poisson rates (binomial test of the current count given the "
    "total; Clopper-Pearson 95% interval), as R poisson.test(c(current, previous), "
    "c(exposure_current, exposure_previous))"
)

_LN_SQRT_2PI = 0.5 * math.log(2 * math.pi)
_EPS = 1e-16
_FPMIN = 1e-300


# --- binomial probabilities (Loader 2000, as R's dbinom) ------------------------------------


def _stirlerr(n: float) -> float:
    """log(n!) - log(sqrt(2 pi n) (n/e)^n)."""
    if n <= 15.0:
        return math.lgamma(n + 1.0) - (n + 0.5) * math.log(n) + n - _LN_SQRT_2PI
    s0, s1, s2, s3, s4 = 1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188
    nn = n * n
    if n > 500:
        return (s0 - s1 / nn) / n
    if n > 80:
        return (s0 - (s1 - s2 / nn) / nn) / n
    if n > 35:
        return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n


def _bd0(x: float, np_: float) -> float:
    """x log(x / np) + np - x, without cancellation."""
    if abs(x - np_) < 0.1 * (x + np_):
        v = (x - np_) / (x + np_)
        s = (x - np_) * v
        ej = 2 * x * v
        v = v * v
        for j in range(1, 1000):
            ej *= v
            s1 = s + ej / (2 * j + 1)
            if s1 == s:
                return s1
            s = s1
        return s
    return x * math.log(x / np_) + np_ - x


def _log_dbinom_raw(x: float, n: float, p: float, q: float) -> float:
    """log of the binomial density at x (x, n may be non-integer: used for the beta density)."""
    if p == 0:
        return 0.0 if x == 0 else -math.inf
    if q == 0:
        return 0.0 if x == n else -math.inf
    if x == 0:
        if n == 0:
            return 0.0
        return -_bd0(n, n * q) - n * p if p < 0.1 else n * math.log(q)
    if x == n:
        return -_bd0(n, n * p) - n * q if q < 0.1 else n * math.log(p)
    if x < 0 or x > n:
        return -math.inf
    lc = _stirlerr(n) - _stirlerr(x) - _stirlerr(n - x) - _bd0(x, n * p) - _bd0(n - x, n * q)
    lf = 2 * _LN_SQRT_2PI + math.log(x) + math.log1p(-x / n)
    return lc - 0.5 * lf


def dbinom(x: int, n: int, p: float) -> float:
    """P(X = x) for X ~ Binomial(n, p)."""
    if x < 0 or x > n:
        return 0.0
    return math.exp(_log_dbinom_raw(float(x), float(n), p, 1.0 - p))


# --- regularized incomplete beta ------------------------------------------------------------


def _log_beta_front(a: float, b: float, x: float) -> float:
    """log(x^a (1-x)^b / B(a, b)), through the binomial density (accurate for large a, b)."""
    return _log_dbinom_raw(a, a + b, x, 1.0 - x) + math.log(a * b / (a + b))


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for I_x(a, b) (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    if abs(d) < _FPMIN:
        d = _FPMIN
    d = 1.0 / d
    h = d
    for m in range(1, 200_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        if abs(d) < _FPMIN:
            d = _FPMIN
        c = 1.0 + aa / c
        if abs(c) < _FPMIN:
            c = _FPMIN
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        if abs(d) < _FPMIN:
            d = _FPMIN
        c = 1.0 + aa / c
        if abs(c) < _FPMIN:
            c = _FPMIN
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return h
    raise NoConvergence(f"incomplete beta continued fraction did not converge (a={a}, b={b}, x={x})")


def _betainc_tails(a: float, b: float, x: float) -> tuple[float, float]:
    """(I_x(a, b), 1 - I_x(a, b)), the smaller of the two computed directly."""
    if x <= 0.0:
        return 0.0, 1.0
    if x >= 1.0:
        return 1.0, 0.0
    if x < (a + 1.0) / (a + b + 2.0):
        lower = math.exp(_log_beta_front(a, b, x)) * _betacf(a, b, x) / a
        return lower, 1.0 - lower
    upper = math.exp(_log_beta_front(b, a, 1.0 - x)) * _betacf(b, a, 1.0 - x) / b
    return 1.0 - upper, upper


def betainc(a: float, b: float, x: float, *, upper: bool = False) -> float:
    """The regularized incomplete beta function I_x(a, b) (or its complement)."""
    if a <= 0 or b <= 0:
        raise SignificanceError("betainc needs a > 0 and b > 0")
    lower_, upper_ = _betainc_tails(a, b, x)
    return upper_ if upper else lower_


def _log_beta_density(a: float, b: float, x: float) -> float:
    return _log_beta_front(a, b, x) - math.log(x) - math.log1p(-x)


def qbeta(prob: float, a: float, b: float, *, upper: bool = False) -> float:
    """The x with I_x(a, b) = prob (or 1 - I_x(a, b) = prob when ``upper``): R's qbeta."""
    if not 0.0 <= prob <= 1.0:
        raise SignificanceError("prob must be in [0, 1]")
    if upper:
        if prob == 0.0:
            return 1.0
        if prob == 1.0:
            return 0.0
    else:
        if prob == 0.0:
            return 0.0
        if prob == 1.0:
            return 1.0
    lo, hi = 0.0, 1.0
    x = a / (a + b)
    log_target = math.log(prob)
    for _ in range(1000):
        lower, upp = _betainc_tails(a, b, x)
        tail = upp if upper else lower
        if tail <= 0.0:
            g = -math.inf
        else:
            g = math.log(tail) - log_target
        # the tail increases with x (lower) or decreases (upper)
        too_high = (g > 0) if not upper else (g < 0)
        if g == 0:
            return x
        if too_high:
            hi = x
        else:
            lo = x
        # Newton on log(tail): d log(tail) / dx = +-density / tail
        new = None
        if tail > 0.0:
            slope = math.exp(_log_beta_density(a, b, x)) / tail
            if slope > 0 and math.isfinite(slope):
                step = g / slope
                new = x - step if not upper else x + step
        if new is None or not (lo < new < hi):
            new = math.sqrt(lo * hi) if lo > 0 and hi / lo > 4 else 0.5 * (lo + hi)
        if abs(new - x) <= 4e-16 * abs(new) or new == lo or new == hi:
            return new
        x = new
    return x


def pbinom(k: int, n: int, p: float, *, upper: bool = False) -> float:
    """P(X <= k) (or P(X > k) when ``upper``) for X ~ Binomial(n, p)."""
    if k < 0:
        return 1.0 if upper else 0.0
    if k >= n:
        return 0.0 if upper else 1.0
    if p <= 0.0:
        return 0.0 if upper else 1.0
    if p >= 1.0:
        return 1.0 if upper else 0.0
    # P(X <= k) = I_{1-p}(n - k, k + 1); P(X > k) = I_p(k + 1, n - k)
    lower_, upper_ = _betainc_tails(k + 1.0, float(n - k), p)
    return lower_ if upper else upper_


# --- binom.test as R computes it -----------------------------------------------------------


def _binom_two_sided(x: int, n: int, p: float) -> float:
    if p == 0:
        return float(x == 0)
    if p == 1:
        return float(x == n)
    d = dbinom(x, n, p) * REL_ERR
    m = n * p
    if x == m:
        return 1.0
    if x < m:
        # dbinom is non-increasing on [ceil(m), n]: the counts with dbinom <= d are a suffix [j, n]
        lo, hi = math.ceil(m), n + 1
        while lo < hi:
            mid = (lo + hi) // 2
            if dbinom(mid, n, p) <= d:
                hi = mid
            else:
                lo = mid + 1
        pval = pbinom(x, n, p) + pbinom(lo - 1, n, p, upper=True)
    else:
        # dbinom is non-decreasing on [0, floor(m)]: the counts with dbinom <= d are a prefix [0, j]
        lo, hi = -1, math.floor(m)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if dbinom(mid, n, p) <= d:
                lo = mid
            else:
                hi = mid - 1
        pval = pbinom(lo, n, p) + pbinom(x - 1, n, p, upper=True)
    return min(1.0, pval)


def _beta_quantile(prob: float, a: float, b: float, *, upper: bool) -> float:
    """qbeta(prob, a, b, upper=upper), by SciPy (see the module docstring)."""
    # Imported on first use: scipy.special (with numpy) takes about 0.3 s to import, which a
    # command that tests no change (an import, a page without a comparison) need not pay.
    from scipy.special import betainccinv, betaincinv

    return float(betainccinv(a, b, prob) if upper else betaincinv(a, b, prob))


def _odds_quantile(prob: float, a: float, b: float, *, upper: bool) -> float:
    """pp / (1 - pp) for pp = qbeta(prob, a, b), taking 1 - pp from the mirrored quantile
    (qbeta(prob, b, a) of the other tail) when pp is near 1, so the odds keep full precision."""
    pp = _beta_quantile(prob, a, b, upper=upper)
    if pp <= 0.5:
        return pp / (1.0 - pp)
    qq = _beta_quantile(prob, b, a, upper=not upper)  # = 1 - pp
    return (1.0 - qq) / qq


def _clopper_pearson_odds(x: int, n: int, conf: float = 0.95) -> tuple[float, float]:
    """The Clopper-Pearson interval for a binomial proportion, as odds p / (1 - p)."""
    alpha = (1 - conf) / 2
    low = 0.0 if x == 0 else _odds_quantile(alpha, x, n - x + 1, upper=False)
    high = math.inf if x == n else _odds_quantile(alpha, x + 1, n - x, upper=True)
    return low, high


# --- the public comparison ------------------------------------------------------------------


def _json_number(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else v


@dataclass(frozen=True)
class Comparison:
    previous: int
    current: int
    exposure_previous: float
    exposure_current: float
    rate_ratio: float | None  # inf when previous == 0; None when both are 0
    p_value: float
    ci95: tuple[float | None, float | None]
    expected_current: float  # the count expected for the current period under no change
    method: str = METHOD

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA

    def to_json(self) -> dict[str, Any]:
        return {
            "previous": self.previous,
            "current": self.current,
            "exposure_previous": self.exposure_previous,
            "exposure_current": self.exposure_current,
            "rate_ratio": _json_number(self.rate_ratio),
            "p_value": self.p_value,
            "ci95": [_json_number(self.ci95[0]), _json_number(self.ci95[1])],
            "expected_current": self.expected_current,
            "significant": self.significant,
            "method": self.method,
        }


def _count(name: str, v: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise SignificanceError(f"{name} must be a whole number of at least 0 (got {v!r})")
    return v


def _exposure(name: str, v: float) -> float:
    v = float(v)
    if not math.isfinite(v) or v <= 0:
        raise SignificanceError(f"{name} must be a positive number (got {v!r})")
    return v


def compare_counts(
    previous: int, current: int, exposure_previous: float = 1, exposure_current: float = 1
) -> Comparison:
    """R's poisson.test(c(current, previous), c(exposure_current, exposure_previous))."""
    previous = _count("previous", previous)
    current = _count("current", current)
    a = _exposure("exposure_previous", exposure_previous)
    b = _exposure("exposure_current", exposure_current)
    n = current + previous
    p = b / (a + b)
    expected = n * p
    if n == 0:
        return Comparison(previous, current, a, b, None, 1.0, (None, None), 0.0)
    rate_ratio = math.inf if previous == 0 else (current / b) / (previous / a)
    p_value = _binom_two_sided(current, n, p)
    lo, hi = _clopper_pearson_odds(current, n)
    ci = (lo * a / b, hi * a / b)
    return Comparison(previous, current, a, b, rate_ratio, p_value, ci, expected)


# --- over-dispersion ------------------------------------------------------------------------


def _gamma_p_series(s: float, x: float) -> float:
    term = total = 1.0 / s
    ap = s
    for _ in range(100_000):
        ap += 1.0
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(-x + s * math.log(x) - math.lgamma(s))


def _gamma_q_cf(s: float, x: float) -> float:
    b = x + 1.0 - s
    c = 1.0 / _FPMIN
    d = 1.0 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - s)
        b += 2.0
        d = an * d + b
        if abs(d) < _FPMIN:
            d = _FPMIN
        c = b + an / c
        if abs(c) < _FPMIN:
            c = _FPMIN
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return math.exp(-x + s * math.log(x) - math.lgamma(s)) * h


def chisq_upper(stat: float, df: float) -> float:
    """P(chi-square with df degrees of freedom >= stat)."""
    if df <= 0:
        raise SignificanceError("df must be positive")
    if stat <= 0:
        return 1.0
    s, x = df / 2.0, stat / 2.0
    if x < s + 1.0:
        return 1.0 - _gamma_p_series(s, x)
    return _gamma_q_cf(s, x)


@dataclass(frozen=True)
class Dispersion:
    n: int
    mean: float | None
    variance: float | None
    index: float | None  # variance / mean
    chi_square: float | None  # (n - 1) * index
    df: int | None
    p_value: float | None  # upper tail: evidence of more variation than Poisson
    overdispersed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "mean": self.mean,
            "variance": self.variance,
            "index": self.index,
            "chi_square": self.chi_square,
            "df": self.df,
            "p_value": self.p_value,
            "overdispersed": self.overdispersed,
            "method": "index of dispersion (variance/mean) against chi-square with n-1 df, upper tail",
        }


def dispersion(counts: Sequence[int]) -> Dispersion:
    """The index of dispersion of monthly counts, and its chi-square test against Poisson."""
    xs = [_count("count", c) for c in counts]
    n = len(xs)
    if n < 2:
        return Dispersion(n, float(xs[0]) if xs else None, None, None, None, None, None, False)
    total = sum(xs)
    mean = total / n
    ss = sum((x * n - total) ** 2 for x in xs) / (n * n)  # exact integers, one division
    variance = ss / (n - 1)
    if total == 0:
        return Dispersion(n, 0.0, 0.0, None, None, n - 1, None, False)
    index = variance / mean
    stat = ss / mean
    p = chisq_upper(stat, n - 1)
    return Dispersion(n, mean, variance, index, stat, n - 1, p, p < ALPHA and index > 1)


# --- words ----------------------------------------------------------------------------------


def quasi_poisson_p_value(comparison: Comparison, phi: float) -> float:
    """Two-sided p-value of the Wald test of ln(rate ratio) with variance inflated by phi."""
    return adjusted_test(comparison, phi).p_value


_Z_975 = 1.959963984540054  # the standard normal 97.5% quantile
ADJUSTED_METHOD = (
    "Quasi-Poisson (over-dispersion-adjusted) Wald test of the rate ratio: the variance of each "
    "total inflated by the monthly counts' index of dispersion; 95% Wald interval"
)


@dataclass(frozen=True)
class AdjustedTest:
    """The over-dispersion-adjusted test of a comparison: its p-value and the interval that matches it."""

    phi: float
    rate_ratio: float
    p_value: float
    ci95: tuple[float, float]
    method: str = ADJUSTED_METHOD

    def to_json(self) -> dict[str, Any]:
        return {
            "phi": self.phi,
            "rate_ratio": _json_number(self.rate_ratio),
            "p_value": self.p_value,
            "ci95": [_json_number(self.ci95[0]), _json_number(self.ci95[1])],
            "method": self.method,
        }


def adjusted_test(comparison: Comparison, phi: float) -> AdjustedTest:
    """The quasi-Poisson Wald test (a zero count taking 0.5) and its 95% interval."""
    m = comparison.current or 0.5
    k = comparison.previous or 0.5
    log_rr = math.log((m / comparison.exposure_current) / (k / comparison.exposure_previous))
    se = math.sqrt(max(phi, 1.0) * (1.0 / m + 1.0 / k))
    p = math.erfc(abs(log_rr / se) / math.sqrt(2.0))
    return AdjustedTest(phi, math.exp(log_rr), p, (math.exp(log_rr - _Z_975 * se), math.exp(log_rr + _Z_975 * se)))


@dataclass(frozen=True)
class Decision:
    """A verdict and the test behind it: ``test`` is "exact" or "adjusted" (None when nothing
    could be tested); ``p_value`` and ``ci95`` are that test's."""

    words: str
    test: str | None
    rate_ratio: float | None
    p_value: float | None
    ci95: tuple[float | None, float | None]
    adjusted: AdjustedTest | None

    @property
    def significant(self) -> bool:
        return self.words != "within normal variation"

    def to_json(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "test": self.test,
            "rate_ratio": _json_number(self.rate_ratio),
            "p_value": self.p_value,
            "ci95": [_json_number(self.ci95[0]), _json_number(self.ci95[1])],
            "significant": self.significant,
        }


def decide(comparison: Comparison, dispersion: Dispersion | None = None) -> Decision:
    """The verdict on a comparison and the test that decides it: see the module docstring."""
    if comparison.rate_ratio is None:
        return Decision("within normal variation", None, None, None, (None, None), None)
    adjusted = None
    if dispersion is not None and dispersion.overdispersed and dispersion.index is not None:
        adjusted = adjusted_test(comparison, dispersion.index)
    if adjusted is not None and adjusted.p_value >= comparison.p_value:
        test, rr, p = "adjusted", comparison.rate_ratio, adjusted.p_value
        ci: tuple[float | None, float | None] = adjusted.ci95
    else:
        test, rr, p, ci = "exact", comparison.rate_ratio, comparison.p_value, comparison.ci95
    if p >= ALPHA:
        words = "within normal variation"
    else:
        words = "a significant increase" if comparison.rate_ratio > 1 else "a significant reduction"
    return Decision(words, test, rr, p, (ci[0], ci[1]), adjusted)


def describe_change(comparison: Comparison, dispersion: Dispersion | None = None) -> str:
    """Report words for a comparison: see the rule in the module docstring."""
    return decide(comparison, dispersion).words
