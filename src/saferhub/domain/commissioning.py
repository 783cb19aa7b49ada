"""Commissioning rules without a database: money, the checks a commissioning officer wants done
for them, RAG ratings, the review cycle of a provider's return and the sign-off of the
half-year return.

Money is ``Decimal`` to the penny throughout; a float never enters (``money`` refuses one).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import Iterable

from .calendar import PeriodError
from .problems import SaferhubError
from .workflow import TransitionError, Workflow

__all__ = [
    "PENNY",
    "MoneyError",
    "money",
    "spreadsheet_number",
    "format_money",
    "FundYearFigures",
    "Half",
    "parse_half",
    "Rag",
    "ReviewState",
    "ReviewAction",
    "REVIEW",
    "TransitionError",
    "SignOffState",
    "SignOffStep",
    "SIGN_OFF",
    "SIGN_OFF_OFFICES",
    "next_sign_off_step",
    "SignatoryError",
    "check_signatory",
    "IntentionState",
    "CHECK_WORDS",
    "check_words",
    "Finding",
    "check_allocations",
    "unallocated_intentions",
    "check_spend",
    "scheduled_claim",
    "check_claim",
    "is_overdue",
    "check_overdue",
]

PENNY = Decimal("0.01")


class MoneyError(SaferhubError, ValueError):
    """An amount that is not money: not a number, a float, or finer than a penny."""


def money(value: object) -> Decimal:
    """An amount of pounds as a Decimal to the penny. Accepts Decimal, int and text such as
    "£1,330.06"; refuses floats (they cannot hold pennies exactly) and fractions of a penny."""
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(f"{value!r}: money must not be a float; give text or a Decimal")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace("£", "").replace(",", "")
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"{value!r} is not an amount of money") from None
    else:
        raise MoneyError(f"{value!r} is not an amount of money")
    if not d.is_finite():
        raise MoneyError(f"{value!r} is not an amount of money")
    if d != d.quantize(PENNY):
        raise MoneyError(f"{value!r} is finer than a penny")
    return d.quantize(PENNY)


def spreadsheet_number(value: object) -> Decimal:
    """A spreadsheet cell's number as a Decimal: an Excel float as the shortest decimal that
    round-trips it, text such as "£1,330.06" or "12%" read without its signs. Raises
    InvalidOperation for anything else (a true/false cell, words, infinity)."""
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, float):
        return Decimal(repr(value))  # Excel stores numbers as binary floats
    if isinstance(value, int):
        return Decimal(value)
    d = Decimal(str(value).strip().replace(",", "").replace("£", "").rstrip("%"))
    if not d.is_finite():
        raise InvalidOperation
    return d


def format_money(value: Decimal, *, pence: bool | None = None) -> str:
    """£428,246 or £1,330.06: pence are shown when there are any (or when asked)."""
    show = pence if pence is not None else value != value.to_integral_value()
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}" if show else f"{sign}£{abs(value):,.0f}"


@dataclass(frozen=True)
class FundYearFigures:
    """A fund-year's money: what was available (award and carry-forward), what the year's
    projects were allocated and what they have spent. Written once for the overview, the
    half-year return and the API."""

    available: Decimal
    allocated: Decimal
    spent: Decimal

    @classmethod
    def of(cls, available: Decimal, allocations: Iterable[Decimal], spending: Iterable[Decimal]) -> FundYearFigures:
        zero = Decimal("0.00")
        return cls(available, sum(allocations, zero), sum(spending, zero))

    @property
    def unallocated(self) -> Decimal:
        return self.available - self.allocated


@dataclass(frozen=True, order=True)
class Half:
    """A half of a financial year: H1 is April-September, H2 October-March. Written
    "2017-H1", where 2017 is the year in which the financial year starts."""

    start_year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.start_year}-H{self.number}"

    @property
    def financial_year_label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.start_year, 9, 30) if self.number == 1 else datetime.date(self.start_year + 1, 3, 31)

    @property
    def name(self) -> str:
        which = "First" if self.number == 1 else "Second"
        return f"{which} half of {self.financial_year_label}"

    def __str__(self) -> str:
        return self.label


_HALF_RE = re.compile(r"^(\d{4})-H([12])$")


def parse_half(label: str) -> Half:
    m = _HALF_RE.match(label.strip())
    if not m:
        raise PeriodError(f"{label!r} is not a half year like 2017-H1")
    return Half(int(m.group(1)), int(m.group(2)))


class Rag(str, Enum):
    """The RAG scale of the PCC's half-year return."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"

    @property
    def label(self) -> str:
        return {
            "achieved": "Outcomes Achieved",
            "on_track": "On Track to Achieve",
            "behind": "Not Achieved/Behind Schedule",
        }[self.value]

    @property
    def tag(self) -> str:
        """The GOV.UK tag colour: GOV.UK Frontend has no amber tag, its yellow stands for amber."""
        return {"achieved": "green", "on_track": "yellow", "behind": "red"}[self.value]


class ReviewState(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "submitted": "Submitted",
            "changes_requested": "Changes requested",
            "accepted": "Accepted",
        }[self.value]

    @property
    def tag(self) -> str:
        """The GOV.UK tag colour."""
        return {"draft": "grey", "submitted": "blue", "changes_requested": "orange", "accepted": "green"}[self.value]


class ReviewAction(str, Enum):
    SUBMIT = "submit"
    REQUEST_CHANGES = "request_changes"
    ACCEPT = "accept"


def _words(value: str) -> str:
    return value.replace("_", " ")


# A provider's return: (state, action) -> new state.
REVIEW: Workflow[ReviewState, ReviewAction] = Workflow(
    ReviewState,
    ReviewAction,
    {
        (ReviewState.DRAFT, ReviewAction.SUBMIT): ReviewState.SUBMITTED,
        (ReviewState.CHANGES_REQUESTED, ReviewAction.SUBMIT): ReviewState.SUBMITTED,
        (ReviewState.SUBMITTED, ReviewAction.REQUEST_CHANGES): ReviewState.CHANGES_REQUESTED,
        (ReviewState.SUBMITTED, ReviewAction.ACCEPT): ReviewState.ACCEPTED,
        # A commissioner may reopen an accepted return to correct it; if its half-year return is
        # already signed, the correction lands in a new version of that return.
        (ReviewState.ACCEPTED, ReviewAction.REQUEST_CHANGES): ReviewState.CHANGES_REQUESTED,
    },
    lambda state, action: f"a return that is {_words(state)} cannot be given '{_words(action)}'",
)
# The provider may change figures only while the return is in its hands.
EDITABLE_REVIEW_STATES = frozenset({ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED})


class SignOffState(str, Enum):
    DRAFT = "draft"
    CSP_SIGNED = "csp_signed"
    SIGNED = "signed"

    @property
    def label(self) -> str:
        return {"draft": "Not signed", "csp_signed": "Signed by CSP manager", "signed": "Signed off"}[self.value]

    @property
    def status_text(self) -> str:
        """The status line of the return document (the label says it in a word for pages)."""
        return {
            "draft": "Draft: not yet signed",
            "csp_signed": "Signed by the CSP manager; awaiting the treasurer/CFO",
            "signed": "Signed off",
        }[self.value]

    @property
    def tag(self) -> str:
        """The GOV.UK tag colour."""
        return {"draft": "grey", "csp_signed": "blue", "signed": "green"}[self.value]


class SignOffStep(str, Enum):
    CSP_MANAGER = "csp_manager"
    TREASURER = "treasurer"

    @property
    def label(self) -> str:
        """The office whose holder makes this signature, as the funder's form names it."""
        return SIGN_OFF_OFFICES[self]

    @property
    def in_sentence(self) -> str:
        """The office within a sentence: "treasurer / CFO"; "CSP manager" stays as it is."""
        label = self.label
        return label if label[:2].isupper() else label[0].lower() + label[1:]

    @property
    def heading(self) -> str:
        """The heading of the office's signature block on the return, as the funder's form has it."""
        return {
            "csp_manager": "TO BE COMPLETED AND SIGNED BY CSP MANAGER",
            "treasurer": "TO BE SIGNED BY TREASURER / CFO",
        }[self.value]

    @property
    def awaiting(self) -> str:
        """What the return prints in place of a signature not yet made."""
        return {
            "csp_manager": "Awaiting the CSP manager's signature.",
            "treasurer": "Awaiting the treasurer/CFO's signature.",
        }[self.value]

    @property
    def column(self) -> str:
        """The office in the spreadsheet's row labels ("Signed by the Treasurer"): signed returns
        were exported with these words, and a signed return must export as it did."""
        return {"csp_manager": "CSP manager", "treasurer": "Treasurer"}[self.value]


def _sign_off_refusal(state: str, step: str) -> str:
    need = (
        "the CSP manager must sign first"
        if step == SignOffStep.TREASURER.value
        else "it is already signed by the CSP manager"
    )
    return f"cannot sign as {_words(step)}: {need}"


# The CSP manager signs first, then the treasurer/CFO; a signed return is frozen.
SIGN_OFF: Workflow[SignOffState, SignOffStep] = Workflow(
    SignOffState,
    SignOffStep,
    {
        (SignOffState.DRAFT, SignOffStep.CSP_MANAGER): SignOffState.CSP_SIGNED,
        (SignOffState.CSP_SIGNED, SignOffStep.TREASURER): SignOffState.SIGNED,
    },
    _sign_off_refusal,
)


# The office whose holder makes each signature, as the funder's form names it.
SIGN_OFF_OFFICES: dict[SignOffStep, str] = {
    SignOffStep.CSP_MANAGER: "CSP manager",
    SignOffStep.TREASURER: "Treasurer / CFO",
}


def next_sign_off_step(state: SignOffState | str) -> SignOffStep | None:
    """Whose signature a return in ``state`` waits for, read from the transition table (None
    once it is signed off)."""
    return next(iter(SIGN_OFF.events_from(state)), None)


class SignatoryError(SaferhubError, ValueError):
    """A signature by someone who may not make it: not the office's holder, or the person who
    already made the other signature."""


def check_signatory(*, step: SignOffStep | str, signer: str, holder: str | None, earlier: Iterable[str]) -> None:
    """Separation of duties on the return: each signature is made by the account holding that
    step's office, and the two signatures are by two different people. Accounts are named by
    their (unique) usernames; ``earlier`` are the accounts that signed the return before."""
    office = SignOffStep(step).in_sentence
    if holder is None:
        raise SignatoryError(f"nobody holds the office of {office}: an administrator must appoint its holder first")
    if signer != holder:
        raise SignatoryError(f"{signer} does not hold the office of {office}: only its holder may sign as {office}")
    if signer in set(earlier):
        raise SignatoryError(
            f"{signer} has already signed this return: its two signatures must be made by two different people"
        )


class IntentionState(str, Enum):
    CONFIRMED = "confirmed"
    AWAITING = "awaiting"
    TBC = "tbc"

    @property
    def label(self) -> str:
        return {"confirmed": "Confirmed", "awaiting": "Awaiting confirmation", "tbc": "To be confirmed"}[self.value]

    @property
    def tag(self) -> str:
        """The GOV.UK tag colour."""
        return {"confirmed": "green", "awaiting": "yellow", "tbc": "grey"}[self.value]


# The words for a check's outcome, on every page and document that shows the checks.
CHECK_WORDS: dict[bool | None, str] = {True: "Passed", False: "Needs attention", None: "For information"}


def check_words(ok: bool | None) -> str:
    return CHECK_WORDS.get(ok, CHECK_WORDS[None])


@dataclass(frozen=True)
class Finding:
    """The outcome of one check: ``ok`` is None for a figure that is shown, not judged."""

    code: str
    ok: bool | None
    message: str
    subject: str = ""  # a project letter, or "" for the fund

    @property
    def words(self) -> str:
        return check_words(self.ok)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "ok": self.ok, "subject": self.subject, "message": self.message}


def check_allocations(*, award: Decimal, carried_forward: Decimal, allocations: Iterable[Decimal]) -> Finding:
    """Allocations to projects must equal the year's award plus the carry-forward."""
    allocated = sum(allocations, Decimal("0.00"))
    available = award + carried_forward
    if allocated == available:
        return Finding(
            "allocations_reconcile",
            True,
            f"Allocations {format_money(allocated)} = award {format_money(award)} + carried forward {format_money(carried_forward)}.",
        )
    diff = allocated - available
    word = "over" if diff > 0 else "under"
    return Finding(
        "allocations_reconcile",
        False,
        f"Allocations {format_money(allocated)} are {format_money(abs(diff))} {word} the award {format_money(award)} + carried forward {format_money(carried_forward)} = {format_money(available)}.",
    )


def unallocated_intentions(*, award: Decimal, confirmed: Iterable[Decimal], as_at: str = "") -> Finding:
    """The part of the award that no confirmed intention has a home for (shown, not judged)."""
    balance = award - sum(confirmed, Decimal("0.00"))
    when = f" at {as_at}" if as_at else ""
    return Finding(
        "unallocated_intentions",
        None,
        f"{format_money(balance)} of the {format_money(award)} award had no confirmed home{when}.",
    )


def check_spend(*, subject: str, funding: Decimal, spend: Iterable[Decimal]) -> Finding:
    total = sum(spend, Decimal("0.00"))
    if total <= funding:
        return Finding(
            "spend_within_funding",
            True,
            f"Spend to date {format_money(total)} is within funding of {format_money(funding)}.",
            subject,
        )
    return Finding(
        "spend_within_funding",
        False,
        f"Spend to date {format_money(total)} exceeds funding of {format_money(funding)} by {format_money(total - funding)}.",
        subject,
    )


def scheduled_claim(*, award: Decimal, half: int) -> Decimal:
    """The schedule claims the award in two halves; the second takes the odd penny."""
    first = (award / 2).quantize(PENNY, rounding=ROUND_HALF_UP)
    return first if half == 1 else award - first


def check_claim(*, claimed: Decimal, award: Decimal, half: int) -> Finding:
    due = scheduled_claim(award=award, half=half)
    if claimed == due:
        return Finding(
            "claim_matches_schedule",
            True,
            f"Claim {format_money(claimed)} matches the schedule (half {half} of {format_money(award)}).",
        )
    return Finding(
        "claim_matches_schedule",
        False,
        f"Claim {format_money(claimed)} does not match the scheduled {format_money(due)} for half {half}.",
    )


def is_overdue(*, due: datetime.date | None, today: datetime.date, done_on: datetime.date | None) -> bool:
    """Overdue: the deadline has passed and it was not done by then (done late stays late)."""
    if due is None:
        return False
    if done_on is not None:
        return done_on > due
    return today > due


def check_overdue(
    *, what: str, due: datetime.date | None, today: datetime.date, done_on: datetime.date | None, subject: str = ""
) -> Finding:
    if due is None:
        return Finding("return_on_time", None, f"{what} has no deadline.", subject)
    if is_overdue(due=due, today=today, done_on=done_on):
        late = "was made late" if done_on else "is overdue"
        return Finding("return_on_time", False, f"{what} {late}: it was due by {due:%-d %B %Y}.", subject)
    state = "was made on time" if done_on else "is not yet due"
    return Finding("return_on_time", True, f"{what} {state} (due by {due:%-d %B %Y}).", subject)
