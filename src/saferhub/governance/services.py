"""Every change to the board's business, each in one transaction with its audit event
(before/after). Times are arguments; the callers (views, commands, the demo) ask the clock."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any, Callable, Iterable

from django.db import transaction

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record, audit_value, audit_values, audited_update
from saferhub.domain import governance as rules
from saferhub.domain.governance import ScaleError, ScoringScheme, ToRAction, add_years, score_priority
from saferhub.domain.problems import SaferhubError
from saferhub.domain.workflow import TransitionError
from saferhub.partnerships.models import Organisation, Partnership
from saferhub.retiring import retire_record

from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceKind,
    Board,
    BoardRole,
    Decision,
    InvitedAttendee,
    Meeting,
    MeetingKind,
    Membership,
    Paper,
    PaperKind,
    PaperStatus,
    Priority,
    PriorityKind,
    PriorityScore,
    ScoringSchemeRecord,
    TermsOfReference,
    ToRSection,
    ToRStatus,
)


class GovernanceError(SaferhubError, ValueError):
    """A change the board's rules do not allow; the message is for the user. ``field`` names the form
    field the message is about, when there is one, so a page can show it beside that field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class GovernanceRefused(TransitionError, GovernanceError):
    """A move the board's workflow tables (saferhub.domain.governance) do not hold: the one
    TransitionError, and a GovernanceError for the pages that show it."""


class ActionRefused(GovernanceRefused):
    """An action's status change the table refuses, shown beside the status field."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="status")


# The board's tables, refusing in the governance app's words.
TERMS = rules.TERMS.refusing(GovernanceRefused)
PAPER_VERSION = rules.PAPER_VERSION.refusing(GovernanceRefused)
ACTIONS = rules.ACTIONS.refusing(ActionRefused)


_state = audit_values


def _audit(
    actor: Any,
    action: str,
    obj: Any,
    summary: str,
    now: datetime.datetime,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    audit_record(actor=actor, action=action, obj=obj, summary=summary, before=before, after=after, at=now)


def _update(
    obj: Any,
    allowed: Iterable[str],
    changes: dict[str, Any],
    check: Callable[[SimpleNamespace], None],
    *,
    actor: Any,
    now: datetime.datetime,
    summary: str,
) -> Any:
    """Change some of obj's allowed fields and log before and after. `check` sees the object as
    it would become and raises before anything is touched, so a refused change leaves obj as it was.
    `summary` names the changed object with "{}"."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise GovernanceError(f"cannot change {', '.join(sorted(unknown))}")
    check(SimpleNamespace(**{f: changes[f] if f in changes else getattr(obj, f) for f in allowed}))
    audited_update(obj, changes, actor=actor, at=now, summary=lambda o, _: summary.format(o))
    return obj


# ------------------------------------------------------------------------------- board, members
BOARD_FIELDS = ("name", "quorum_minimum_members", "quorum_minimum_statutory", "quorum_deputies_count")


@transaction.atomic
def board_create(
    *,
    partnership: Partnership,
    name: str,
    actor: Any,
    now: datetime.datetime,
    quorum_minimum_members: int = 5,
    quorum_minimum_statutory: int = 3,
    quorum_deputies_count: bool = True,
) -> Board:
    if Board.objects.filter(partnership=partnership).exists():
        raise GovernanceError(f"{partnership} already has a board")
    if quorum_minimum_statutory > quorum_minimum_members:
        raise GovernanceError(
            "the quorum cannot need more statutory agencies than members", field="quorum_minimum_statutory"
        )
    board = Board.objects.create(
        quorum_deputies_count=quorum_deputies_count,
        partnership=partnership,
        name=name,
        quorum_minimum_members=quorum_minimum_members,
        quorum_minimum_statutory=quorum_minimum_statutory,
    )
    _audit(actor, AuditAction.CREATE, board, f"board {name} created", now, after=_state(board, BOARD_FIELDS))
    return board


@transaction.atomic
def board_update(*, board: Board, actor: Any, now: datetime.datetime, **changes: Any) -> Board:
    """Change the board's name or its quorum rule."""

    def check(b: SimpleNamespace) -> None:
        if b.quorum_minimum_statutory > b.quorum_minimum_members:
            raise GovernanceError(
                "the quorum cannot need more statutory agencies than members", field="quorum_minimum_statutory"
            )

    return _update(board, BOARD_FIELDS, changes, check, actor=actor, now=now, summary="board {} changed")


MEMBERSHIP_FIELDS = (
    "organisation",
    "representative",
    "title",
    "board_role",
    "deputy",
    "deputy_title",
    "starts_on",
    "ends_on",
)


@transaction.atomic
def membership_create(
    *,
    board: Board,
    organisation: Organisation,
    representative: str,
    starts_on: datetime.date,
    actor: Any,
    now: datetime.datetime,
    title: str = "",
    board_role: str = BoardRole.MEMBER,
    deputy: str = "",
    deputy_title: str = "",
    ends_on: datetime.date | None = None,
) -> Membership:
    if ends_on is not None and ends_on < starts_on:
        raise GovernanceError("a membership cannot end before it starts", field="starts_on")
    m = Membership.objects.create(
        board=board,
        organisation=organisation,
        representative=representative,
        title=title,
        board_role=board_role,
        deputy=deputy,
        deputy_title=deputy_title,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _audit(
        actor,
        AuditAction.CREATE,
        m,
        f"{representative} ({organisation}) joined {board}",
        now,
        after=_state(m, MEMBERSHIP_FIELDS),
    )
    return m


@transaction.atomic
def membership_update(*, membership: Membership, actor: Any, now: datetime.datetime, **changes: Any) -> Membership:
    def check(m: SimpleNamespace) -> None:
        if m.ends_on is not None and m.ends_on < m.starts_on:
            raise GovernanceError("a membership cannot end before it starts", field="starts_on")

    return _update(
        membership, MEMBERSHIP_FIELDS, changes, check, actor=actor, now=now, summary="membership of {} changed"
    )


@transaction.atomic
def invitee_add(
    *,
    board: Board,
    name: str,
    actor: Any,
    now: datetime.datetime,
    organisation: str = "",
    reason: str = "",
    item: AgendaItem | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> InvitedAttendee:
    if item is None and (starts_on is None or ends_on is None):
        raise GovernanceError("invite someone for an item, or for a period with a start and an end")
    if starts_on and ends_on and ends_on < starts_on:
        raise GovernanceError("an invitation cannot end before it starts", field="ends_on")
    inv = InvitedAttendee.objects.create(
        board=board,
        name=name,
        organisation=organisation,
        reason=reason,
        item=item,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _audit(
        actor,
        AuditAction.CREATE,
        inv,
        f"{name} invited to {board}",
        now,
        after=_state(inv, ("name", "organisation", "reason", "item", "starts_on", "ends_on")),
    )
    return inv


INVITEE_FIELDS = ("name", "organisation", "reason", "item", "starts_on", "ends_on")


@transaction.atomic
def invitee_update(*, invitee: InvitedAttendee, actor: Any, now: datetime.datetime, **changes: Any) -> InvitedAttendee:
    _refuse_retired(invitee, f"the invitation of {invitee.name}")

    def check(i: SimpleNamespace) -> None:
        if i.item is None and (i.starts_on is None or i.ends_on is None):
            raise GovernanceError("invite someone for an item, or for a period with a start and an end")
        if i.starts_on and i.ends_on and i.ends_on < i.starts_on:
            raise GovernanceError("an invitation cannot end before it starts", field="ends_on")

    changes = {k: v for k, v in changes.items() if getattr(invitee, k, None) != v}
    if not changes:
        return invitee
    return _update(
        invitee, INVITEE_FIELDS, changes, check, actor=actor, now=now, summary="invitation of {0.name} changed"
    )


@transaction.atomic
def invitee_retire(*, invitee: InvitedAttendee, actor: Any, now: datetime.datetime) -> InvitedAttendee:
    _refuse_retired(invitee, f"the invitation of {invitee.name}")
    return retire_record(
        invitee, actor=actor, now=now, summary=f"invitation of {invitee.name} to {invitee.board} withdrawn"
    )


# ----------------------------------------------------------------------------- terms of reference
@transaction.atomic
def terms_create(
    *,
    board: Board,
    version: str,
    drafted_on: datetime.date,
    sections: list[tuple[str, str]],
    actor: Any,
    now: datetime.datetime,
) -> TermsOfReference:
    if TermsOfReference.all_objects.filter(board=board, version=version).exists():
        raise GovernanceError(f"the board already has terms of reference {version}", field="version")
    terms = TermsOfReference.objects.create(board=board, version=version, drafted_on=drafted_on)
    for i, (heading, text) in enumerate(sections, start=1):
        ToRSection.objects.create(terms=terms, position=i, heading=heading, text=text)
    _audit(
        actor,
        AuditAction.CREATE,
        terms,
        f"terms of reference {version} drafted",
        now,
        after={"version": version, "sections": [h for h, _ in sections]},
    )
    return terms


@transaction.atomic
def terms_update(
    *,
    terms: TermsOfReference,
    version: str,
    drafted_on: datetime.date,
    sections: list[tuple[str, str]],
    actor: Any,
    now: datetime.datetime,
) -> TermsOfReference:
    """Change a draft: its version, date and sections (an adopted version is the record: draft a new one)."""
    _refuse_retired(terms, f"terms of reference {terms.version}")
    TERMS.move(terms.status, ToRAction.EDIT, version=terms.version)
    if TermsOfReference.all_objects.filter(board=terms.board, version=version).exclude(pk=terms.pk).exists():
        raise GovernanceError(f"the board already has terms of reference {version}", field="version")
    before = {
        "version": terms.version,
        "drafted_on": audit_value(terms.drafted_on),
        "sections": [s.heading for s in terms.sections.all()],
    }
    terms.version, terms.drafted_on = version, drafted_on
    terms.save()
    terms.sections.all().delete()
    for i, (heading, text) in enumerate(sections, start=1):
        ToRSection.objects.create(terms=terms, position=i, heading=heading, text=text)
    after = {"version": version, "drafted_on": audit_value(drafted_on), "sections": [h for h, _ in sections]}
    _audit(actor, AuditAction.UPDATE, terms, f"terms of reference {version} changed", now, before=before, after=after)
    return terms


@transaction.atomic
def terms_retire(*, terms: TermsOfReference, actor: Any, now: datetime.datetime) -> TermsOfReference:
    """Withdraw a draft that will not be adopted (an adopted version is superseded by adopting another)."""
    _refuse_retired(terms, f"terms of reference {terms.version}")
    TERMS.move(terms.status, ToRAction.WITHDRAW, version=terms.version)
    return retire_record(terms, actor=actor, now=now, summary=f"draft terms of reference {terms.version} withdrawn")


@transaction.atomic
def terms_adopt(
    *, terms: TermsOfReference, adopted_on: datetime.date, actor: Any, now: datetime.datetime
) -> TermsOfReference:
    _refuse_retired(terms, f"terms of reference {terms.version}")
    adopted = TERMS.move(terms.status, ToRAction.ADOPT, version=terms.version)
    for old in TermsOfReference.objects.filter(board=terms.board, status=ToRStatus.ADOPTED).select_for_update():
        old.status = TERMS.move(old.status, ToRAction.SUPERSEDE, version=old.version)
        old.save(update_fields=["status"])
        _audit(
            actor,
            AuditAction.UPDATE,
            old,
            f"terms of reference {old.version} superseded",
            now,
            before={"status": ToRStatus.ADOPTED.value},
            after={"status": ToRStatus.SUPERSEDED.value},
        )
    before = _state(terms, ("status", "adopted_on", "review_on"))
    terms.status, terms.adopted_on, terms.review_on = adopted, adopted_on, add_years(adopted_on)
    terms.save()
    _audit(
        actor,
        AuditAction.UPDATE,
        terms,
        f"terms of reference {terms.version} adopted",
        now,
        before=before,
        after=_state(terms, ("status", "adopted_on", "review_on")),
    )
    return terms


# ------------------------------------------------------------------------------------ meetings
MEETING_FIELDS = ("kind", "date", "starts_at", "ends_at", "venue")


def _refuse_same_slot(board: Board, date: datetime.date, starts_at: datetime.time, but: Meeting | None = None) -> None:
    same = Meeting.objects.filter(board=board, date=date, starts_at=starts_at)
    if but is not None:
        same = same.exclude(pk=but.pk)
    if same.exists():
        raise GovernanceError(
            f"the board already has a meeting on {date:%-d %B %Y} at {starts_at:%H:%M}: choose another date or time",
            field="date",
        )


@transaction.atomic
def meeting_create(
    *,
    board: Board,
    date: datetime.date,
    starts_at: datetime.time,
    venue: str,
    actor: Any,
    now: datetime.datetime,
    ends_at: datetime.time | None = None,
    kind: str = MeetingKind.QUARTERLY,
) -> Meeting:
    if ends_at is not None and ends_at <= starts_at:
        raise GovernanceError("a meeting must end after it starts", field="ends_at")
    _refuse_same_slot(board, date, starts_at)
    meeting = Meeting.objects.create(
        board=board, kind=kind, date=date, starts_at=starts_at, ends_at=ends_at, venue=venue
    )
    _audit(
        actor,
        AuditAction.CREATE,
        meeting,
        f"meeting of {board} on {date} scheduled",
        now,
        after=_state(meeting, MEETING_FIELDS),
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: Any, now: datetime.datetime, **changes: Any) -> Meeting:
    """Reschedule or move a meeting (issued packs keep what they printed)."""

    def check(m: SimpleNamespace) -> None:
        if m.ends_at is not None and m.ends_at <= m.starts_at:
            raise GovernanceError("a meeting must end after it starts", field="ends_at")
        _refuse_same_slot(meeting.board, m.date, m.starts_at, but=meeting)

    return _update(meeting, MEETING_FIELDS, changes, check, actor=actor, now=now, summary="meeting {} changed")


@transaction.atomic
def agenda_item_create(
    *,
    meeting: Meeting,
    number: int,
    subject: str,
    purpose: str,
    actor: Any,
    now: datetime.datetime,
    lead: str = "",
    paper_url: str = "",
) -> AgendaItem:
    if AgendaItem.objects.filter(meeting=meeting, number=number).exists():
        raise GovernanceError(f"the agenda already has an item {number}", field="number")
    item = AgendaItem.objects.create(
        meeting=meeting, number=number, subject=subject, purpose=purpose, lead=lead, paper_url=paper_url
    )
    _audit(actor, AuditAction.CREATE, item, f"item {number} added to {meeting}", now, after=_state(item, ITEM_FIELDS))
    return item


ITEM_FIELDS = ("number", "subject", "purpose", "lead", "paper_url")


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, actor: Any, now: datetime.datetime, **changes: Any) -> AgendaItem:
    """Change an item: its title (subject), purpose, presenter (lead), paper link or number."""
    _refuse_retired(item, f"item {item.number}")

    def check(i: SimpleNamespace) -> None:
        taken = AgendaItem.objects.filter(meeting=item.meeting, number=i.number).exclude(pk=item.pk).first()
        if taken is not None:
            raise GovernanceError(f"the agenda already has an item {i.number} ({taken.subject})", field="number")

    changes = {k: v for k, v in changes.items() if getattr(item, k, None) != v}
    if not changes:
        return item
    return _update(item, ITEM_FIELDS, changes, check, actor=actor, now=now, summary="agenda item {} changed")


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool, actor: Any, now: datetime.datetime) -> AgendaItem:
    """Swap an item with the one before (``up``) or after it on the agenda; the numbers go with the places."""
    _refuse_retired(item, f"item {item.number}")
    items = AgendaItem.objects.filter(meeting=item.meeting)
    other = (
        items.filter(number__lt=item.number).order_by("-number").first()
        if up
        else items.filter(number__gt=item.number).order_by("number").first()
    )
    if other is None:
        raise GovernanceError(f"item {item.number} is already {'first' if up else 'last'} on the agenda")
    mine, theirs = item.number, other.number
    # Through a number no current item holds, as the numbers are unique among current items.
    AgendaItem.objects.filter(pk=item.pk).update(number=0)
    AgendaItem.objects.filter(pk=other.pk).update(number=mine)
    AgendaItem.objects.filter(pk=item.pk).update(number=theirs)
    item.refresh_from_db()
    _audit(
        actor,
        AuditAction.UPDATE,
        item,
        f"item '{item.subject}' moved {'up' if up else 'down'} the agenda of {item.meeting}",
        now,
        before={"number": mine, "swapped_with": other.subject},
        after={"number": theirs},
    )
    return item


def _refuse_retired(obj: Any, what: str) -> None:
    if getattr(obj, "retired", False):
        raise GovernanceError(f"{what} is retired: it is kept for the record and cannot be changed")


@transaction.atomic
def agenda_item_retire(*, item: AgendaItem, actor: Any, now: datetime.datetime) -> AgendaItem:
    """Withdraw an item from the agenda: kept (with its papers) for the record, left out of new packs."""
    _refuse_retired(item, f"item {item.number}")
    return retire_record(
        item, actor=actor, now=now, summary=f"item {item.number} ({item.subject}) withdrawn from {item.meeting}"
    )


@transaction.atomic
def meeting_retire(*, meeting: Meeting, actor: Any, now: datetime.datetime) -> Meeting:
    """Cancel a meeting: kept for the record (and its issued packs), off the schedule and calendar."""
    _refuse_retired(meeting, str(meeting))
    return retire_record(meeting, actor=actor, now=now, summary=f"meeting {meeting} cancelled")


def _check_pdf(content: bytes) -> None:
    """An uploaded paper must open, unencrypted, with at least one page, or the pack cannot be built."""
    from saferhub.rendering.pack_pdf import PdfUnreadable, page_count

    if not content.startswith(b"%PDF"):
        raise GovernanceError("an uploaded paper must be a PDF file", field="file")
    try:
        if page_count(content) < 1:
            raise GovernanceError("the PDF has no pages", field="file")
    except PdfUnreadable as e:
        raise GovernanceError(f"the PDF cannot be read: {e}", field="file") from None


@transaction.atomic
def paper_add(
    *,
    item: AgendaItem,
    title: str,
    actor: Any,
    now: datetime.datetime,
    generator: str = "",
    content: bytes | None = None,
    options: dict | None = None,
) -> Paper:
    from .papers import LIVE_PAPERS

    if (generator == "") == (content is None):
        raise GovernanceError(
            "a paper is either an uploaded PDF or a live paper, not both or neither", field="generator"
        )
    if content is not None:
        _check_pdf(content)
    if generator and generator not in LIVE_PAPERS:
        raise GovernanceError(f"no live paper called {generator!r}", field="generator")
    paper = Paper.objects.create(
        item=item,
        title=title,
        kind=PaperKind.LIVE if generator else PaperKind.UPLOAD,
        generator=generator,
        content=content,
        options=options or {},
        position=item.papers.count() + 1,
    )
    if content is not None:
        # An upload is version 1 of its paper, for the board (governance.paper_services adds more).
        paper.versions.create(
            number=1,
            status=PaperStatus.FOR_BOARD,
            author=getattr(actor, "username", "") or str(actor or ""),
            saved_by=getattr(actor, "username", "") or str(actor or ""),
            saved_at=now,
            content=content,
        )
    _audit(
        actor,
        AuditAction.CREATE,
        paper,
        f"paper '{title}' added to item {item.number}",
        now,
        after={"title": title, "kind": paper.kind, "generator": generator, "bytes": len(content or b"")},
    )
    return paper


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, membership: Membership, kind: str, actor: Any, now: datetime.datetime, attended_by: str = ""
) -> Attendance:
    if membership.board_id != meeting.board_id:
        raise GovernanceError("that member does not sit on this board", field="kind")
    if kind == AttendanceKind.DEPUTY and not (attended_by or membership.deputy):
        raise GovernanceError("name the deputy who attended", field="attended_by")
    if kind == AttendanceKind.DEPUTY and not attended_by:
        attended_by = membership.deputy
    existing = Attendance.objects.filter(meeting=meeting, membership=membership).first()
    before = _state(existing, ("kind", "attended_by")) if existing else None
    att, _ = Attendance.objects.update_or_create(
        meeting=meeting, membership=membership, defaults={"kind": kind, "attended_by": attended_by}
    )
    _audit(
        actor,
        AuditAction.UPDATE if existing else AuditAction.CREATE,
        att,
        f"attendance of {membership} at {meeting}: {att.get_kind_display()}",
        now,
        before=before,
        after=_state(att, ("kind", "attended_by")),
    )
    return att


@transaction.atomic
def decision_record(
    *, meeting: Meeting, text: str, actor: Any, now: datetime.datetime, item: AgendaItem | None = None
) -> Decision:
    d = Decision.objects.create(meeting=meeting, item=item, text=text)
    _audit(
        actor,
        AuditAction.CREATE,
        d,
        f"decision recorded at {meeting}",
        now,
        after={"text": text, "item": audit_value(item)},
    )
    return d


# ------------------------------------------------------------------------------------- actions
ACTION_FIELDS = ("description", "owner", "due_on", "status", "closed_on")


@transaction.atomic
def action_create(
    *,
    meeting: Meeting,
    description: str,
    owner: str,
    actor: Any,
    now: datetime.datetime,
    due_on: datetime.date | None = None,
    item: AgendaItem | None = None,
) -> Action:
    action = Action.objects.create(meeting=meeting, item=item, description=description, owner=owner, due_on=due_on)
    _audit(actor, AuditAction.CREATE, action, f"action raised at {meeting}", now, after=_state(action, ACTION_FIELDS))
    return action


@transaction.atomic
def action_set_status(*, action: Action, status: str, on: datetime.date, actor: Any, now: datetime.datetime) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    ACTIONS.move(action.status, status)
    before = _state(action, ("status", "closed_on"))
    action.status = status
    action.closed_on = on if status in (ActionStatus.DONE, ActionStatus.DROPPED) else None
    action.save(update_fields=["status", "closed_on"])
    _audit(
        actor,
        AuditAction.UPDATE,
        action,
        f"action {action.ref} now {action.get_status_display().lower()}",
        now,
        before=before,
        after=_state(action, ("status", "closed_on")),
    )
    return action


# ---------------------------------------------------------------------------------- priorities
@transaction.atomic
def scheme_set(*, board: Board, config: dict, actor: Any, now: datetime.datetime) -> ScoringSchemeRecord:
    try:
        scheme = ScoringScheme.from_config(config)
    except ScaleError as e:
        raise GovernanceError(str(e)) from e
    record = ScoringSchemeRecord.objects.create(board=board, config=scheme.to_config(), created_at=now)
    _audit(
        actor, AuditAction.CREATE, record, f"scoring scheme '{scheme.name}' set for {board}", now, after=record.config
    )
    return record


def current_scheme(board: Board) -> ScoringSchemeRecord | None:
    return board.scoring_schemes.first()


@transaction.atomic
def priority_create(
    *,
    board: Board,
    name: str,
    actor: Any,
    now: datetime.datetime,
    kind: str = PriorityKind.PRIORITY,
    description: str = "",
    owner: Membership | None = None,
    source: str = "",
    projects: list[str] | None = None,
    indicators: Iterable[Any] = (),
) -> Priority:
    p = Priority.objects.create(
        board=board, name=name, kind=kind, description=description, owner=owner, source=source, projects=projects or []
    )
    p.indicators.set(list(indicators))
    _audit(
        actor,
        AuditAction.CREATE,
        p,
        f"priority '{name}' added",
        now,
        after={
            "name": name,
            "kind": kind,
            "owner": audit_value(owner),
            "projects": p.projects,
            "indicators": [i.code for i in p.indicators.all()],
        },
    )
    return p


@transaction.atomic
def priority_score(
    *,
    priority: Priority,
    values: dict[str, int],
    scope: str,
    confidence: str,
    scored_on: datetime.date,
    actor: Any,
    now: datetime.datetime,
    illustrative: bool = False,
    note: str = "",
) -> PriorityScore:
    """Score a priority under the board's current scheme; earlier scores stay as its history."""
    record = current_scheme(priority.board)
    if record is None:
        raise GovernanceError("set the board's scoring scheme first")
    try:
        breakdown = score_priority(ScoringScheme.from_config(record.config), values, scope=scope, confidence=confidence)
    except ScaleError as e:
        raise GovernanceError(str(e)) from e
    previous = priority.scores.first()
    score = PriorityScore.objects.create(
        priority=priority,
        scheme=record,
        values=dict(values),
        scope=scope,
        confidence=confidence,
        total=breakdown.total,
        reasons=list(breakdown.reasons),
        illustrative=illustrative,
        note=note,
        scored_on=scored_on,
        scored_by=getattr(actor, "username", "") or (actor if isinstance(actor, str) else ""),
        created_at=now,
    )
    _audit(
        actor,
        AuditAction.UPDATE if previous else AuditAction.CREATE,
        score,
        f"priority '{priority}' scored {score.total}",
        now,
        before=({"total": str(previous.total), "values": previous.values} if previous else None),
        after={
            "total": str(score.total),
            "values": score.values,
            "scope": scope,
            "confidence": confidence,
            "illustrative": illustrative,
        },
    )
    return score
