"""The half-year return to the funder as a typed value: the header block, one section a project,
the RAG ratings, the checks and the sign-off block, with money as ``Decimal``, the period as a
``Half`` and states as the domain's enums. The words and money text every rendering shows are
properties here, written once; the PDF, Word, Excel, JSON and web page only lay them out.

JSON is one rendering of it, with its one reader of stored JSON (a signed return's snapshot):
``saferhub.rendering.return_json``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import ClassVar, Iterable, Union

from .commissioning import (
    Finding,
    Half,
    Rag,
    ReviewState,
    SignOffState,
    SignOffStep,
    check_words,
    format_money,
)
from .document import Block, parse_or_plain

__all__ = [
    "Partnership",
    "Fund",
    "Cofunder",
    "SpendLine",
    "Outcome",
    "Kpi",
    "Milestone",
    "OutcomeText",
    "OutcomeTable",
    "OutcomeBlock",
    "outcome_blocks",
    "Appendix",
    "AppendixKind",
    "appendix_letter",
    "ProjectSection",
    "Check",
    "Signature",
    "SignatureText",
    "ReturnDocument",
    "check_appendix_references",
    "RAG_ROWS",
    "KPI_HEADINGS",
    "CHECK_LABELS",
    "TICK",
]

ZERO = Decimal("0.00")
TICK = "✓"
RAG_ROWS = [(rag, rag.label) for rag in Rag]
KPI_HEADINGS = [
    "Key performance indicator",
    "Measure",
    "Annual target",
    "Evidence source",
    "Reporting mechanism",
    "This half year",
]
CHECK_LABELS = {
    "allocations_reconcile": "Allocations equal award plus carry-forward",
    "unallocated_intentions": "Unallocated balance of the intentions",
    "spend_within_funding": "Spend within funding",
    "claim_matches_schedule": "Claim matches the schedule",
    "return_on_time": "Return made by its deadline",
    "appendix_references": "Appendices cited are attached",
}


def money_text(value: Decimal | None, *, pence: bool | None = None) -> str:
    return "" if value is None else format_money(value, pence=pence)


def _short_date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# --- the parts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Partnership:
    slug: str
    name: str


@dataclass(frozen=True)
class Fund:
    slug: str
    name: str
    funder: str


@dataclass(frozen=True)
class Cofunder:
    name: str
    amount: Decimal | None
    note: str


@dataclass(frozen=True)
class SpendLine:
    category: str
    amount: Decimal

    @property
    def amount_text(self) -> str:
        return money_text(self.amount, pence=True)


@dataclass(frozen=True)
class Outcome:
    description: str
    measure: str


@dataclass(frozen=True)
class Kpi:
    name: str
    measure: str
    annual_target: str
    target_to_be_agreed: bool
    evidence_source: str
    reporting_mechanism: str
    actual: Decimal | None
    actual_note: str

    @property
    def actual_text(self) -> str:
        """20.00 reads as 20, 68.50 as 68.5, with the provider's note; "Not yet reported" if neither."""
        # ``:f`` keeps normalize() from writing 2E+1
        shown = "" if self.actual is None else f"{self.actual.normalize():f}"
        if self.actual_note:
            shown = f"{shown} – {self.actual_note}" if shown else self.actual_note
        return shown or "Not yet reported"

    @property
    def row(self) -> list[str]:
        return [
            self.name,
            self.measure,
            self.annual_target,
            self.evidence_source,
            self.reporting_mechanism,
            self.actual_text,
        ]


@dataclass(frozen=True)
class Milestone:
    activity: str
    deadline: datetime.date
    deadline_label: str  # as the return gives it: "January 2018" when only the month is known
    deliverables: str
    done: bool

    @property
    def status_text(self) -> str:
        return "Done" if self.done else "To do"


@dataclass(frozen=True)
class OutcomeText:
    text: str
    is_table: ClassVar[bool] = False


@dataclass(frozen=True)
class OutcomeTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    is_table: ClassVar[bool] = True


OutcomeBlock = Union[OutcomeText, OutcomeTable]


def outcome_blocks(text: str) -> tuple[OutcomeBlock, ...]:
    """A project's progress text as blocks, in order: paragraphs and tables. A table is a
    paragraph whose lines after an optional title line all start with "|", cells separated by
    "|" (the first row the column headings), as the DOMES tables of the seed's project C."""
    blocks: list[OutcomeBlock] = []
    for paragraph in (text or "").split("\n\n"):
        if not paragraph.strip():
            continue
        lines = [line.strip() for line in paragraph.strip().split("\n")]
        title = "" if lines[0].startswith("|") else lines[0]
        rows = lines[1:] if title else lines
        if rows and all(line.startswith("|") for line in rows):
            cells = [tuple(c.strip() for c in line[1:].split("|")) for line in rows]
            blocks.append(OutcomeTable(title=title, columns=cells[0], rows=tuple(cells[1:])))
        else:
            blocks.append(OutcomeText(paragraph.strip()))
    return tuple(blocks)


def appendix_letter(index: int) -> str:
    """A, B, ... Z, then AA, AB ...: the letter of the ``index``-th appendix (0 is A)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class AppendixKind(str, Enum):
    NARRATIVE = "narrative"
    PDF = "pdf"

    @property
    def label(self) -> str:
        return {"narrative": "Written in saferhub", "pdf": "Uploaded PDF"}[self.value]


@dataclass(frozen=True)
class Appendix:
    """A document attached to a project's section: a narrative written in saferhub (``text``)
    or an uploaded PDF (``pdf_sha``, the key of its bytes in the upload store). Its letter is
    its place among all the return's appendices (A, B, ...), given when the return is built."""

    letter: str
    title: str
    kind: AppendixKind
    text: str = ""
    pdf_sha: str = ""
    pdf_name: str = ""
    pdf_pages: int = 0

    @property
    def heading(self) -> str:
        return f"Appendix {self.letter}: {self.title}"

    @property
    def paragraphs(self) -> list[str]:
        return [t.strip() for t in self.text.split("\n\n") if t.strip()]

    @property
    def blocks(self) -> tuple[Block, ...]:
        """A written appendix's headings, paragraphs, lists and tables, in the markup of every
        paper written in saferhub (domain/document.py)."""
        return parse_or_plain(self.text)

    @property
    def is_pdf(self) -> bool:
        return self.kind is AppendixKind.PDF

    @property
    def pages_text(self) -> str:
        return f"{self.pdf_pages} page{'s' if self.pdf_pages != 1 else ''}"

    @property
    def listing(self) -> str:
        """How the project's section names it: "Appendix A: Report … (3 pages)" for an upload."""
        return f"{self.heading} ({self.pages_text})" if self.is_pdf else self.heading

    @property
    def pdf_intro(self) -> str:
        follow = "follows" if self.pdf_pages == 1 else "follow"
        verb = "is" if self.pdf_pages == 1 else "are"
        return f"The {self.pages_text} that {follow} {verb} {self.pdf_name}, as attached by the partnership."

    @property
    def pdf_page_numbers(self) -> list[int]:
        return list(range(1, self.pdf_pages + 1))

    @property
    def reference_text(self) -> str:
        """What the Word return prints in place of an uploaded PDF."""
        pages = f", {self.pages_text}" if self.pdf_pages else ""
        return (
            f"This appendix is the document {self.pdf_name}{pages}, attached to the PDF return "
            "and available from the partnership on request."
        )


@dataclass(frozen=True)
class ProjectSection:
    letter: str
    title: str
    provider: str | None
    provider_type: str | None
    charity_number: str | None
    company_number: str | None
    provider_note: str
    commissioning_body: str
    funding: Decimal
    carried_forward_included: Decimal | None
    share_of_service: str
    total_service_budget: Decimal | None
    funding_note: str
    cofunders: tuple[Cofunder, ...]
    contract_start: datetime.date | None
    contract_end: datetime.date | None
    expenditure_breakdown: str
    spend_lines: tuple[SpendLine, ...]
    # None in snapshots signed before the half's spend was recorded apart from the year's
    spend_this_half: Decimal | None
    spend_to_date: Decimal
    outcomes: tuple[Outcome, ...]
    how_measured: str
    kpis: tuple[Kpi, ...]
    milestones: tuple[Milestone, ...]
    achieved: str
    actions: str
    rag: Rag | None
    rag_set_by: str
    rag_set_at: datetime.datetime | None
    review_state: ReviewState | None
    appendices: tuple[Appendix, ...] = ()

    @property
    def rag_label(self) -> str | None:
        return self.rag.label if self.rag else None

    @property
    def review_state_label(self) -> str | None:
        return self.review_state.label if self.review_state else None

    @property
    def unspent(self) -> Decimal:
        return self.funding - self.spend_to_date

    @property
    def funding_text(self) -> str:
        parts = [money_text(self.funding)]
        if self.share_of_service:
            total = (
                f" (total service budget {money_text(self.total_service_budget)})"
                if self.total_service_budget is not None
                else ""
            )
            parts.append(f"which provides {self.share_of_service} of the total service funding{total}.")
        if self.carried_forward_included:
            parts.append(f"Includes {money_text(self.carried_forward_included)} carried forward.")
        for c in self.cofunders:
            amount = f" {money_text(c.amount)}" if c.amount is not None else ""
            note = f" ({c.note})" if c.note else ""
            parts.append(f"Co-funded by {c.name}{amount}{note}.")
        if self.funding_note:
            parts.append(self.funding_note)
        return " ".join(parts)

    @property
    def cofunders_text(self) -> str | None:
        """ "Plymouth City Council (core budget): £10,000.00 (the remainder)"; a co-funder a line."""
        lines = []
        for c in self.cofunders:
            line = c.name + (f": {money_text(c.amount, pence=True)}" if c.amount is not None else "")
            lines.append(line + (f" ({c.note})" if c.note else ""))
        return "\n".join(lines) or None

    @property
    def provider_text(self) -> str:
        if not self.provider:
            who = self.provider_note or "Provider not yet appointed"
        else:
            who = f"Delivered by {self.provider} ({(self.provider_type or '').lower()})"
            if self.charity_number:
                who += f", registered charity {self.charity_number}"
            if self.company_number:
                who += f", company {self.company_number}"
            if self.provider_note:
                who += f". {self.provider_note}"
        if self.commissioning_body:
            who += f". Commissioned through {self.commissioning_body}"
        return who + "."

    @property
    def spend_text(self) -> str:
        if self.spend_lines or self.spend_to_date:
            this_half = self.spend_to_date if self.spend_this_half is None else self.spend_this_half
            if this_half != self.spend_to_date:
                return f"{money_text(self.spend_to_date)} to date, of which {money_text(this_half)} in this half year."
            return f"{money_text(self.spend_to_date)} to date."
        return self.expenditure_breakdown or "No spend recorded to date."

    @property
    def spend_rows(self) -> list[list[str]]:
        return [[s.category, s.amount_text] for s in self.spend_lines]

    @property
    def kpi_rows(self) -> list[list[str]]:
        return [k.row for k in self.kpis]

    @property
    def rag_rows(self) -> list[tuple[str, str]]:
        return [(label, TICK if self.rag is rag else "") for rag, label in RAG_ROWS]

    @property
    def rag_by(self) -> str:
        if self.rag_set_at is None:
            return ""
        return f"Rated by {self.rag_set_by} on {_short_date(self.rag_set_at.date())}"

    @property
    def achieved_blocks(self) -> tuple[OutcomeBlock, ...]:
        return outcome_blocks(self.achieved)

    @property
    def outcome_tables(self) -> list[OutcomeTable]:
        return [b for b in self.achieved_blocks if isinstance(b, OutcomeTable)]

    @property
    def achieved_prose(self) -> str:
        """The progress text without its tables (for a spreadsheet cell)."""
        return "\n\n".join(b.text for b in self.achieved_blocks if isinstance(b, OutcomeText))

    @property
    def actions_paragraphs(self) -> list[str]:
        return [t for t in self.actions.split("\n\n") if t.strip()]

    @property
    def appendix_references(self) -> list[str]:
        """The appendix letters the section's own words cite ("… is in appendix A"), in order."""
        texts = [self.funding_note, self.expenditure_breakdown, self.how_measured, self.achieved, self.actions]
        texts += [o.description for o in self.outcomes]
        found: list[str] = []
        for text in texts:
            for letter in _APPENDIX_REFERENCE.findall(text or ""):
                if letter not in found:
                    found.append(letter)
        return found


_APPENDIX_REFERENCE = re.compile(r"\b[Aa]ppendix\s+([A-Z]{1,2})\b")


def check_appendix_references(projects: Iterable[ProjectSection]) -> list[Finding]:
    """Each project's references to appendices name one of its own appendices: a finding a
    project whose text cites an appendix that is missing or attached to another project."""
    findings = []
    for p in projects:
        cited = p.appendix_references
        if not cited:
            continue
        own = {a.letter for a in p.appendices}
        wrong = [letter for letter in cited if letter not in own]
        if wrong:
            listed = ", ".join(f"appendix {x}" for x in wrong)
            has = ", ".join(sorted(own)) or "none"
            message = (
                f"Project {p.letter}'s text refers to {listed}, which is not one of its appendices (it has {has})."
            )
            findings.append(Finding(code="appendix_references", ok=False, subject=p.letter, message=message))
        else:
            listed = ", ".join(f"appendix {x}" for x in cited)
            findings.append(
                Finding(code="appendix_references", ok=True, subject=p.letter, message=f"Refers to {listed}, attached.")
            )
    return findings


@dataclass(frozen=True)
class Check:
    """One check on the return (an overspend, a late return), for the officers' internal summary."""

    code: str
    ok: bool | None
    subject: str
    message: str

    @classmethod
    def of(cls, finding: Finding) -> Check:
        return cls(code=finding.code, ok=finding.ok, subject=finding.subject, message=finding.message)

    @property
    def label(self) -> str:
        return CHECK_LABELS.get(self.code, self.code)

    @property
    def status(self) -> str:
        return check_words(self.ok)


@dataclass(frozen=True)
class Signature:
    """The signatory's name and job title (copied from their account and office when they
    signed) and the date; the office and the account's username, except in snapshots signed
    before accounts were recorded."""

    name: str
    job_title: str
    date: datetime.date | None
    office: str | None = None
    account: str | None = None


@dataclass(frozen=True)
class SignatureText:
    """A signature block as the return prints it: blank when not yet signed."""

    name: str = ""
    job_title: str = ""
    date: str = ""
    signed: str = ""

    @classmethod
    def of(cls, sig: Signature | None) -> SignatureText:
        if sig is None:
            return cls()
        return cls(
            name=sig.name.upper(),
            job_title=sig.job_title.upper(),
            date=_short_date(sig.date),
            signed=f"Signed electronically by {sig.name}",
        )


@dataclass(frozen=True)
class ReturnDocument:
    """The half-year return of one fund for one half year, in one version."""

    partnership: Partnership
    fund: Fund
    period: Half
    version: int
    state: SignOffState
    area: str
    half_year_end: str
    due_on: datetime.date | None
    allocation: Decimal
    carried_forward: Decimal
    carried_forward_note: str
    allocated: Decimal
    claimed: Decimal
    spent: Decimal
    projects: tuple[ProjectSection, ...]
    checks: tuple[Check, ...]
    csp_manager: Signature | None
    treasurer: Signature | None
    # the schema version of the stored JSON it was read from (rendering.return_json); None: built
    schema_version: int | None = field(default=None, compare=False)

    @property
    def financial_year(self) -> str:
        return self.period.financial_year_label

    @property
    def period_name(self) -> str:
        return self.period.name

    @property
    def title(self) -> str:
        return f"HALF YEAR REPORT RETURN - {self.fund.name.upper()} {self.financial_year.replace('/', '-')}"

    @property
    def half_word(self) -> str:
        return "First" if self.period.number == 1 else "Second"

    @property
    def status_text(self) -> str:
        return self.state.status_text

    @property
    def due_long(self) -> str:
        return self.due_on.strftime("%A %-d %B %Y") if self.due_on else ""

    @property
    def allocation_text(self) -> str:
        return money_text(self.allocation)

    @property
    def claimed_text(self) -> str:
        return money_text(self.claimed)

    @property
    def allocated_text(self) -> str:
        return money_text(self.allocated)

    @property
    def carried_forward_text(self) -> str:
        return money_text(self.carried_forward)

    @property
    def csp(self) -> SignatureText:
        return SignatureText.of(self.csp_manager)

    @property
    def cfo(self) -> SignatureText:
        return SignatureText.of(self.treasurer)

    @property
    def signatories(self) -> list[tuple[SignOffStep, Signature | None]]:
        """Each office's signature, in the order they are made (the office carries its words)."""
        return [(SignOffStep.CSP_MANAGER, self.csp_manager), (SignOffStep.TREASURER, self.treasurer)]

    @property
    def sign_blocks(self) -> list[tuple[SignOffStep, SignatureText]]:
        """Each office's signature block as the return prints it."""
        return [(step, SignatureText.of(sig)) for step, sig in self.signatories]

    @property
    def appendices(self) -> list[Appendix]:
        """Every project's appendices, in the order of the return (A, B, ...)."""
        return [a for p in self.projects for a in p.appendices]
