"""Appendices to a project's section of the half-year return (issue 17): a narrative written in
saferhub or an uploaded PDF. Each write is one transaction, audited, and like every change to a
signed period opens a new draft version of the half-year return (the signed one keeps its
snapshot, which names an uploaded PDF by its digest, so it still prints the same pages)."""

from __future__ import annotations

import datetime
import io
import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain.digest import blake3_hex
from saferhub.domain.problems import InputError
from saferhub.domain.returns import AppendixKind
from saferhub.security.uploads import upload_store

from .models import Appendix, AppendixFile, Project, ProjectReturn
from .services import CommissioningError, _open_new_version_if_frozen


def _after_change(project: Project, *, now: datetime.datetime, actor: Any) -> None:
    for period in ProjectReturn.objects.filter(project=project).values_list("period", flat=True):
        _open_new_version_if_frozen(fund=project.fund, period=period, now=now, actor=actor)


def _next_position(project: Project) -> int:
    last = project.appendices.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def pdf_pages(content: bytes, name: str) -> int:
    """The number of pages of a PDF; refused (CommissioningError) if it cannot be read or is
    protected, since its pages are printed into the return."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise CommissioningError(f"{name} is password-protected: upload a copy without a password")
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise CommissioningError(f"{name} could not be read as a PDF: save it again as a PDF and upload it") from exc
    if pages == 0:
        raise CommissioningError(f"{name} has no pages")
    return pages


@transaction.atomic
def appendix_add_narrative(*, project: Project, title: str, text: str, actor: Any, now: datetime.datetime) -> Appendix:
    title, text = title.strip(), text.strip()
    if not title:
        raise CommissioningError("Enter the title of the appendix")
    if not text:
        raise CommissioningError("Enter the text of the appendix")
    appendix = Appendix.objects.create(
        project=project,
        position=_next_position(project),
        title=title,
        kind=AppendixKind.NARRATIVE.value,
        text=text,
        created_at=now,
    )
    _after_change(project, now=now, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=appendix,
        at=now,
        summary=f"Added appendix {title!r} (narrative) to project {project.letter}",
        after={"title": title, "kind": "narrative", "characters": len(text)},
    )
    return appendix


@transaction.atomic
def appendix_add_pdf(*, project: Project, title: str, upload: Any, actor: Any, now: datetime.datetime) -> Appendix:
    """Attach an uploaded PDF: checked by ``upload_store`` (type, size, content), then read."""
    title = title.strip()
    if not title:
        raise CommissioningError("Enter the title of the appendix")
    name = Path(getattr(upload, "name", "") or "appendix.pdf").name
    with tempfile.TemporaryDirectory(prefix="saferhub-appendix-") as tmp:
        try:
            path = upload_store(upload, Path(tmp) / "appendix.pdf", allowed=(".pdf",))
        except InputError as exc:
            raise CommissioningError(str(exc)) from exc
        content = path.read_bytes()
    pages = pdf_pages(content, name)
    digest = blake3_hex(content)
    stored, _ = AppendixFile.objects.get_or_create(
        digest=digest, defaults={"content": content, "pages": pages, "uploaded_at": now}
    )
    appendix = Appendix.objects.create(
        project=project,
        position=_next_position(project),
        title=title,
        kind=AppendixKind.PDF.value,
        file=stored,
        file_name=name[:200],
        created_at=now,
    )
    _after_change(project, now=now, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=appendix,
        at=now,
        summary=f"Added appendix {title!r} ({name}, {pages} pages) to project {project.letter}",
        after={"title": title, "kind": "pdf", "file": name, "pages": pages, "blake3": digest},
    )
    return appendix


@transaction.atomic
def appendix_remove(*, appendix: Appendix, actor: Any, now: datetime.datetime) -> None:
    """Take an appendix off its project (an uploaded file's bytes stay: a signed return may print them)."""
    project = appendix.project
    before = {"title": appendix.title, "kind": appendix.kind, "file": appendix.file_name}
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=appendix,
        at=now,
        summary=f"Removed appendix {appendix.title!r} from project {project.letter}",
        before=before,
    )
    appendix.delete()
    _after_change(project, now=now, actor=actor)


def appendix_pdf(digest: str) -> bytes | None:
    """The bytes of an uploaded appendix, for printing a return (signed or not)."""
    found = AppendixFile.objects.filter(digest=digest).values_list("content", flat=True).first()
    return bytes(found) if found is not None else None
