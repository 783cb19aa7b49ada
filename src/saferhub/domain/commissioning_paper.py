"""The commissioning paper of a board pack as a typed value: the year's intentions and each
fund's position as they stood on the paper's date (what had been awarded, confirmed and
committed by then, not what is known today). The governance layer builds it from the
commissioning records; the pack renderer prints it. Money is Decimal; its text is written here
once, by ``format_money``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .calendar import FinancialYear
from .commissioning import format_money

__all__ = ["PaperIntention", "FundPosition", "CommissioningPaper", "was_by"]

TO_BE_CONFIRMED = "To be confirmed"


def was_by(on: datetime.date | None, as_at: datetime.date) -> bool:
    """Whether something dated ``on`` had happened by ``as_at``. A record without a date (made
    before dates were kept) counts as always so: the figures it gave before are not lost."""
    return on is None or on <= as_at


def _money_or_tbc(value: Decimal | None, note: str = "") -> str:
    if value is not None:
        return format_money(value)
    return note or TO_BE_CONFIRMED


@dataclass(frozen=True)
class PaperIntention:
    """One row of the intentions table, in its state on the paper's date. ``contribution`` is
    None when it was not known then (an intention confirmed only later)."""

    area_of_need: str
    recommendation: str
    contribution: Decimal | None
    total_budget: Decimal | None
    total_budget_note: str  # the seed's own words, e.g. "£2m", when there is no figure
    confirmed: bool
    state_label: str  # "Confirmed", "Awaiting confirmation", "To be confirmed"

    @property
    def contribution_text(self) -> str:
        return _money_or_tbc(self.contribution)

    @property
    def total_budget_text(self) -> str:
        return _money_or_tbc(self.total_budget, self.total_budget_note)

    @property
    def note(self) -> str:
        """Printed under the recommendation: its state, unless confirmed."""
        return "" if self.confirmed else self.state_label


@dataclass(frozen=True)
class FundPosition:
    """A fund's position for the year on the paper's date. ``award`` is None when no award had
    been decided by then; ``carried_forward`` counts only a carry-forward recorded by then."""

    fund: str
    year: FinancialYear
    award: Decimal | None
    carried_forward: Decimal
    confirmed: Decimal
    confirmed_count: int
    committed: Decimal
    committed_count: int

    @property
    def available(self) -> Decimal:
        return (self.award or Decimal(0)) + self.carried_forward

    @property
    def unallocated(self) -> Decimal:
        """What no confirmed intention had yet claimed: the step between "available" and
        "confirmed intentions" that a reader would otherwise have to work out."""
        return self.available - self.confirmed

    @property
    def uncommitted(self) -> Decimal:
        return self.available - self.committed

    @property
    def title(self) -> str:
        """The caption of the fund's balances table, e.g. "Community Safety Fund 2017/18"."""
        return f"{self.fund} {self.year.label}"

    @property
    def lines(self) -> tuple[tuple[str, str], ...]:
        """(label, money text) rows of the balances table, under its ``title``, in the order
        that reconciles: available less confirmed intentions is what is not yet allocated,
        available less what projects hold is what is not yet committed."""
        award = format_money(self.award) if self.award is not None else "Not yet decided"
        return (
            ("Award", award),
            ("Carried forward", format_money(self.carried_forward)),
            ("Available", format_money(self.available)),
            ("Confirmed intentions", format_money(self.confirmed)),
            ("Not yet allocated to a confirmed intention", format_money(self.unallocated)),
            ("Committed to projects", format_money(self.committed)),
            ("Not yet committed", format_money(self.uncommitted)),
        )


@dataclass(frozen=True)
class CommissioningPaper:
    partnership: str
    as_at: datetime.date
    year: FinancialYear
    intentions: tuple[PaperIntention, ...]
    funds: tuple[FundPosition, ...]

    @property
    def as_at_text(self) -> str:
        return f"{self.as_at.day} {self.as_at:%B %Y}"

    @property
    def confirmed_count(self) -> int:
        return sum(1 for i in self.intentions if i.confirmed)

    @property
    def confirmed_total(self) -> Decimal:
        return sum((i.contribution for i in self.intentions if i.confirmed and i.contribution), Decimal(0))

    @property
    def confirmed_total_text(self) -> str:
        return format_money(self.confirmed_total)
