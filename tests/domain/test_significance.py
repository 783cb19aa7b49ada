"""Exact Poisson comparisons against R's poisson.test.

Provenance of the expected values:

* R's own documented example, ``poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878))``, prints
  ``p-value = 0.07967``, 95% CI ``0.8584264 4.2772659``, rate ratio ``1.971488``.
* Every other value was computed for this test with mpmath 1.3.0 at 50 significant digits, from
  the exact formulas R implements (binom.test's two-sided rule with relErr = 1 + 1e-7, summed
  from exact binomial probabilities; Clopper-Pearson limits by bisection on the exact binomial
  tail; chi-square tails with mpmath.gammainc), and rounded to 17 digits.
"""

import json
import math

import pytest

from saferhub.domain.significance import (
    betainc,
    chisq_upper,
    compare_counts,
    dbinom,
    describe_change,
    dispersion,
    pbinom,
    qbeta,
    quasi_poisson_p_value,
)

REL = 1e-10

# (previous, current, exposure_previous, exposure_current) -> rate ratio, p-value, ci95
#   i.e. poisson.test(c(current, previous), c(exposure_current, exposure_previous))
POISSON_TEST = [
    ((21, 11, 3011, 800), 1.9714880952380952, 0.079668633033329474, (0.85842640339163967, 4.2772659436540744)),
    ((100, 100, 1, 1), 1.0, 1.0, (0.75026648522563819, 1.3328597500916704)),
    ((10, 20, 1, 1), 2.0, 0.098737146705389023, (0.89350889038469091, 4.7845524403381043)),
    ((30, 10, 1, 1), 0.33333333333333333, 0.0022214337732293643, (0.14536358969058176, 0.70057031390167117)),
    ((120, 150, 1, 1), 1.25, 0.077389398980218502, (0.97667384829571708, 1.6026658753742389)),
    ((120, 150, 12, 11), 1.3636363636363636, 0.012378048148450841, (1.0654623799589641, 1.7483627731355334)),
    ((6803, 7170, 1, 1), 1.0539467881816846, 0.0019587912664153272, (1.019415379883544, 1.0896558055407051)),
    ((7170, 6803, 1, 1), 0.94881450488145049, 0.0019587912664153272, (0.91772098576007088, 0.98095439771983626)),
    ((1000, 1090, 1, 1), 1.09, 0.051535140605597321, (0.99943284880683415, 1.1888714000642107)),
    ((2500, 2500, 1, 1), 1.0, 1.0, (0.94569326497031337, 1.0574253164755185)),
    ((2500, 2501, 1, 1), 1.0004, 1.0, (0.94607693477271163, 1.0578424219615263)),
    ((14000, 13800, 12, 11.5), 1.0285714285714286, 0.018995817708550248, (1.0045981377860274, 1.0531157621021179)),
    ((3, 40000, 1, 9000), 1.4814814814814815, 0.80906365745282373, (0.50689923971167923, 7.1841483243341498)),
    ((1405, 1600, 1, 1), 1.1387900355871886, 0.00039993907042054741, (1.0593753771032595, 1.2242622938738236)),
    ((1405, 1900, 1, 1), 1.3523131672597865, 7.3804388567965214e-18, (1.2615277574424857, 1.4498958088761657)),
    ((5, 0, 1, 1), 0.0, 0.0625, (0.0, 1.0912791051825465)),
    ((1, 0, 1, 1), 0.0, 1.0, (0.0, 39.0)),
]


@pytest.mark.parametrize("args, rate_ratio, p_value, ci95", POISSON_TEST)
def test_agrees_with_poisson_test(args, rate_ratio, p_value, ci95):
    c = compare_counts(*args)
    assert c.rate_ratio == pytest.approx(rate_ratio, rel=REL)
    assert c.p_value == pytest.approx(p_value, rel=REL)
    assert c.ci95[0] == pytest.approx(ci95[0], rel=REL, abs=1e-300)
    assert c.ci95[1] == pytest.approx(ci95[1], rel=REL)


def test_r_documentation_example_as_printed():
    c = compare_counts(previous=6 + 8 + 7, current=11, exposure_previous=1083 + 1050 + 878, exposure_current=800)
    assert round(c.p_value, 5) == 0.07967
    assert [round(x, 7) for x in c.ci95] == [0.8584264, 4.2772659]
    assert round(c.rate_ratio, 6) == 1.971488
    assert c.expected_current == pytest.approx(32 * 800 / 3811)  # R's "expected count1" 6.7174
    assert not c.significant


def test_nothing_before_is_an_infinite_ratio():
    c = compare_counts(previous=0, current=5)
    assert c.rate_ratio == math.inf and c.ci95[1] == math.inf
    assert c.p_value == pytest.approx(0.0625, rel=REL)
    assert c.ci95[0] == pytest.approx(0.91635585731545962, rel=REL)
    data = json.loads(json.dumps(c.to_json(), allow_nan=False))
    assert data["rate_ratio"] is None and data["ci95"][1] is None


def test_two_zero_counts():
    c = compare_counts(0, 0)
    assert (c.rate_ratio, c.p_value, c.ci95) == (None, 1.0, (None, None))
    assert describe_change(c, None) == "within normal variation"


def test_json():
    data = compare_counts(21, 11, 3011, 800).to_json()
    assert data["method"].startswith("Exact conditional test of two Poisson rates")
    assert {
        "rate_ratio",
        "p_value",
        "ci95",
        "method",
        "previous",
        "current",
        "exposure_previous",
        "exposure_current",
    } <= set(data)
    assert (data["previous"], data["current"], data["exposure_previous"], data["exposure_current"]) == (
        21,
        11,
        3011.0,
        800.0,
    )
    assert len(data["ci95"]) == 2


@pytest.mark.parametrize("args", [(-1, 2), (1.5, 2), (1, 2, 0, 1), (1, 2, 1, float("inf")), (True, 2)])
def test_bad_arguments(args):
    with pytest.raises(ValueError):
        compare_counts(*args)


def test_special_functions():
    assert betainc(2.5, 3.5, 0.3) == pytest.approx(0.29675298929566638, rel=1e-13)
    assert betainc(50, 60, 0.45) == pytest.approx(0.46423529143060363, rel=1e-13)
    assert betainc(0.5, 0.5, 0.01) == pytest.approx(0.063768560858519849, rel=1e-13)
    assert betainc(200, 300, 0.5, upper=True) == pytest.approx(3.5434802643925381e-6, rel=1e-12)
    assert qbeta(0.025, 5, 16) == pytest.approx(0.086571469101434541, rel=1e-13)
    assert qbeta(0.025, 1, 100) == pytest.approx(1 - 0.975 ** (1 / 100), rel=1e-12)
    assert qbeta(0.975, 12, 3) == pytest.approx(0.95342071211013272, rel=1e-13)
    assert qbeta(0.975, 3, 12, upper=True) == pytest.approx(1 - 0.95342071211013272, rel=1e-12)
    assert qbeta(0.025, 3, 12) == pytest.approx(1 - 0.95342071211013272, rel=1e-12)
    assert dbinom(7, 20, 0.3) == pytest.approx(0.1642619852172365, rel=1e-14)
    assert pbinom(7, 20, 0.3) == pytest.approx(0.77227179741816046, rel=1e-14)
    assert pbinom(7, 20, 0.3, upper=True) == pytest.approx(1 - 0.77227179741816046, rel=1e-13)
    assert chisq_upper(40, 11) == pytest.approx(3.5775124527655241e-5, rel=1e-12)
    assert chisq_upper(7, 2) == pytest.approx(math.exp(-3.5), rel=1e-13)


MONTHS_OVERDISPERSED = [100, 130, 80, 150, 95, 170, 60, 120, 140, 90, 110, 160]


@pytest.mark.parametrize(
    "counts, index, chi_square, p_value, overdispersed",
    [
        (
            [12, 15, 9, 30, 5, 22, 18, 7, 25, 11, 14, 20],
            3.6479690522243713,
            40.12765957446808,
            3.4020391204192478e-5,
            True,
        ),
        ([10, 12, 9, 11, 10, 8, 13, 10, 9, 11, 12, 10], 0.2, 2.2, 0.99766085809054931, False),
        (MONTHS_OVERDISPERSED, 9.801035263668716, 107.81138790035587, 5.0077709969234736e-18, True),
        ([0, 0, 1, 0, 2, 0, 1, 0, 0, 3, 0, 1], 1.4545454545454546, 16.0, 0.14113088026705815, False),
    ],
)
def test_dispersion(counts, index, chi_square, p_value, overdispersed):
    d = dispersion(counts)
    assert d.index == pytest.approx(index, rel=1e-13)
    assert d.chi_square == pytest.approx(chi_square, rel=1e-13)
    assert d.df == len(counts) - 1
    assert d.p_value == pytest.approx(p_value, rel=1e-11)
    assert d.overdispersed is overdispersed


def test_dispersion_cannot_be_tested():
    assert dispersion([5]).overdispersed is False and dispersion([5]).p_value is None
    d = dispersion([0, 0, 0])
    assert (d.mean, d.index, d.p_value, d.overdispersed) == (0.0, None, None, False)


def test_describe_change_without_overdispersion():
    assert describe_change(compare_counts(1405, 1600)) == "a significant increase"
    assert describe_change(compare_counts(7170, 6803)) == "a significant reduction"
    assert describe_change(compare_counts(1000, 1090)) == "within normal variation"  # p = 0.0515
    poisson_like = dispersion([10, 12, 9, 11, 10, 8, 13, 10, 9, 11, 12, 10])
    assert describe_change(compare_counts(1405, 1600), poisson_like) == "a significant increase"


def test_overdispersed_months_need_the_quasi_poisson_test_too():
    d = dispersion(MONTHS_OVERDISPERSED)  # D = 9.80
    # 1405 -> 1600: exact p = 0.0004, but z = ln(1600/1405) / sqrt(D (1/1600 + 1/1405)) = 1.1355,
    # two-sided p = 0.2562 (mpmath): within normal variation
    assert quasi_poisson_p_value(compare_counts(1405, 1600), d.index) == pytest.approx(0.25618378914422931, rel=1e-10)
    assert describe_change(compare_counts(1405, 1600), d) == "within normal variation"
    # 1405 -> 1900: z = 2.7399, p = 0.0061: still significant
    assert quasi_poisson_p_value(compare_counts(1405, 1900), d.index) == pytest.approx(0.0061455944484643215, rel=1e-10)
    assert describe_change(compare_counts(1405, 1900), d) == "a significant increase"


def test_the_adjusted_test_decides_when_months_are_overdispersed_and_prints_its_own_interval():
    """One voice: the verdict, its p-value and its interval come from the same test."""
    from saferhub.domain.significance import adjusted_test, decide

    d = dispersion(MONTHS_OVERDISPERSED)
    calm = decide(compare_counts(1405, 1600), d)
    assert calm.test == "adjusted" and calm.words == "within normal variation"
    assert calm.p_value == pytest.approx(0.25618378914422931, rel=1e-10)
    # Wald interval exp(ln(1600/1405) -/+ 1.959964 * sqrt(D (1/1600 + 1/1405))): it straddles 1,
    # as its p-value says, where the exact test's (1.06 to 1.22) does not.
    low, high = calm.ci95
    se = math.sqrt(d.index * (1 / 1600 + 1 / 1405))
    assert low == pytest.approx(1600 / 1405 * math.exp(-1.959963984540054 * se), rel=1e-12)
    assert high == pytest.approx(1600 / 1405 * math.exp(1.959963984540054 * se), rel=1e-12)
    assert low < 1 < high
    assert compare_counts(1405, 1600).ci95[0] > 1
    loud = decide(compare_counts(1405, 1900), d)
    assert loud.test == "adjusted" and loud.words == "a significant increase" and loud.ci95[0] > 1
    assert loud.p_value == adjusted_test(compare_counts(1405, 1900), d.index).p_value
    plain = decide(compare_counts(1405, 1600))
    assert plain.test == "exact" and plain.p_value == compare_counts(1405, 1600).p_value
    assert plain.ci95 == compare_counts(1405, 1600).ci95 and plain.adjusted is None
    assert decide(compare_counts(0, 0)).test is None


@pytest.mark.parametrize("previous,current", [(1405, 1600), (1405, 1900), (1600, 1405), (1000, 1090), (50, 80), (0, 7)])
@pytest.mark.parametrize("months", [MONTHS_OVERDISPERSED, [10, 12, 9, 11, 10, 8, 13, 10, 9, 11, 12, 10], None])
def test_the_deciding_test_and_the_verdict_agree(previous, current, months):
    """The verdict is "significant" exactly when the deciding test's p-value is below 0.05; the
    decision gives the same words as describe_change's rule."""
    from saferhub.domain.significance import decide

    disp = dispersion(months) if months else None
    decision = decide(compare_counts(previous, current), disp)
    assert decision.words == describe_change(compare_counts(previous, current), disp)
    assert decision.significant == (decision.p_value < 0.05)
