"""The board's rules as plain Python: quorum, statutory coverage, the action log carried across
meetings, review reminders, and threat/risk/harm scoring of priorities in the manner of MoRiLE
(Management of Risk in Law Enforcement) with scales a partnership sets itself.

No Django here: the governance app feeds these functions with plain values and stores results.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, Iterable, Mapping, Sequence

from .problems import SaferhubError
from .workflow import Workflow

__all__ = [
    "STATUTORY_AGENCIES",
    "REQUIRED_MEMBERS",
    "QuorumRule",
    "QuorumResult",
    "PresentMember",
    "quorum_check",
    "CoverageResult",
    "statutory_coverage",
    "ActionEntry",
    "action_log_at",
    "ActionStatus",
    "ACTION_OPEN_STATES",
    "ACTION_CLOSED_STATES",
    "ACTIONS",
    "ToRStatus",
    "ToRAction",
    "TERMS",
    "PaperStatus",
    "PaperAction",
    "PAPER_VERSION",
    "add_years",
    "Reminder",
    "review_reminders",
    "ScaleError",
    "ScoringScheme",
    "ScoreBreakdown",
    "score_priority",
    "RankedPriority",
    "rank_priorities",
    "DEFAULT_SCHEME",
]

# Statutory CSP agencies (Crime and Disorder Act 1998, s.5), by the organisation-kind codes of
# saferhub.partnerships (kept as strings: this module must not import Django).
STATUTORY_AGENCIES: dict[str, str] = {
    "local_authority": "Local authority",
    "police": "Police",
    "fire_rescue": "Fire and rescue",
    "probation": "Probation",
    "health": "Health / CCG",
}
# The terms of reference ask, as a minimum, for the statutory agencies and the PCC.
REQUIRED_MEMBERS: dict[str, str] = {**STATUTORY_AGENCIES, "pcc": "Police and Crime Commissioner"}


# ---------------------------------------------------------------------------------------- quorum
@dataclass(frozen=True)
class QuorumRule:
    """A meeting is quorate when at least ``minimum_members`` member organisations are present
    (in person or by a mandated deputy) and, among them, at least ``minimum_statutory`` statutory
    agencies. ``deputies_count`` says whether a deputy counts for the member's organisation."""

    minimum_members: int = 5
    minimum_statutory: int = 3
    deputies_count: bool = True

    def describe(self) -> str:
        deputies = "deputies count" if self.deputies_count else "deputies do not count"
        return (
            f"at least {self.minimum_members} member organisations present, including "
            f"{self.minimum_statutory} statutory agencies ({deputies})"
        )


@dataclass(frozen=True)
class PresentMember:
    organisation: str
    kind: str
    as_deputy: bool = False


@dataclass(frozen=True)
class QuorumResult:
    quorate: bool
    members_present: int
    statutory_present: int
    reasons: tuple[str, ...]


def quorum_check(rule: QuorumRule, present: Iterable[PresentMember]) -> QuorumResult:
    """Count distinct organisations present (one organisation sending two people counts once)."""
    counted: dict[str, PresentMember] = {}
    for p in present:
        if p.as_deputy and not rule.deputies_count:
            continue
        counted.setdefault(p.organisation, p)
    members = len(counted)
    statutory = sum(1 for p in counted.values() if p.kind in STATUTORY_AGENCIES)
    reasons = []
    if members < rule.minimum_members:
        reasons.append(f"{members} member organisations present; the quorum is {rule.minimum_members}")
    if statutory < rule.minimum_statutory:
        reasons.append(f"{statutory} statutory agencies present; the quorum needs {rule.minimum_statutory}")
    return QuorumResult(not reasons, members, statutory, tuple(reasons))


# ------------------------------------------------------------------------------------- coverage
@dataclass(frozen=True)
class CoverageResult:
    represented: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    def missing_labels(self) -> list[str]:
        return [REQUIRED_MEMBERS[k] for k in self.missing]


def statutory_coverage(member_kinds: Iterable[str], required: Mapping[str, str] = REQUIRED_MEMBERS) -> CoverageResult:
    """Which required kinds of organisation have a current member and which have none."""
    kinds = set(member_kinds)
    return CoverageResult(
        represented=tuple(k for k in required if k in kinds),
        missing=tuple(k for k in required if k not in kinds),
    )


# ----------------------------------------------------------------------------------- action log
class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {"open": "Open", "in_progress": "In progress", "done": "Done", "dropped": "Dropped"}[self.value]

    @property
    def tag(self) -> str:
        """The GOV.UK tag colour."""
        return {"open": "yellow", "in_progress": "blue", "done": "green", "dropped": "grey"}[self.value]


# An open action has no closing date; a closed one (done or dropped) has one.
ACTION_OPEN_STATES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
ACTION_CLOSED_STATES = (ActionStatus.DONE, ActionStatus.DROPPED)

# An action's life: a closed action may be reopened, nothing else moves.
ACTIONS: Workflow[ActionStatus, ActionStatus] = Workflow.of_moves(
    ActionStatus,
    {
        ActionStatus.OPEN: [ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED],
        ActionStatus.IN_PROGRESS: [ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DROPPED],
        ActionStatus.DONE: [ActionStatus.OPEN],
        ActionStatus.DROPPED: [ActionStatus.OPEN],
    },
    lambda state, to: f"an action cannot go from {ActionStatus(state).label.lower()} to {to}",
)


@dataclass(frozen=True)
class ActionEntry:
    ref: str
    raised_on: datetime.date
    due_on: datetime.date | None
    status: str
    closed_on: datetime.date | None = None


def action_log_at(
    actions: Iterable[ActionEntry], meeting_date: datetime.date, previous_meeting: datetime.date | None = None
) -> list[tuple[ActionEntry, str]]:
    """The action log as a meeting sees it: every action raised up to the meeting that was still
    open on its date (carried forward, or overdue), plus those closed since the previous meeting
    (so the board sees them reported done), each with a note. Actions closed earlier drop off."""
    since = previous_meeting if previous_meeting is not None else meeting_date
    log = []
    for a in sorted(actions, key=lambda a: (a.raised_on, a.ref)):
        if a.raised_on > meeting_date:
            continue
        # Only the current status is stored: an action closed after this meeting was open at it.
        open_then = a.closed_on is None or a.closed_on > meeting_date
        if not open_then and a.closed_on is not None and a.closed_on < since:
            continue
        if a.raised_on == meeting_date:
            note = "raised at this meeting"
        elif not open_then:
            note = "closed since the last meeting"
        elif a.due_on is not None and a.due_on < meeting_date:
            note = "overdue, carried forward"
        else:
            note = "carried forward"
        log.append((a, note))
    return log


# ------------------------------------------------------------------------- terms and papers
class ToRStatus(StrEnum):
    """The terms of reference's life: drafted, adopted, superseded by the next adopted version."""

    DRAFT = "draft"
    ADOPTED = "adopted"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "adopted": "Adopted", "superseded": "Superseded"}[self.value]

    @property
    def tag(self) -> str:
        """The GOV.UK tag colour."""
        return {"draft": "yellow", "adopted": "green", "superseded": "grey"}[self.value]


class ToRAction(StrEnum):
    EDIT = "edit"
    WITHDRAW = "withdraw"
    ADOPT = "adopt"
    SUPERSEDE = "supersede"


def _terms_refusal(state: str, action: str, version: str = "") -> str:
    if action == ToRAction.ADOPT:
        return "only a draft can be adopted"
    try:
        now = ToRStatus(state).label.lower()
    except ValueError:
        now = state
    need = {
        ToRAction.EDIT.value: "draft a new version instead",
        ToRAction.WITHDRAW.value: "only a draft can be withdrawn",
        ToRAction.SUPERSEDE.value: "only adopted terms are superseded",
    }.get(action, f"they cannot be given '{action}'")
    return f"terms of reference {version} are {now}: {need}"


# The terms of reference: a draft is edited (or withdrawn, which retires it and leaves its
# status) until it is adopted; adopting the next version supersedes the adopted one.
TERMS: Workflow[ToRStatus, ToRAction] = Workflow(
    ToRStatus,
    ToRAction,
    {
        (ToRStatus.DRAFT, ToRAction.EDIT): ToRStatus.DRAFT,
        (ToRStatus.DRAFT, ToRAction.WITHDRAW): ToRStatus.DRAFT,
        (ToRStatus.DRAFT, ToRAction.ADOPT): ToRStatus.ADOPTED,
        (ToRStatus.ADOPTED, ToRAction.SUPERSEDE): ToRStatus.SUPERSEDED,
    },
    _terms_refusal,
)


class PaperStatus(StrEnum):
    """A paper version: a draft, or released for the board."""

    DRAFT = "draft"
    FOR_BOARD = "for_board"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "for_board": "For the board"}[self.value]

    @property
    def tag(self) -> str:
        """The GOV.UK tag colour."""
        return {"draft": "yellow", "for_board": "green"}[self.value]


class PaperAction(StrEnum):
    RELEASE = "release"


def _paper_refusal(state: str, action: str, number: object = "") -> str:
    if state == PaperStatus.FOR_BOARD:
        return f"version {number} is already released for the board"
    return f"version {number} cannot be given '{action}'"


# A paper version: a draft is released for the board (saved again as a new version marked for
# the board); a version for the board is not released again.
PAPER_VERSION: Workflow[PaperStatus, PaperAction] = Workflow(
    PaperStatus,
    PaperAction,
    {(PaperStatus.DRAFT, PaperAction.RELEASE): PaperStatus.FOR_BOARD},
    _paper_refusal,
)


# ------------------------------------------------------------------------------------ reminders
def add_years(day: datetime.date, years: int = 1) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Reminder:
    subject: str
    due_on: datetime.date
    overdue: bool
    # Nothing adopted or nobody appointed yet: due now.
    never_done: bool = False


def review_reminders(
    reviews: Mapping[str, datetime.date | None], today: datetime.date, *, lead_days: int = 60
) -> list[Reminder]:
    """Yearly reviews (terms of reference, chair, vice-chair): each subject's last adoption or
    appointment date gives a review date a year on; remind from ``lead_days`` before it."""
    out = []
    for subject, last in reviews.items():
        if last is None:
            out.append(Reminder(subject, today, True, never_done=True))
            continue
        due = add_years(last)
        if due - datetime.timedelta(days=lead_days) <= today:
            out.append(Reminder(subject, due, due < today))
    return sorted(out, key=lambda r: (r.due_on, r.subject))


# -------------------------------------------------------------------------------------- scoring
class ScaleError(SaferhubError, ValueError):
    """A score outside its scale, a missing factor, or a malformed scheme."""


@dataclass(frozen=True)
class ScoringScheme:
    """A MoRiLE-style scheme as data, so a partnership can set its own scales.

    ``harm``: factor -> (min, max), summed; ``scope``: geographic scope label -> multiplier of
    harm; ``likelihood``: factor -> (min, max), summed (includes victim vulnerability);
    ``organisation``: factor -> (min, max), summed: a weaker position (less capacity or
    capability) scores higher, because the partnership's gap makes the risk larger;
    ``confidence``: grade -> multiplier. Score = harm x scope x likelihood x (1 + org/org_max)
    x confidence, rounded to one decimal place."""

    name: str
    harm: Mapping[str, tuple[int, int]]
    scope: Mapping[str, Decimal]
    likelihood: Mapping[str, tuple[int, int]]
    organisation: Mapping[str, tuple[int, int]]
    confidence: Mapping[str, Decimal]

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "ScoringScheme":
        """Each part is a list of ``[name, min, max]`` (scales) or ``[name, multiplier]`` rows, so
        the order survives storage that sorts object keys (PostgreSQL jsonb); a plain mapping
        ``{name: [min, max]}`` / ``{name: multiplier}`` is accepted too."""

        def rows(part: Any) -> list[tuple[str, list[Any]]]:
            if isinstance(part, Mapping):
                return [(str(k), list(v) if isinstance(v, (list, tuple)) else [v]) for k, v in part.items()]
            return [(str(r[0]), list(r[1:])) for r in part]

        def scale(part: Any) -> dict[str, tuple[int, int]]:
            out = {}
            for k, v in rows(part):
                lo, hi = int(v[0]), int(v[1])
                if lo > hi:
                    raise ScaleError(f"scale of {k!r} runs from {lo} down to {hi}")
                out[k] = (lo, hi)
            return out

        def multipliers(part: Any) -> dict[str, Decimal]:
            return {k: Decimal(str(v[0])) for k, v in rows(part)}

        try:
            return cls(
                name=str(config["name"]),
                harm=scale(config["harm"]),
                scope=multipliers(config["scope"]),
                likelihood=scale(config["likelihood"]),
                organisation=scale(config["organisation"]),
                confidence=multipliers(config["confidence"]),
            )
        except (KeyError, TypeError, IndexError, ValueError, ArithmeticError) as e:
            if isinstance(e, ScaleError):
                raise
            raise ScaleError(f"scoring scheme is malformed: {e!r}") from e

    def to_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "harm": [[k, lo, hi] for k, (lo, hi) in self.harm.items()],
            "scope": [[k, str(v)] for k, v in self.scope.items()],
            "likelihood": [[k, lo, hi] for k, (lo, hi) in self.likelihood.items()],
            "organisation": [[k, lo, hi] for k, (lo, hi) in self.organisation.items()],
            "confidence": [[k, str(v)] for k, v in self.confidence.items()],
        }

    def factors(self) -> list[str]:
        return [*self.harm, *self.likelihood, *self.organisation]


DEFAULT_SCHEME = ScoringScheme(
    name="Default (MoRiLE-style, 0-4 scales)",
    harm={"physical": (0, 4), "psychological": (0, 4), "financial": (0, 4), "community": (0, 4)},
    scope={
        "individual": Decimal("1"),
        "neighbourhood": Decimal("1.25"),
        "city": Decimal("1.5"),
        "force area": Decimal("1.75"),
        "national": Decimal("2"),
    },
    likelihood={"frequency": (1, 4), "victim vulnerability": (0, 4)},
    organisation={"capacity gap": (0, 4), "capability gap": (0, 4)},
    confidence={"A": Decimal("1"), "B": Decimal("0.9"), "C": Decimal("0.8"), "D": Decimal("0.7")},
)


@dataclass(frozen=True)
class ScoreBreakdown:
    total: Decimal
    harm: Decimal
    scope_multiplier: Decimal
    likelihood: Decimal
    organisation_multiplier: Decimal
    confidence_multiplier: Decimal
    reasons: tuple[str, ...]


def _check(values: Mapping[str, int], scale: Mapping[str, tuple[int, int]]) -> list[tuple[str, int]]:
    out = []
    for factor, (lo, hi) in scale.items():
        if factor not in values:
            raise ScaleError(f"no score for {factor!r}")
        v = int(values[factor])
        if not lo <= v <= hi:
            raise ScaleError(f"{factor} score {v} is outside its scale {lo}-{hi}")
        out.append((factor, v))
    return out


def score_priority(scheme: ScoringScheme, values: Mapping[str, int], *, scope: str, confidence: str) -> ScoreBreakdown:
    """Combine sub-scores under the scheme, with each step written out as a reason."""
    unknown = set(values) - set(scheme.factors())
    if unknown:
        raise ScaleError(f"factors not in the scheme: {', '.join(sorted(unknown))}")
    if scope not in scheme.scope:
        raise ScaleError(f"unknown geographic scope {scope!r}: use one of {', '.join(scheme.scope)}")
    if confidence not in scheme.confidence:
        raise ScaleError(f"unknown confidence grade {confidence!r}: use one of {', '.join(scheme.confidence)}")
    harm_parts = _check(values, scheme.harm)
    like_parts = _check(values, scheme.likelihood)
    org_parts = _check(values, scheme.organisation)
    harm = Decimal(sum(v for _, v in harm_parts))
    likelihood = Decimal(sum(v for _, v in like_parts))
    org_max = sum(hi for _, hi in scheme.organisation.values()) or 1
    org = Decimal(sum(v for _, v in org_parts))
    org_mult = 1 + org / Decimal(org_max)
    scope_mult = scheme.scope[scope]
    conf_mult = scheme.confidence[confidence]
    total = (harm * scope_mult * likelihood * org_mult * conf_mult).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def parts(ps: Sequence[tuple[str, int]]) -> str:
        return " + ".join(f"{k} {v}" for k, v in ps)

    reasons = (
        f"Harm {harm} = {parts(harm_parts)}",
        f"Geographic scope '{scope}' multiplies harm by {scope_mult}",
        f"Likelihood {likelihood} = {parts(like_parts)}",
        f"Organisational position: {parts(org_parts)} of {org_max}, multiplier {org_mult.quantize(Decimal('0.01'))}",
        f"Confidence grade {confidence}: multiplier {conf_mult}",
        f"Score {harm} x {scope_mult} x {likelihood} x {org_mult.quantize(Decimal('0.01'))} x {conf_mult} = {total}",
    )
    return ScoreBreakdown(total, harm, scope_mult, likelihood, org_mult, conf_mult, reasons)


@dataclass(frozen=True)
class RankedPriority:
    rank: int
    name: str
    breakdown: ScoreBreakdown
    reasons: tuple[str, ...] = field(default=())


def rank_priorities(scored: Iterable[tuple[str, ScoreBreakdown]]) -> list[RankedPriority]:
    """Highest score first; ties share a rank and are broken by higher harm, then by name, and
    the reason for each placing against the next one down is stated."""
    items = sorted(scored, key=lambda p: (-p[1].total, -p[1].harm, p[0]))
    out: list[RankedPriority] = []
    for i, (name, b) in enumerate(items):
        rank = out[-1].rank if out and out[-1].breakdown.total == b.total else i + 1
        why = list(b.reasons)
        if i + 1 < len(items):
            nxt_name, nxt = items[i + 1]
            if nxt.total == b.total:
                why.append(
                    f"Level with {nxt_name} on score ({b.total}); listed first by harm {b.harm} v {nxt.harm}, then name"
                )
            else:
                why.append(f"Above {nxt_name}: score {b.total} v {nxt.total}")
        out.append(RankedPriority(rank, name, b, tuple(why)))
    return out
