"""Thin views of the board's business: find, check the rule, call one service, render."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from saferhub.accounts.permissions import has_permission, require
from saferhub.accounts.reauth import confirm_password_redirect
from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain.governance import ScoringScheme
from saferhub.jobs.models import JobStatus
from saferhub.jobs.selectors import job_latest
from saferhub.jobs.services import JobError, job_retry
from saferhub.performance.permissions import FIGURES
from saferhub.performance.web_views import needs_password_again
from saferhub.security.uploads import upload_refusal

from . import services
from .forms import (
    ActionForm,
    ActionStatusForm,
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    MeetingForm,
    MembershipForm,
    PackBuildForm,
    PaperForm,
    ScoreForm,
)
from .ics import calendar
from .models import Action, Board, Meeting, Pack, PackKind, Priority, TermsOfReference
from .packs import pack_build_start
from .selectors import (
    BoardNotFound,
    action_log,
    board_get,
    coverage_for,
    memberships_current,
    quorum_for,
    ranked_priorities,
    reminders_for,
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
    return {
        "nav": "governance",
        "board": board,
        "can_edit": has_permission("governance.edit", request.user),
        "can_build": has_permission("governance.pack.build", request.user),
        "can_read_packs": has_permission("governance.pack.read", request.user)
        and has_permission(FIGURES, request.user),
        **extra,
    }


@governance_view
def index(request):
    boards = Board.objects.select_related("partnership")
    if len(boards) == 1:
        return redirect("governance:board", slug=boards[0].partnership.slug)
    return render(request, "governance/index.html", _ctx(request, boards=boards))


def _service_error(form, error: services.GovernanceError, *, about: str = "") -> None:
    """Show a service's refusal beside the field it is about, or above the form; ``about`` names
    whom it concerns when one page holds a form per member."""
    form.add_error(error.field if error.field in form.fields else None, f"{error} ({about})" if about else str(error))


def _board_page(request, board, form: MembershipForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "governance/board.html",
        _ctx(
            request,
            board,
            members=memberships_current(board, today),
            coverage=coverage_for(board, today),
            reminders=reminders_for(board, today),
            invitees=board.invitees.select_related("item__meeting"),
            past_members=[m for m in board.memberships.select_related("organisation") if not m.current_on(today)],
            form=form or MembershipForm(),
            error_form=form,
        ),
        status=400 if form else 200,
    )


def board_page(request, slug):
    """The board's members; a partnership with no board yet is offered the page that creates one."""
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={request.path}")
    require("governance.view", request.user, request=request)
    try:
        board = board_get(slug)
    except BoardNotFound:
        from saferhub.partnerships.models import Partnership

        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            raise Http404("No such partnership") from None
        return render(request, "governance/no_board.html", _ctx(request, partnership=partnership))
    return _board_page(request, board)


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
            _service_error(form, e)
    return _board_page(request, board, form)


def _meetings_page(request, board, form: MeetingForm | None = None) -> HttpResponse:
    return render(
        request,
        "governance/meetings.html",
        _ctx(
            request,
            board,
            meetings=board.meetings.all(),
            today=timezone.localdate(),
            form=form or MeetingForm(),
            error_form=form,
        ),
        status=400 if form else 200,
    )


@governance_view
def meetings(request, board):
    return _meetings_page(request, board)


def _meeting(board: Board, pk: int) -> Meeting:
    return get_object_or_404(Meeting, pk=pk, board=board)


_CHANGE_FORMS = {"item": AgendaItemForm, "paper": PaperForm, "decision": DecisionForm, "action": ActionForm}


def _meeting_page(
    request, board, meeting: Meeting, *, error_form=None, error_kind: str = "", rows=None, retry_error: str = ""
) -> HttpResponse:
    """The meeting page; after a refused change, the form that failed is shown with its errors (and
    its section open) and the page answers 400."""
    attendance = {a.membership_id: a for a in meeting.attendance.all()}
    members = memberships_current(board, meeting.date)
    if rows is None:
        rows = [
            AttendanceForm(
                prefix=f"m{m.pk}",
                initial={
                    "kind": attendance[m.pk].kind if m.pk in attendance else "",
                    "attended_by": attendance[m.pk].attended_by if m.pk in attendance else "",
                },
            )
            for m in members
        ]
    items = meeting.items.prefetch_related("papers", "invitees")
    forms = {f"{kind}_form": cls(items=items) for kind, cls in _CHANGE_FORMS.items()}
    # A meeting's first issue is its agenda pack; any later one is a supplement to it.
    forms["pack_form"] = PackBuildForm(
        initial={"kind": PackKind.SUPPLEMENT if meeting.packs.exists() else PackKind.AGENDA}
    )
    if error_form is not None:
        forms[f"{error_kind}_form"] = error_form
    return render(
        request,
        "governance/meeting.html",
        _ctx(
            request,
            board,
            meeting=meeting,
            items=items,
            rows=[(m, attendance.get(m.pk), f) for m, f in zip(members, rows)],
            recorded=bool(attendance),
            quorum=quorum_for(meeting),
            rule=board.quorum_rule(),
            decisions=meeting.decisions.all(),
            log=action_log(meeting),
            packs=meeting.packs.all(),
            pack_job=job_latest(meeting),
            latest_pack=meeting.packs.order_by("-issue").defer("pdf").first(),
            retry_error=retry_error,
            error_form=error_form,
            error_kind=error_kind,
            **forms,
        ),
        status=400 if error_form is not None or retry_error else 200,
    )


@governance_view
def meeting_page(request, board, pk):
    return _meeting_page(request, board, _meeting(board, pk))


class _Combined:
    """Several forms' errors as one, for one error summary (the attendance table holds a form per member)."""

    def __init__(self, forms):
        self.forms = forms
        self.errors = [e for f in forms for e in f.errors.values()]

    def non_field_errors(self):
        return [e for f in self.forms for e in f.non_field_errors()]

    def visible_fields(self):
        return [field for f in self.forms for field in f.visible_fields()]

    def __iter__(self):
        return iter(self.visible_fields())


@governance_view
@require_POST
def attendance_save(request, board, pk):
    """All or nothing: a refusal for one member saves nobody's attendance, and the page shows why."""
    meeting = _meeting(board, pk)
    require("governance.edit", request.user, meeting, request=request)
    now = timezone.now()
    members = memberships_current(board, meeting.date)
    rows = [AttendanceForm(request.POST, prefix=f"m{m.pk}") for m in members]
    with transaction.atomic():
        for m, form in zip(members, rows):
            if form.is_valid() and form.cleaned_data["kind"]:
                try:
                    services.attendance_record(
                        meeting=meeting,
                        membership=m,
                        kind=form.cleaned_data["kind"],
                        attended_by=form.cleaned_data["attended_by"],
                        actor=request.user,
                        now=now,
                    )
                except services.GovernanceError as e:
                    _service_error(form, e, about=str(m.organisation))
        failed = [f for f in rows if f.errors]
        if failed:
            transaction.set_rollback(True)
    if failed:
        return _meeting_page(request, board, meeting, error_form=_Combined(failed), error_kind="attendance", rows=rows)
    messages.success(request, "Attendance saved.")
    return redirect("governance:meeting", slug=board.partnership.slug, pk=meeting.pk)


@governance_view
@require_POST
def pack_build(request, board, pk):
    """Put the build on the job queue; the meeting page shows how it goes (built at once with the
    immediate backend of the tests)."""
    meeting = _meeting(board, pk)
    require("governance.pack.build", request.user, meeting, request=request)
    form = PackBuildForm(request.POST)
    if form.is_valid():
        try:
            job = pack_build_start(meeting=meeting, kind=form.cleaned_data["kind"], actor=request.user)
        except services.GovernanceError as e:
            form.add_error("kind", str(e))
        else:
            _pack_job_message(request, meeting, job.status)
            return redirect("governance:meeting", slug=board.partnership.slug, pk=meeting.pk)
    return _meeting_page(request, board, meeting, error_form=form, error_kind="pack")


def _pack_job_message(request, meeting: Meeting, status: str) -> None:
    if status == JobStatus.DONE:
        pack = meeting.packs.order_by("-issue").defer("pdf").first()
        if pack is not None:
            messages.success(request, f"Issue {pack.issue} built: {pack.pages} pages.")
    elif status != JobStatus.FAILED:
        messages.success(request, "The pack is being built: this page shows when it is ready.")


@governance_view
@require_POST
def pack_retry(request, board, pk):
    """Put an interrupted pack build back on the queue."""
    meeting = _meeting(board, pk)
    require("governance.pack.build", request.user, meeting, request=request)
    job = job_latest(meeting)
    if job is None or not job.retryable:
        return _meeting_page(
            request, board, meeting, retry_error="Only an interrupted pack build can be retried: build the pack again"
        )
    try:
        job = job_retry(job, actor=request.user)
    except JobError as e:
        return _meeting_page(request, board, meeting, retry_error=str(e)[:1].upper() + str(e)[1:])
    _pack_job_message(request, meeting, job.status)
    return redirect("governance:meeting", slug=board.partnership.slug, pk=meeting.pk)


@governance_view
def pack_download(request, board, pk):
    """An issued pack, as an export of the figures it may carry: its own rule, the figures rule
    (any pack may hold the performance report, live or uploaded), the password again when the
    partnership has sensitive indicators, then audited."""
    pack = get_object_or_404(Pack.objects.select_related("meeting__board__partnership"), pk=pk, meeting__board=board)
    require("governance.pack.read", request.user, pack, request=request)
    require(FIGURES, request.user, pack, request=request)
    if needs_password_again(request, board.partnership):
        return confirm_password_redirect(request)
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pack.filename()}"'
    response["X-Checksum-SHA256"] = pack.sha256
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=pack,
        summary=f"board pack {pack.filename()} downloaded",
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return response


@governance_view
def packs(request, board):
    return render(
        request,
        "governance/packs.html",
        _ctx(request, board, packs=Pack.objects.filter(meeting__board=board).select_related("meeting").defer("pdf")),
    )


def _actions_page(
    request, board, *, form: ActionStatusForm | None = None, failed: Action | None = None
) -> HttpResponse:
    rows = Action.objects.filter(meeting__board=board).select_related("meeting", "item")
    return render(
        request,
        "governance/actions.html",
        _ctx(
            request,
            board,
            actions=rows,
            form=form or ActionStatusForm(),
            today=timezone.localdate(),
            error_form=form,
            failed=failed,
        ),
        status=400 if form else 200,
    )


@governance_view
def actions(request, board):
    return _actions_page(request, board)


@governance_view
@require_POST
def action_status(request, board, pk):
    action = get_object_or_404(Action, pk=pk, meeting__board=board)
    require("governance.edit", request.user, action, request=request)
    form = ActionStatusForm(request.POST, auto_id=f"%s-{action.pk}")  # the id of that action's select
    if form.is_valid():
        try:
            services.action_set_status(
                action=action,
                status=form.cleaned_data["status"],
                on=timezone.localdate(),
                actor=request.user,
                now=timezone.now(),
            )
            messages.success(request, f"Action {action.ref} updated.")
            return redirect("governance:actions", slug=board.partnership.slug)
        except services.GovernanceError as e:
            _service_error(form, e)
    return _actions_page(request, board, form=form, failed=action)


@governance_view
def priorities(request, board):
    return render(
        request,
        "governance/priorities.html",
        _ctx(request, board, ranked=ranked_priorities(board), scheme=_scheme(board)),
    )


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
                services.priority_score(
                    priority=priority,
                    values=form.values(),
                    scope=form.cleaned_data["scope"],
                    confidence=form.cleaned_data["confidence"],
                    scored_on=timezone.localdate(),
                    illustrative=form.cleaned_data["illustrative"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    now=timezone.now(),
                )
                messages.success(request, "Score recorded.")
                return redirect("governance:priority", slug=board.partnership.slug, pk=priority.pk)
            except services.GovernanceError as e:
                _service_error(form, e)
    failed = request.method == "POST"
    return render(
        request,
        "governance/priority.html",
        _ctx(
            request,
            board,
            priority=priority,
            scores=priority.scores.select_related("scheme"),
            form=form,
            error_form=form if failed else None,
        ),
        status=400 if failed else 200,
    )


@governance_view
def terms(request, board):
    return render(request, "governance/terms.html", _ctx(request, board, versions=board.terms.all()))


@governance_view
def terms_page(request, board, pk):
    t = get_object_or_404(TermsOfReference, pk=pk, board=board)
    from saferhub.domain.document import parse_or_plain

    sections = [(s.heading, parse_or_plain(s.text)) for s in t.sections.all()]
    return render(request, "governance/terms_version.html", _ctx(request, board, terms=t, sections=sections))


def _ics_response(meetings_qs, name: str, request) -> HttpResponse:
    data = calendar(
        meetings_qs, host=request.get_host().split(":")[0] or "saferhub.local", now=timezone.now(), name=name
    )
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
            _service_error(form, e)
    return _meetings_page(request, board, form)


def _item_or_none(meeting: Meeting, pk):
    return meeting.items.filter(pk=pk).first() if pk else None


@governance_view
@require_POST
def meeting_change(request, board, pk, what):
    """Add an agenda item, a paper, a decision or an action to a meeting."""
    meeting = _meeting(board, pk)
    require("governance.edit", request.user, meeting, request=request)
    if what not in _CHANGE_FORMS:
        raise Http404("No such change")
    extra = {"refusal": upload_refusal(request)} if what == "paper" else {}
    form = _CHANGE_FORMS[what](request.POST, request.FILES, items=meeting.items.all(), **extra)
    if form.is_valid():
        try:
            _meeting_change(meeting, what, form.cleaned_data, actor=request.user, now=timezone.now())
            messages.success(request, f"{what.capitalize()} added.")
            return redirect("governance:meeting", slug=board.partnership.slug, pk=meeting.pk)
        except services.GovernanceError as e:
            _service_error(form, e)
    return _meeting_page(request, board, meeting, error_form=form, error_kind=what)


def _meeting_change(meeting: Meeting, what: str, data: dict, *, actor, now) -> None:
    if what == "item":
        services.agenda_item_create(meeting=meeting, actor=actor, now=now, **data)
    elif what == "paper":
        content = data["file"].read() if data["file"] else None
        services.paper_add(
            item=_item_or_none(meeting, data["item"]),
            title=data["title"],
            generator=data["generator"],
            content=content,
            actor=actor,
            now=now,
        )
    elif what == "decision":
        services.decision_record(
            meeting=meeting, item=_item_or_none(meeting, data["item"]), text=data["text"], actor=actor, now=now
        )
    else:
        services.action_create(
            meeting=meeting,
            item=_item_or_none(meeting, data["item"]),
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            actor=actor,
            now=now,
        )
