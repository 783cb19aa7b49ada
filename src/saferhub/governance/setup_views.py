"""The board's set-up pages (issue 15): the board itself, its terms of reference versions, members
and deputies, invited attendees, the meeting schedule and each meeting's agenda, created, changed
and retired by the officers who run the board (``governance.edit``). Thin views: a form, one
service, a redirect; a refusal is shown in the GOV.UK error summary, nothing having been written."""

from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from saferhub.accounts.permissions import require
from saferhub.govuk_pages import confirm_page, form_page
from saferhub.partnerships.models import Partnership

from . import services
from .models import AgendaItem, Board, InvitedAttendee, Meeting, Membership, TermsOfReference
from .selectors import memberships_current
from .setup_forms import (
    AdoptForm,
    BoardForm,
    EndMembershipForm,
    InviteeForm,
    ItemForm,
    MeetingSetupForm,
    MemberForm,
    TermsForm,
    sections_text,
)


def _partnership(request: HttpRequest, slug: str) -> Partnership:
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise Http404("No such partnership")
    require("governance.edit", request.user, partnership, request=request)
    return partnership


def _board(request: HttpRequest, slug: str) -> Board:
    partnership = _partnership(request, slug)
    board = Board.objects.filter(partnership=partnership).select_related("partnership").first()
    if board is None:
        raise Http404("No board for that partnership")
    return board


def _setup_url(board: Board) -> str:
    return reverse("governance:setup-board", args=[board.partnership.slug])


def _meeting_url(meeting: Meeting) -> str:
    return reverse("governance:setup-meeting", args=[meeting.board.partnership.slug, meeting.pk])


def _form_page(
    request: HttpRequest,
    form,
    save: Callable[[dict], str],
    *,
    title: str,
    caption: str,
    back: str,
    submit: str,
    done: str,
    intro: str = "",
) -> HttpResponse:
    return form_page(
        request,
        form,
        save,
        template="governance/setup_form.html",
        context={
            "nav": "governance",
            "title": title,
            "caption": caption,
            "back": back,
            "submit": submit,
            "intro": intro,
        },
        done=done,
        refusals=(services.GovernanceError,),
    )


def _confirm_page(
    request: HttpRequest,
    retire: Callable[[], Any],
    *,
    question: str,
    button: str,
    done: str,
    caption: str,
    back: str,
    explain: str,
) -> HttpResponse:
    return confirm_page(
        request,
        retire,
        template="governance/setup_confirm.html",
        context={
            "nav": "governance",
            "question": question,
            "button": button,
            "caption": caption,
            "back": back,
            "explain": explain,
        },
        done=done,
        done_url=back,
        refusals=(services.GovernanceError,),
    )


# ---------------------------------------------------------------------------------- the board
@login_required
def setup_board(request: HttpRequest, slug: str) -> HttpResponse:
    """The entry page: with no board, the form that creates it; then everything the board holds."""
    partnership = _partnership(request, slug)
    board = Board.objects.filter(partnership=partnership).first()
    if board is None:
        form = BoardForm(
            request.POST or None,
            initial={
                "name": partnership.name,
                "quorum_minimum_members": 5,
                "quorum_minimum_statutory": 3,
                "quorum_deputies_count": True,
            },
        )

        def save(data: dict) -> str:
            services.board_create(partnership=partnership, actor=request.user, now=timezone.now(), **data)
            return reverse("governance:setup-board", args=[slug])

        return _form_page(
            request,
            form,
            save,
            title="Create the board",
            caption=partnership.name,
            back=reverse("governance:board", args=[slug]),
            submit="Create the board",
            done="Board created: now add its members and schedule its meetings",
            intro="The partnership's board meets quarterly. Its quorum rule says how many members, and how many of "
            "the statutory agencies, must be present for its decisions to stand.",
        )
    today = timezone.localdate()
    return render(
        request,
        "governance/setup_board.html",
        {
            "nav": "governance",
            "board": board,
            "can_edit": True,
            "terms": TermsOfReference.objects.filter(board=board),
            "members": memberships_current(board, today),
            "other_members": [m for m in board.memberships.select_related("organisation") if not m.current_on(today)],
            "invitees": board.invitees.select_related("item__meeting"),
            "meetings": board.meetings.order_by("date", "starts_at"),
            "cancelled": Meeting.all_objects.filter(board=board, retired_at__isnull=False).order_by("date"),
            "today": today,
        },
    )


@login_required
def board_edit(request: HttpRequest, slug: str) -> HttpResponse:
    board = _board(request, slug)
    initial = {f: getattr(board, f) for f in services.BOARD_FIELDS}
    form = BoardForm(request.POST or None, initial=initial)

    def save(data: dict) -> str:
        changes = {k: v for k, v in data.items() if getattr(board, k) != v}
        if changes:
            services.board_update(board=board, actor=request.user, now=timezone.now(), **changes)
        return _setup_url(board)

    return _form_page(
        request,
        form,
        save,
        title="Change the board",
        caption=board.name,
        back=_setup_url(board),
        submit="Save",
        done="Board changed",
    )


# ------------------------------------------------------------------------ terms of reference
def _terms(board: Board, pk: int) -> TermsOfReference:
    terms = TermsOfReference.all_objects.filter(board=board, pk=pk).first()
    if terms is None:
        raise Http404("No such version")
    return terms


@login_required
def terms_add(request: HttpRequest, slug: str) -> HttpResponse:
    board = _board(request, slug)
    latest = TermsOfReference.objects.filter(board=board).first()
    form = TermsForm(request.POST or None, initial={"sections": sections_text(latest) if latest else ""})

    def save(data: dict) -> str:
        services.terms_create(board=board, actor=request.user, now=timezone.now(), **data)
        return _setup_url(board)

    return _form_page(
        request,
        form,
        save,
        title="Draft a new version of the terms of reference",
        caption=board.name,
        back=_setup_url(board),
        submit="Save the draft",
        done="Draft saved",
        intro="It starts from the latest version. Once the board adopts it, it replaces the version in force.",
    )


@login_required
def terms_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    board = _board(request, slug)
    terms = _terms(board, pk)
    initial = {"version": terms.version, "drafted_on": terms.drafted_on, "sections": sections_text(terms)}
    form = TermsForm(request.POST or None, initial=initial)

    def save(data: dict) -> str:
        services.terms_update(terms=terms, actor=request.user, now=timezone.now(), **data)
        return _setup_url(board)

    return _form_page(
        request,
        form,
        save,
        title=f"Change draft {terms.version}",
        caption=board.name,
        back=_setup_url(board),
        submit="Save",
        done="Draft changed",
    )


@login_required
def terms_adopt(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    board = _board(request, slug)
    terms = _terms(board, pk)
    form = AdoptForm(request.POST or None, initial={"adopted_on": timezone.localdate()})

    def save(data: dict) -> str:
        services.terms_adopt(terms=terms, adopted_on=data["adopted_on"], actor=request.user, now=timezone.now())
        return _setup_url(board)

    return _form_page(
        request,
        form,
        save,
        title=f"Record the adoption of {terms.version}",
        caption=board.name,
        back=_setup_url(board),
        submit="Record the adoption",
        done=f"Terms of reference {terms.version} adopted",
        intro="The version in force now is superseded; the adopted version is due for review a year on.",
    )


@login_required
def terms_retire(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    board = _board(request, slug)
    terms = _terms(board, pk)
    return _confirm_page(
        request,
        lambda: services.terms_retire(terms=terms, actor=request.user, now=timezone.now()),
        question=f"Are you sure you want to withdraw draft {terms.version}?",
        button="Yes, withdraw the draft",
        done=f"Draft {terms.version} withdrawn",
        caption=board.name,
        back=_setup_url(board),
        explain="It is kept for the record and no longer listed among the versions.",
    )


# ----------------------------------------------------------------------- members and deputies
def _membership(board: Board, pk: int) -> Membership:
    m = Membership.objects.filter(board=board, pk=pk).select_related("organisation").first()
    if m is None:
        raise Http404("No such member")
    return m


@login_required
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    board = _board(request, slug)
    form = MemberForm(request.POST or None, initial={"starts_on": timezone.localdate()})

    def save(data: dict) -> str:
        services.membership_create(board=board, actor=request.user, now=timezone.now(), **data)
        return _setup_url(board)

    return _form_page(
        request,
        form,
        save,
        title="Add a member",
        caption=board.name,
        back=_setup_url(board),
        submit="Add the member",
        done="Member added",
        intro="An organisation's seat on the board: its representative and the deputy mandated to attend in their place.",
    )


@login_required
def member_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    board = _board(request, slug)
    m = _membership(board, pk)
    form = MemberForm(request.POST or None, initial={f: getattr(m, f) for f in services.MEMBERSHIP_FIELDS})

    def save(data: dict) -> str:
        changes = {k: v for k, v in data.items() if getattr(m, k) != v}
        if changes:
            services.membership_update(membership=m, actor=request.user, now=timezone.now(), **changes)
        return _setup_url(board)

    return _form_page(
        request,
        form,
        save,
        title=f"Change the membership of {m.organisation}",
        caption=board.name,
        back=_setup_url(board),
        submit="Save",
        done="Membership changed",
    )


@login_required
def member_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Retiring a member is ending the membership: it stays in the board's history (attendance, quorum)."""
    board = _board(request, slug)
    m = _membership(board, pk)
    form = EndMembershipForm(request.POST or None, initial={"ends_on": timezone.localdate()})

    def save(data: dict) -> str:
        services.membership_update(membership=m, ends_on=data["ends_on"], actor=request.user, now=timezone.now())
        return _setup_url(board)

    return _form_page(
        request,
        form,
        save,
        title=f"End the membership of {m.representative} ({m.organisation})",
        caption=board.name,
        back=_setup_url(board),
        submit="End the membership",
        done="Membership ended",
        intro="The member stays in the board's history: attendance and quorums of past meetings still count them.",
    )


# ------------------------------------------------------------------------------------ invitees
def _upcoming_items(board: Board):
    return (
        AgendaItem.objects.filter(meeting__board=board, meeting__retired_at__isnull=True)
        .select_related("meeting")
        .order_by("meeting__date", "number")
    )


def _invitee(board: Board, pk: int) -> InvitedAttendee:
    i = InvitedAttendee.objects.filter(board=board, pk=pk).first()
    if i is None:
        raise Http404("No such invitation")
    return i


@login_required
def invitee_add(request: HttpRequest, slug: str) -> HttpResponse:
    board = _board(request, slug)
    form = InviteeForm(request.POST or None, items=_upcoming_items(board))

    def save(data: dict) -> str:
        services.invitee_add(board=board, actor=request.user, now=timezone.now(), **data)
        return _setup_url(board)

    return _form_page(
        request,
        form,
        save,
        title="Invite someone to the board",
        caption=board.name,
        back=_setup_url(board),
        submit="Invite",
        done="Invitation recorded",
        intro="Someone who is not a member, invited for an agenda item or for a time-limited period.",
    )


@login_required
def invitee_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    board = _board(request, slug)
    inv = _invitee(board, pk)
    initial = {f: getattr(inv, f) for f in services.INVITEE_FIELDS}
    initial["item"] = inv.item_id
    form = InviteeForm(request.POST or None, items=_upcoming_items(board), initial=initial)

    def save(data: dict) -> str:
        services.invitee_update(invitee=inv, actor=request.user, now=timezone.now(), **data)
        return _setup_url(board)

    return _form_page(
        request,
        form,
        save,
        title=f"Change the invitation of {inv.name}",
        caption=board.name,
        back=_setup_url(board),
        submit="Save",
        done="Invitation changed",
    )


@login_required
def invitee_retire(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    board = _board(request, slug)
    inv = _invitee(board, pk)
    return _confirm_page(
        request,
        lambda: services.invitee_retire(invitee=inv, actor=request.user, now=timezone.now()),
        question=f"Are you sure you want to withdraw the invitation of {inv.name}?",
        button="Yes, withdraw the invitation",
        done="Invitation withdrawn",
        caption=board.name,
        back=_setup_url(board),
        explain="It is kept for the record and no longer listed on the board's page.",
    )


# ------------------------------------------------------------------------ meetings and agendas
def _meeting(board: Board, pk: int) -> Meeting:
    meeting = Meeting.objects.filter(board=board, pk=pk).select_related("board__partnership").first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


@login_required
def meeting_add(request: HttpRequest, slug: str) -> HttpResponse:
    board = _board(request, slug)
    form = MeetingSetupForm(request.POST or None)

    def save(data: dict) -> str:
        return _meeting_url(services.meeting_create(board=board, actor=request.user, now=timezone.now(), **data))

    return _form_page(
        request,
        form,
        save,
        title="Schedule a meeting",
        caption=board.name,
        back=_setup_url(board),
        submit="Schedule the meeting",
        done="Meeting scheduled: now set its agenda",
    )


@login_required
def meeting_setup(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    board = _board(request, slug)
    meeting = _meeting(board, pk)
    return render(
        request,
        "governance/setup_meeting.html",
        {
            "nav": "governance",
            "board": board,
            "can_edit": True,
            "meeting": meeting,
            "items": meeting.items.prefetch_related("papers"),
            "withdrawn": AgendaItem.all_objects.filter(meeting=meeting, retired_at__isnull=False).order_by("number"),
        },
    )


@login_required
def meeting_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    board = _board(request, slug)
    meeting = _meeting(board, pk)
    form = MeetingSetupForm(request.POST or None, initial={f: getattr(meeting, f) for f in services.MEETING_FIELDS})

    def save(data: dict) -> str:
        changes = {k: v for k, v in data.items() if getattr(meeting, k) != v}
        if changes:
            services.meeting_update(meeting=meeting, actor=request.user, now=timezone.now(), **changes)
        return _meeting_url(meeting)

    return _form_page(
        request,
        form,
        save,
        title="Change the meeting",
        caption=str(meeting),
        back=_meeting_url(meeting),
        submit="Save",
        done="Meeting changed",
    )


@login_required
def meeting_retire(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    board = _board(request, slug)
    meeting = _meeting(board, pk)
    return _confirm_page(
        request,
        lambda: services.meeting_retire(meeting=meeting, actor=request.user, now=timezone.now()),
        question=f"Are you sure you want to cancel the meeting of {meeting.date:%-d %B %Y}?",
        button="Yes, cancel the meeting",
        done="Meeting cancelled",
        caption=board.name,
        back=_setup_url(board),
        explain="It is kept for the record, with any pack already issued, and taken off the schedule and the calendar.",
    )


def _item(meeting: Meeting, item_pk: int) -> AgendaItem:
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_pk).first()
    if item is None:
        raise Http404("No such agenda item")
    return item


@login_required
def item_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    board = _board(request, slug)
    meeting = _meeting(board, pk)
    last = meeting.items.order_by("-number").first()
    form = ItemForm(request.POST or None, initial={"number": (last.number + 1) if last else 1})

    def save(data: dict) -> str:
        services.agenda_item_create(meeting=meeting, actor=request.user, now=timezone.now(), **data)
        return _meeting_url(meeting)

    return _form_page(
        request,
        form,
        save,
        title="Add an agenda item",
        caption=str(meeting),
        back=_meeting_url(meeting),
        submit="Add the item",
        done="Agenda item added",
    )


@login_required
def item_edit(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    board = _board(request, slug)
    meeting = _meeting(board, pk)
    item = _item(meeting, item_pk)
    form = ItemForm(request.POST or None, initial={f: getattr(item, f) for f in services.ITEM_FIELDS})

    def save(data: dict) -> str:
        services.agenda_item_update(item=item, actor=request.user, now=timezone.now(), **data)
        return _meeting_url(meeting)

    return _form_page(
        request,
        form,
        save,
        title=f"Change item {item.number}",
        caption=str(meeting),
        back=_meeting_url(meeting),
        submit="Save",
        done="Agenda item changed",
    )


@login_required
def item_retire(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    board = _board(request, slug)
    meeting = _meeting(board, pk)
    item = _item(meeting, item_pk)
    return _confirm_page(
        request,
        lambda: services.agenda_item_retire(item=item, actor=request.user, now=timezone.now()),
        question=f"Are you sure you want to withdraw item {item.number}, {item.subject}?",
        button="Yes, withdraw the item",
        done=f"Item {item.number} withdrawn",
        caption=str(meeting),
        back=_meeting_url(meeting),
        explain="It is kept for the record, with its papers, and left out of packs built from now on.",
    )


@login_required
@require_POST
def item_move(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    board = _board(request, slug)
    meeting = _meeting(board, pk)
    item = _item(meeting, item_pk)
    try:
        services.agenda_item_move(
            item=item, up=request.POST.get("direction") == "up", actor=request.user, now=timezone.now()
        )
    except services.GovernanceError as exc:
        messages.error(request, str(exc)[:1].upper() + str(exc)[1:])
    else:
        messages.success(request, f"Item ‘{item.subject}’ moved")
    return redirect(_meeting_url(meeting))
