"""Thin views of the board's business: find, check the rule, call one service, render."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from saferhub.accounts.permissions import has_permission, require
from saferhub.domain.governance import ScoringScheme

from . import services
from .forms import (
    ActionForm, ActionStatusForm, AgendaItemForm, AttendanceForm, DecisionForm, MeetingForm, MembershipForm, PackBuildForm,
    PaperForm, ScoreForm,
)
from .ics import calendar
from .models import Action, Board, Meeting, MeetingKind, Pack, Priority, TermsOfReference
from .packs import pack_issue
from .selectors import (
    BoardNotFound, action_log, board_get, coverage_for, memberships_current, quorum_for, ranked_priorities, reminders_for,
)


def governance_view(fn):
    """Logged-in users with governance.view; anonymous visitors go to the sign-in page."""

    @wraps(fn)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        require("governance.view", request.user, request=request)
        if "slug" in kwargs:
            try:
                kwargs["board"] = board_get(kwargs.pop("slug"))
            except BoardNotFound:
                raise Http404("No board for that partnership") from None
        return fn(request, *args, **kwargs)

    return wrapper


def _ctx(request: HttpRequest, board: Board | None = None, **extra):
    return {"nav": "governance", "board": board, "can_edit": has_permission("governance.edit", request.user),
            "can_build": has_permission("governance.pack.build", request.user), **extra}


@governance_view
def index(request):
    boards = Board.objects.select_related("partnership")
    if len(boards) == 1:
        return redirect("governance:board", slug=boards[0].partnership.slug)
    return render(request, "governance/index.html", _ctx(request, boards=boards))


@governance_view
def board_page(request, board):
    today = timezone.localdate()
    return render(request, "governance/board.html", _ctx(
        request, board, members=memberships_current(board, today), coverage=coverage_for(board, today),
        reminders=reminders_for(board, today), invitees=board.invitees.select_related("item__meeting"),
        past_members=[m for m in board.memberships.select_related("organisation") if not m.current_on(today)],
        form=MembershipForm()))


@governance_view
@require_POST
def membership_add(request, board):
    require("governance.edit", request.user, board, request=request)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_create(board=board, actor=request.user, now=timezone.now(), **form.cleaned_data)
            messages.success(request, "Member added.")
            return redirect("governance:board", slug=board.partnership.slug)
        except services.GovernanceError as e:
            form.add_error(None, str(e))
    today = timezone.localdate()
    return render(request, "governance/board.html", _ctx(
        request, board, members=memberships_current(board, today), coverage=coverage_for(board, today),
        reminders=reminders_for(board, today), invitees=board.invitees.all(), past_members=[], form=form), status=400)


@governance_view
def meetings(request, board):
    return render(request, "governance/meetings.html", _ctx(request, board, meetings=board.meetings.all(),
                                                            today=timezone.localdate(), kinds=MeetingKind.choices))


def _meeting(board: Board, pk: int) -> Meeting:
    return get_object_or_404(Meeting, pk=pk, board=board)


@governance_view
def meeting_page(request, board, pk):
    meeting = _meeting(board, pk)
    attendance = {a.membership_id: a for a in meeting.attendance.all()}
    rows = [(m, attendance.get(m.pk), AttendanceForm(prefix=f"m{m.pk}", initial={
        "kind": attendance[m.pk].kind if m.pk in attendance else "",
        "attended_by": attendance[m.pk].attended_by if m.pk in attendance else ""}))
        for m in memberships_current(board, meeting.date)]
    return render(request, "governance/meeting.html", _ctx(
        request, board, meeting=meeting, items=meeting.items.prefetch_related("papers", "invitees"),
        rows=rows, recorded=bool(attendance), quorum=quorum_for(meeting), rule=board.quorum_rule(), decisions=meeting.decisions.all(),
        log=action_log(meeting), packs=meeting.packs.all(), pack_form=PackBuildForm(), paper_form=PaperForm()))


@governance_view
@require_POST
def attendance_save(request, board, pk):
    meeting = _meeting(board, pk)
    require("governance.edit", request.user, meeting, request=request)
    now = timezone.now()
    errors = []
    for m in memberships_current(board, meeting.date):
        form = AttendanceForm(request.POST, prefix=f"m{m.pk}")
        if form.is_valid() and form.cleaned_data["kind"]:
            try:
                services.attendance_record(meeting=meeting, membership=m, kind=form.cleaned_data["kind"],
                                           attended_by=form.cleaned_data["attended_by"], actor=request.user, now=now)
            except services.GovernanceError as e:
                errors.append(f"{m.organisation}: {e}")
    for e in errors:
        messages.error(request, e)
    if not errors:
        messages.success(request, "Attendance saved.")
    return redirect("governance:meeting", slug=board.partnership.slug, pk=meeting.pk)


@governance_view
@require_POST
def pack_build(request, board, pk):
    meeting = _meeting(board, pk)
    require("governance.pack.build", request.user, meeting, request=request)
    form = PackBuildForm(request.POST)
    if form.is_valid():
        try:
            pack = pack_issue(meeting=meeting, kind=form.cleaned_data["kind"], actor=request.user, now=timezone.now())
            messages.success(request, f"Issue {pack.issue} built: {pack.pages} pages.")
        except services.GovernanceError as e:
            messages.error(request, str(e))
    return redirect("governance:meeting", slug=board.partnership.slug, pk=meeting.pk)


@governance_view
def pack_download(request, board, pk):
    pack = get_object_or_404(Pack, pk=pk, meeting__board=board)
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pack.filename()}"'
    response["X-Checksum-SHA256"] = pack.sha256
    return response


@governance_view
def packs(request, board):
    return render(request, "governance/packs.html", _ctx(
        request, board, packs=Pack.objects.filter(meeting__board=board).select_related("meeting").defer("pdf")))


@governance_view
def actions(request, board):
    rows = Action.objects.filter(meeting__board=board).select_related("meeting", "item")
    return render(request, "governance/actions.html", _ctx(request, board, actions=rows, form=ActionStatusForm(),
                                                           today=timezone.localdate()))


@governance_view
@require_POST
def action_status(request, board, pk):
    action = get_object_or_404(Action, pk=pk, meeting__board=board)
    require("governance.edit", request.user, action, request=request)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_set_status(action=action, status=form.cleaned_data["status"], on=timezone.localdate(),
                                       actor=request.user, now=timezone.now())
            messages.success(request, f"Action {action.ref} updated.")
        except services.GovernanceError as e:
            messages.error(request, str(e))
    return redirect("governance:actions", slug=board.partnership.slug)


@governance_view
def priorities(request, board):
    return render(request, "governance/priorities.html", _ctx(request, board, ranked=ranked_priorities(board),
                                                              scheme=_scheme(board)))


def _scheme(board: Board) -> ScoringScheme | None:
    record = services.current_scheme(board)
    return ScoringScheme.from_config(record.config) if record else None


@governance_view
def priority_page(request, board, pk):
    priority = get_object_or_404(Priority, pk=pk, board=board)
    scheme = _scheme(board)
    form = ScoreForm(scheme, request.POST or None) if scheme else None
    if request.method == "POST":
        require("governance.edit", request.user, priority, request=request)
        if form is not None and form.is_valid():
            try:
                services.priority_score(priority=priority, values=form.values(), scope=form.cleaned_data["scope"],
                                        confidence=form.cleaned_data["confidence"], scored_on=timezone.localdate(),
                                        illustrative=form.cleaned_data["illustrative"], note=form.cleaned_data["note"],
                                        actor=request.user, now=timezone.now())
                messages.success(request, "Score recorded.")
                return redirect("governance:priority", slug=board.partnership.slug, pk=priority.pk)
            except services.GovernanceError as e:
                form.add_error(None, str(e))
    return render(request, "governance/priority.html", _ctx(
        request, board, priority=priority, scores=priority.scores.select_related("scheme"), form=form),
        status=400 if request.method == "POST" else 200)


@governance_view
def terms(request, board):
    return render(request, "governance/terms.html", _ctx(request, board, versions=board.terms.all()))


@governance_view
def terms_page(request, board, pk):
    t = get_object_or_404(TermsOfReference, pk=pk, board=board)
    return render(request, "governance/terms_version.html", _ctx(request, board, terms=t, sections=t.sections.all()))


def _ics_response(meetings_qs, name: str, request) -> HttpResponse:
    data = calendar(meetings_qs, host=request.get_host().split(":")[0] or "saferhub.local", now=timezone.now(), name=name)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


@governance_view
def meetings_ics(request):
    return _ics_response(Meeting.objects.select_related("board").prefetch_related("items"), "Board meetings", request)


@governance_view
def board_ics(request, board):
    return _ics_response(board.meetings.prefetch_related("items"), f"{board.name} meetings", request)



# ------------------------------------------------------------------------ scheduling and minutes
def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        for e in errors:
            messages.error(request, f"{form[field].label}: {e}" if field != "__all__" else e)  # label made from the name when unset


@governance_view
@require_POST
def meeting_add(request, board):
    require("governance.edit", request.user, board, request=request)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_create(board=board, actor=request.user, now=timezone.now(), **form.cleaned_data)
            messages.success(request, "Meeting scheduled.")
            return redirect("governance:meeting", slug=board.partnership.slug, pk=meeting.pk)
        except services.GovernanceError as e:
            messages.error(request, str(e))
    else:
        _form_errors(request, form)
    return redirect("governance:meetings", slug=board.partnership.slug)


def _item_or_none(meeting: Meeting, number):
    return meeting.items.filter(pk=number).first() if number else None


@governance_view
@require_POST
def meeting_change(request, board, pk, what):
    """Add an agenda item, a paper, a decision or an action to a meeting."""
    meeting = _meeting(board, pk)
    require("governance.edit", request.user, meeting, request=request)
    forms_by_kind = {"item": AgendaItemForm, "paper": PaperForm, "decision": DecisionForm, "action": ActionForm}
    if what not in forms_by_kind:
        raise Http404("No such change")
    form = forms_by_kind[what](request.POST, request.FILES)
    now = timezone.now()
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("governance:meeting", slug=board.partnership.slug, pk=meeting.pk)
    data = form.cleaned_data
    try:
        if what == "item":
            services.agenda_item_create(meeting=meeting, actor=request.user, now=now, **data)
        elif what == "paper":
            item = get_object_or_404(meeting.items, pk=data["item"])
            content = data["file"].read() if data["file"] else None
            services.paper_add(item=item, title=data["title"], generator=data["generator"], content=content,
                               actor=request.user, now=now)
        elif what == "decision":
            services.decision_record(meeting=meeting, item=_item_or_none(meeting, data["item"]), text=data["text"],
                                     actor=request.user, now=now)
        else:
            services.action_create(meeting=meeting, item=_item_or_none(meeting, data["item"]), description=data["description"],
                                   owner=data["owner"], due_on=data["due_on"], actor=request.user, now=now)
        messages.success(request, f"{what.capitalize()} added.")
    except services.GovernanceError as e:
        messages.error(request, str(e))
    return redirect("governance:meeting", slug=board.partnership.slug, pk=meeting.pk)
