"""The pure commissioning rules: money, the seed's reconciliations, the workflows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.domain.commissioning import (
    REVIEW,
    SIGN_OFF,
    Half,
    MoneyError,
    ReviewAction,
    ReviewState,
    SignatoryError,
    SignOffState,
    SignOffStep,
    TransitionError,
    check_allocations,
    check_claim,
    check_overdue,
    check_signatory,
    check_spend,
    format_money,
    is_overdue,
    money,
    next_sign_off_step,
    parse_half,
    scheduled_claim,
    unallocated_intentions,
)

SEED_PROJECTS = ["160,200", "25,000", "98,500", "43,500", "36,000", "16,046", "10,000", "39,000"]


def test_money_is_decimal_to_the_penny_and_refuses_floats():
    assert money("£1,330.06") == Decimal("1330.06")
    assert money(400568) == Decimal("400568.00")
    with pytest.raises(MoneyError):
        money(1330.06)
    with pytest.raises(MoneyError):
        money("12.345")
    with pytest.raises(MoneyError):
        money("twelve")


def test_project_f_spend_lines_add_up_to_the_penny():
    lines = [money(x) for x in ("700", "200", "134", "45", "251.06")]
    assert sum(lines, Decimal(0)) == Decimal("1330.06")
    assert format_money(sum(lines, Decimal(0))) == "£1,330.06"
    assert format_money(Decimal("428246.00")) == "£428,246"


def test_seed_allocations_reconcile_with_award_plus_carry_forward():
    finding = check_allocations(
        award=money("400,568"), carried_forward=money("27,678"), allocations=[money(x) for x in SEED_PROJECTS]
    )
    assert finding.ok is True
    assert "£428,246" in finding.message


def test_allocations_that_do_not_reconcile_say_by_how_much():
    finding = check_allocations(
        award=money("400,568"), carried_forward=money("0"), allocations=[money(x) for x in SEED_PROJECTS]
    )
    assert finding.ok is False
    assert "£27,678 over" in finding.message


def test_january_2017_unallocated_balance():
    finding = unallocated_intentions(
        award=money("400,568"), confirmed=[money("110,000"), money("25,000"), money("98,500")]
    )
    assert finding.ok is None
    assert finding.message.startswith("£167,068 ")


def test_spend_may_not_exceed_funding():
    assert check_spend(subject="F", funding=money("16,046"), spend=[money("1330.06")]).ok is True
    over = check_spend(subject="F", funding=money("1000"), spend=[money("1330.06")])
    assert over.ok is False and "£330.06" in over.message


def test_claim_against_schedule():
    assert scheduled_claim(award=money("400,568"), half=1) == Decimal("200284.00")
    assert check_claim(claimed=money("200,284"), award=money("400,568"), half=1).ok is True
    assert check_claim(claimed=money("200,000"), award=money("400,568"), half=1).ok is False
    # the odd penny goes to the second half, so the halves always make the award
    assert scheduled_claim(award=money("0.03"), half=1) + scheduled_claim(award=money("0.03"), half=2) == Decimal(
        "0.03"
    )


def test_overdue_after_the_deadline():
    due = datetime.date(2017, 11, 3)
    assert not is_overdue(due=due, today=datetime.date(2017, 11, 3), done_on=None)
    assert is_overdue(due=due, today=datetime.date(2017, 11, 4), done_on=None)
    assert not is_overdue(due=due, today=datetime.date(2018, 1, 1), done_on=datetime.date(2017, 11, 3))
    assert is_overdue(due=due, today=datetime.date(2018, 1, 1), done_on=datetime.date(2017, 11, 6))
    assert check_overdue(what="The return", due=due, today=datetime.date(2017, 12, 1), done_on=None).ok is False


def test_halves():
    h = parse_half("2017-H1")
    assert h == Half(2017, 1)
    assert h.last_day == datetime.date(2017, 9, 30)
    assert parse_half("2017-H2").last_day == datetime.date(2018, 3, 31)
    with pytest.raises(ValueError):
        parse_half("2017-H3")


@pytest.mark.parametrize(
    "state,action,expected",
    [
        ("draft", "submit", "submitted"),
        ("submitted", "request_changes", "changes_requested"),
        ("changes_requested", "submit", "submitted"),
        ("submitted", "accept", "accepted"),
        ("draft", "accept", None),
        ("accepted", "submit", None),
        ("accepted", "request_changes", "changes_requested"),
        ("changes_requested", "accept", None),
    ],
)
def test_review_transitions(state, action, expected):
    if expected is None:
        with pytest.raises(TransitionError):
            REVIEW.move(state, action)
    else:
        assert REVIEW.move(ReviewState(state), ReviewAction(action)) is ReviewState(expected)


def test_sign_off_is_two_steps_in_order():
    assert SIGN_OFF.move("draft", SignOffStep.CSP_MANAGER) is SignOffState.CSP_SIGNED
    assert SIGN_OFF.move("csp_signed", SignOffStep.TREASURER) is SignOffState.SIGNED
    with pytest.raises(TransitionError, match="CSP manager must sign first"):
        SIGN_OFF.move("draft", SignOffStep.TREASURER)
    with pytest.raises(TransitionError):
        SIGN_OFF.move("signed", SignOffStep.CSP_MANAGER)


def test_the_next_signatory_comes_from_the_sign_off_table():
    assert next_sign_off_step("draft") is SignOffStep.CSP_MANAGER
    assert next_sign_off_step(SignOffState.CSP_SIGNED) is SignOffStep.TREASURER
    assert next_sign_off_step("signed") is None  # a signed return waits for nobody


def test_each_signature_is_by_the_office_holder_and_the_two_are_different_people():
    check_signatory(step=SignOffStep.CSP_MANAGER, signer="matt", holder="matt", earlier=[])
    check_signatory(step=SignOffStep.TREASURER, signer="alex", holder="alex", earlier=["matt"])
    with pytest.raises(SignatoryError, match="does not hold the office of treasurer / CFO"):
        check_signatory(step=SignOffStep.TREASURER, signer="matt", holder="alex", earlier=["matt"])
    with pytest.raises(SignatoryError, match="nobody holds the office of CSP manager"):
        check_signatory(step=SignOffStep.CSP_MANAGER, signer="matt", holder=None, earlier=[])
    # The one who signed as CSP manager, later appointed treasurer, still cannot countersign.
    with pytest.raises(SignatoryError, match="two different people"):
        check_signatory(step=SignOffStep.TREASURER, signer="matt", holder="matt", earlier=["matt"])


pennies = st.integers(min_value=0, max_value=10**9).map(lambda p: Decimal(p).scaleb(-2))


@given(
    award=pennies,
    carried=pennies,
    shares=st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=12),
    spent_fraction=st.lists(st.integers(min_value=0, max_value=100), min_size=12, max_size=12),
)
def test_allocations_spend_and_balances_always_reconcile(award, carried, shares, spent_fraction):
    """Split award + carry-forward over projects to the penny, spend part of each: the checks
    agree, and allocated = spent + unspent exactly."""
    available = award + carried
    total_shares = sum(shares)
    allocations = [(available * s / total_shares).quantize(Decimal("0.01"), rounding="ROUND_DOWN") for s in shares]
    allocations[-1] += available - sum(allocations)  # the remainder pennies
    assert check_allocations(award=award, carried_forward=carried, allocations=allocations).ok is True
    spends = [
        (a * f / 100).quantize(Decimal("0.01"), rounding="ROUND_DOWN") for a, f in zip(allocations, spent_fraction)
    ]
    for a, s in zip(allocations, spends):
        assert check_spend(subject="x", funding=a, spend=[s]).ok is True
        assert money(a - s) + s == a
    assert sum(spends, Decimal(0)) + sum((a - s for a, s in zip(allocations, spends)), Decimal(0)) == available
    assert scheduled_claim(award=award, half=1) + scheduled_claim(award=award, half=2) == award
    if allocations[0] > 0:
        assert (
            check_allocations(award=award, carried_forward=carried, allocations=[*allocations, Decimal("0.01")]).ok
            is False
        )


def test_spreadsheet_number_is_one_reading_for_both_workbooks():
    from decimal import Decimal, InvalidOperation

    import pytest

    from saferhub.domain.commissioning import spreadsheet_number

    assert spreadsheet_number(0.1 + 0.2) == Decimal("0.30000000000000004")
    assert spreadsheet_number(1330.06) == Decimal("1330.06") and spreadsheet_number(7) == Decimal(7)
    assert spreadsheet_number(" £1,330.06 ") == Decimal("1330.06") and spreadsheet_number("12%") == Decimal(12)
    for bad in (True, "twelve", "inf", "NaN"):
        with pytest.raises(InvalidOperation):
            spreadsheet_number(bad)


def test_fund_year_figures_are_summed_once():
    from decimal import Decimal

    from saferhub.domain.commissioning import FundYearFigures

    f = FundYearFigures.of(Decimal("428246.00"), [Decimal("200000.00"), Decimal("150000.50")], [Decimal("1330.06")])
    assert (f.allocated, f.spent, f.unallocated) == (Decimal("350000.50"), Decimal("1330.06"), Decimal("78245.50"))
    assert FundYearFigures.of(Decimal("10.00"), [], []).unallocated == Decimal("10.00")
