"""Reads of the board's business that apply its rules (coverage, quorum, the action log as a
meeting sees it, the ranked priorities, the reminders)."""

from __future__ import annotations

import datetime
from typing import Any

from saferhub.domain.governance import (
    ActionEntry,
    CoverageResult,
    PresentMember,
    QuorumResult,
    Reminder,
    ScoreBreakdown,
    action_log_at,
    quorum_check,
    rank_priorities,
    review_reminders,
    statutory_coverage,
)
from saferhub.domain.problems import SaferhubError

from .models import Action, AttendanceKind, Board, BoardRole, Meeting, Membership, ToRStatus


class BoardNotFound(SaferhubError, LookupError):
    pass


def board_get(slug: str) -> Board:
    board = Board.objects.select_related("partnership").filter(partnership__slug=slug).first()
    if board is None:
        raise BoardNotFound(slug)
    return board


def memberships_current(board: Board, on: datetime.date) -> list[Membership]:
    return [m for m in board.memberships.select_related("organisation") if m.current_on(on)]


def coverage_for(board: Board, on: datetime.date) -> CoverageResult:
    return statutory_coverage(m.organisation.kind for m in memberships_current(board, on))


def quorum_for(meeting: Meeting) -> QuorumResult:
    present = [
        PresentMember(
            organisation=str(a.membership.organisation_id),
            kind=a.membership.organisation.kind,
            as_deputy=a.kind == AttendanceKind.DEPUTY,
        )
        for a in meeting.attendance.select_related("membership__organisation")
        if a.kind in (AttendanceKind.PRESENT, AttendanceKind.DEPUTY)
    ]
    return quorum_check(meeting.board.quorum_rule(), present)


def action_log(meeting: Meeting) -> list[tuple[Action, str]]:
    """The action log for a meeting: open actions carried forward from earlier meetings, those
    closed since, and those raised at it."""
    actions = {a.pk: a for a in Action.objects.filter(meeting__board=meeting.board).select_related("meeting", "item")}
    entries = [ActionEntry(str(a.pk), a.meeting.date, a.due_on, a.status, a.closed_on) for a in actions.values()]
    previous = meeting.board.meetings.filter(date__lt=meeting.date).order_by("-date").first()
    return [
        (actions[int(e.ref)], note)
        for e, note in action_log_at(entries, meeting.date, previous.date if previous else None)
    ]


def ranked_priorities(board: Board) -> list[dict[str, Any]]:
    """Every priority with its current score, ranked under the scores' reasoning; unscored last."""
    priorities = list(board.priorities.select_related("owner__organisation").prefetch_related("scores", "indicators"))
    scored, unscored = [], []
    for p in priorities:
        s = p.scores.all()[0] if p.scores.all() else None
        (scored if s else unscored).append((p, s))
    by_name = {p.name: (p, s) for p, s in scored}
    breakdowns = [(p.name, ScoreBreakdown(s.total, _harm(s), 0, 0, 0, 0, tuple(s.reasons))) for p, s in scored]
    out = []
    for r in rank_priorities(breakdowns):
        p, s = by_name[r.name]
        out.append({"rank": r.rank, "priority": p, "score": s, "reasons": list(r.reasons)})
    out += [{"rank": None, "priority": p, "score": None, "reasons": ["Not scored yet"]} for p, _ in unscored]
    return out


def _harm(score: Any) -> Any:
    from decimal import Decimal

    from saferhub.domain.governance import ScoringScheme

    scheme = ScoringScheme.from_config(score.scheme.config)
    return Decimal(sum(int(score.values.get(k, 0)) for k in scheme.harm))


def reminders_for(board: Board, today: datetime.date) -> list[Reminder]:
    """Yearly reviews of the terms of reference and of the chair and vice-chair."""
    adopted = board.terms.filter(status=ToRStatus.ADOPTED).first()
    reviews: dict[str, datetime.date | None] = {"Terms of reference": adopted.adopted_on if adopted else None}
    for role in (BoardRole.CHAIR, BoardRole.VICE_CHAIR):
        holder = next((m for m in memberships_current(board, today) if m.board_role == role), None)
        reviews[role.label] = holder.starts_on if holder else None
    return review_reminders(reviews, today)
