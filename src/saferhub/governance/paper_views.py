"""Pages of the papers written or uploaded in saferhub: write or upload a paper for an agenda
item, see its versions, save a new version, release one for the board, read a version as PDF.
Papers go to the board, so they are read under the rule for packs; changes need governance.edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from saferhub.accounts.permissions import require
from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain.document import parse_or_plain
from saferhub.performance.permissions import FIGURES
from saferhub.security.uploads import upload_refusal

from . import paper_services
from .models import Meeting, Paper, PaperKind, PaperVersion
from .paper_forms import PaperUploadForm, PaperWriteForm, VersionUploadForm, VersionWriteForm
from .services import GovernanceError
from .views import _ctx, _service_error, governance_view

PAPERS_READ = "governance.pack.read"


def _paper(board, pk: int) -> Paper:
    return get_object_or_404(
        Paper.objects.select_related("item__meeting"), pk=pk, item__meeting__board=board, kind__in=_VERSIONED
    )


_VERSIONED = (PaperKind.WRITTEN, PaperKind.UPLOAD)


def _author(user) -> str:
    return user.get_full_name() or user.username


@governance_view
def paper_new(request, board, pk, how):
    """Write (``how="write"``) or upload (``how="upload"``) a paper for one of the meeting's items."""
    if how not in ("write", "upload"):
        raise Http404("No such page")
    meeting = get_object_or_404(Meeting, pk=pk, board=board)
    require("governance.edit", request.user, meeting, request=request)
    items = meeting.items.all()
    if request.method == "POST":
        if how == "write":
            form = PaperWriteForm(request.POST, items=items)
        else:
            form = PaperUploadForm(request.POST, request.FILES, items=items, refusal=upload_refusal(request))
        if form.is_valid():
            data = form.cleaned_data
            item = items.get(pk=data["item"]) if items.filter(pk=data["item"]).exists() else None
            try:
                if item is None:
                    raise GovernanceError("Select the agenda item", field="item")
                if how == "write":
                    paper = paper_services.paper_write(
                        item=item,
                        title=data["title"],
                        author=data["author"],
                        body=data["body"],
                        status=data["status"],
                        note=data["note"],
                        actor=request.user,
                        now=timezone.now(),
                    )
                else:
                    upload = data["file"]
                    paper = paper_services.paper_upload(
                        item=item,
                        title=data["title"],
                        author=data["author"],
                        content=upload.read(),
                        filename=upload.name,
                        status=data["status"],
                        actor=request.user,
                        now=timezone.now(),
                    )
                messages.success(request, f"Paper saved as version 1 ({paper.latest_version().get_status_display()}).")
                return redirect("governance:paper", slug=board.partnership.slug, pk=paper.pk)
            except GovernanceError as e:
                _service_error(form, e)
        status = 400
    else:
        initial = {"author": _author(request.user)}
        form = (
            PaperWriteForm(initial=initial, items=items)
            if how == "write"
            else PaperUploadForm(initial=initial, items=items)
        )
        status = 200
    return render(
        request,
        "governance/paper_new.html",
        _ctx(request, board, meeting=meeting, form=form, how=how, error_form=form if status == 400 else None),
        status=status,
    )


def _paper_page(request, board, paper: Paper, form=None) -> HttpResponse:
    versions = list(paper.versions.all())
    latest = versions[0] if versions else None
    if form is None:
        initial = {"author": latest.author if latest else _author(request.user)}
        if paper.kind == PaperKind.WRITTEN:
            form = VersionWriteForm(initial={**initial, "body": latest.body if latest else ""})
        else:
            form = VersionUploadForm(initial=initial)
        failed = False
    else:
        failed = True
    board_version = paper.board_version()
    return render(
        request,
        "governance/paper.html",
        _ctx(
            request,
            board,
            paper=paper,
            meeting=paper.item.meeting,
            versions=versions,
            latest=latest,
            board_version=board_version,
            blocks=parse_or_plain(latest.body) if latest and paper.kind == PaperKind.WRITTEN else (),
            form=form,
            error_form=form if failed else None,
        ),
        status=400 if failed else 200,
    )


@governance_view
def paper_page(request, board, pk):
    paper = _paper(board, pk)
    require(PAPERS_READ, request.user, paper, request=request)
    return _paper_page(request, board, paper)


@governance_view
@require_POST
def paper_version_add(request, board, pk):
    paper = _paper(board, pk)
    require("governance.edit", request.user, paper, request=request)
    if paper.kind == PaperKind.WRITTEN:
        form = VersionWriteForm(request.POST)
    else:
        form = VersionUploadForm(request.POST, request.FILES, refusal=upload_refusal(request))
    if form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        try:
            version = paper_services.paper_version_save(
                paper=paper,
                author=data["author"],
                status=data["status"],
                note=data["note"],
                body=data.get("body"),
                content=upload.read() if upload else None,
                filename=upload.name if upload else "",
                actor=request.user,
                now=timezone.now(),
            )
            messages.success(request, f"Saved as version {version.number} ({version.get_status_display()}).")
            return redirect("governance:paper", slug=board.partnership.slug, pk=paper.pk)
        except GovernanceError as e:
            _service_error(form, e)
    return _paper_page(request, board, paper, form)


@governance_view
@require_POST
def paper_release(request, board, pk):
    paper = _paper(board, pk)
    require("governance.edit", request.user, paper, request=request)
    try:
        version = paper_services.paper_release(paper=paper, actor=request.user, now=timezone.now())
        messages.success(request, f"Released for the board as version {version.number}.")
    except GovernanceError as e:
        messages.error(request, str(e)[:1].upper() + str(e)[1:] + ".")
    return redirect("governance:paper", slug=board.partnership.slug, pk=paper.pk)


@governance_view
def paper_version_pdf(request, board, pk, number):
    """One version as the PDF the pack would carry; an export, audited (a paper may quote figures)."""
    paper = _paper(board, pk)
    require(PAPERS_READ, request.user, paper, request=request)
    require(FIGURES, request.user, paper, request=request)
    version = get_object_or_404(PaperVersion, paper=paper, number=number)
    if paper.kind == PaperKind.WRITTEN:
        from .papers import written_paper_pdf

        pdf = written_paper_pdf(paper.title, version, paper.item.meeting)
    elif version.content is not None:
        pdf = bytes(version.content)
    else:
        raise Http404("No file")
    name = f"{board.partnership.slug}-paper-{paper.pk}-v{version.number}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=version,
        summary=f"paper '{paper.title}' version {version.number} downloaded",
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return response
