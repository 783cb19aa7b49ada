"""Papers written or uploaded in saferhub, each save a new version (the earlier ones kept), with
an author and a status (draft, or released for the board). Each change is one transaction with
its audit event. A Word file is converted to PDF with LibreOffice headless when uploaded."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max

from saferhub.audit.models import AuditAction
from saferhub.domain.document import DocumentError, parse_document
from saferhub.domain.governance import PaperAction

from .models import AgendaItem, Paper, PaperKind, PaperStatus, PaperVersion
from .services import PAPER_VERSION, GovernanceError, _audit, _check_pdf

WORD_SUFFIX = ".docx"
CONVERT_SECONDS = 120


def _check_body(body: str) -> None:
    if not body.strip():
        raise GovernanceError("Write the paper's text", field="body")
    try:
        parse_document(body)
    except DocumentError as e:
        raise GovernanceError(f"The text cannot be read at {e}", field="body") from None


def word_to_pdf(content: bytes) -> bytes:
    """A Word (.docx) file as PDF, by LibreOffice headless (``soffice --headless --convert-to pdf``)."""
    if not content.startswith(b"PK"):
        raise GovernanceError("the file is not a Word (.docx) document", field="file")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise GovernanceError(
            "Word files cannot be converted on this server (LibreOffice is not installed): upload a PDF", field="file"
        )
    with tempfile.TemporaryDirectory(prefix="saferhub-docx-") as tmp:
        source = Path(tmp) / "paper.docx"
        source.write_bytes(content)
        try:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{tmp}/profile",  # its own profile: conversions never share a lock
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=CONVERT_SECONDS,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            raise GovernanceError("the Word file could not be converted to PDF: upload a PDF", field="file") from None
        out = Path(tmp) / "paper.pdf"
        if not out.exists():
            raise GovernanceError("the Word file could not be converted to PDF: upload a PDF", field="file")
        return out.read_bytes()


def _upload_pdf(content: bytes, filename: str) -> tuple[bytes, bytes | None]:
    """(the PDF, the original Word file or None)."""
    if filename.lower().endswith(WORD_SUFFIX):
        pdf = word_to_pdf(content)
        _check_pdf(pdf)
        return pdf, content
    _check_pdf(content)
    return content, None


def _next_number(paper: Paper) -> int:
    return (paper.versions.aggregate(m=Max("number"))["m"] or 0) + 1


def _check_status(status: str) -> None:
    if status not in PaperStatus.values:
        raise GovernanceError("Choose whether the version is a draft or for the board", field="status")


@transaction.atomic
def paper_version_save(
    *,
    paper: Paper,
    author: str,
    status: str,
    actor: Any,
    now: datetime.datetime,
    body: str | None = None,
    content: bytes | None = None,
    filename: str = "",
    note: str = "",
) -> PaperVersion:
    """Save a new version of a written paper (``body``) or an uploaded one (``content``, a PDF or
    a Word file named ``filename``). Earlier versions are never changed."""
    Paper.objects.select_for_update().filter(pk=paper.pk).first()  # one version number at a time
    _check_status(status)
    if not author.strip():
        raise GovernanceError("Enter the paper's author", field="author")
    fields: dict[str, Any] = {}
    if paper.kind == PaperKind.WRITTEN:
        if body is None:
            raise GovernanceError("A written paper's new version needs its text", field="body")
        _check_body(body)
        fields["body"] = body
    elif paper.kind == PaperKind.UPLOAD:
        if content is None:
            raise GovernanceError("Choose the file of the new version", field="file")
        pdf, original = _upload_pdf(content, filename)
        fields.update(content=pdf, original=original, original_name=filename[:255])
    else:
        raise GovernanceError("a live paper is generated from saferhub's data and has no versions")
    return _new_version(paper, author=author, status=status, actor=actor, now=now, note=note, fields=fields)


def _new_version(
    paper: Paper, *, author: str, status: str, actor: Any, now: datetime.datetime, note: str, fields: dict[str, Any]
) -> PaperVersion:
    version = PaperVersion.objects.create(
        paper=paper,
        number=_next_number(paper),
        status=status,
        author=author.strip(),
        saved_by=getattr(actor, "username", "") or (actor if isinstance(actor, str) else ""),
        saved_at=now,
        note=note,
        **fields,
    )
    _audit(
        actor,
        AuditAction.CREATE,
        version,
        f"version {version.number} of paper '{paper.title}' ({version.get_status_display()})",
        now,
        after={
            "number": version.number,
            "status": status,
            "author": version.author,
            "bytes": len(fields.get("content") or b"") or len(fields.get("body", "")),
            "original_name": fields.get("original_name", ""),
        },
    )
    return version


@transaction.atomic
def paper_write(
    *,
    item: AgendaItem,
    title: str,
    author: str,
    body: str,
    actor: Any,
    now: datetime.datetime,
    status: str = PaperStatus.DRAFT,
    note: str = "",
) -> Paper:
    """A paper written in saferhub, with its first version."""
    if not title.strip():
        raise GovernanceError("Enter the title of the paper", field="title")
    _check_body(body)
    _check_status(status)
    paper = Paper.objects.create(item=item, title=title, kind=PaperKind.WRITTEN, position=item.papers.count() + 1)
    _audit(
        actor,
        AuditAction.CREATE,
        paper,
        f"paper '{title}' added to item {item.number}",
        now,
        after={"title": title, "kind": paper.kind},
    )
    paper_version_save(paper=paper, author=author, status=status, body=body, note=note, actor=actor, now=now)
    return paper


@transaction.atomic
def paper_upload(
    *,
    item: AgendaItem,
    title: str,
    author: str,
    content: bytes,
    filename: str,
    actor: Any,
    now: datetime.datetime,
    status: str = PaperStatus.FOR_BOARD,
) -> Paper:
    """An uploaded paper (a PDF, or a Word file converted to PDF), with its first version."""
    if not title.strip():
        raise GovernanceError("Enter the title of the paper", field="title")
    _check_status(status)
    if not author.strip():
        raise GovernanceError("Enter the paper's author", field="author")
    pdf, original = _upload_pdf(content, filename)
    paper = Paper.objects.create(
        item=item, title=title, kind=PaperKind.UPLOAD, content=pdf, position=item.papers.count() + 1
    )
    _audit(
        actor,
        AuditAction.CREATE,
        paper,
        f"paper '{title}' added to item {item.number}",
        now,
        after={"title": title, "kind": paper.kind, "bytes": len(pdf)},
    )
    _new_version(
        paper,
        author=author,
        status=status,
        actor=actor,
        now=now,
        note="",
        fields={"content": pdf, "original": original, "original_name": filename[:255]},
    )
    return paper


@transaction.atomic
def paper_release(*, paper: Paper, actor: Any, now: datetime.datetime) -> PaperVersion:
    """Release the latest version for the board: saved again as a new version marked for the
    board (the draft itself is kept as it was)."""
    latest = paper.latest_version()
    if latest is None:
        raise GovernanceError("the paper has no version to release")
    released = PAPER_VERSION.move(latest.status, PaperAction.RELEASE, number=latest.number)
    copy = {"body": latest.body} if paper.kind == PaperKind.WRITTEN else {}
    version = PaperVersion.objects.create(
        paper=paper,
        number=_next_number(paper),
        status=released,
        author=latest.author,
        saved_by=getattr(actor, "username", "") or (actor if isinstance(actor, str) else ""),
        saved_at=now,
        content=latest.content,
        original=latest.original,
        original_name=latest.original_name,
        note=f"Version {latest.number} released for the board",
        **copy,
    )
    _audit(
        actor,
        AuditAction.UPDATE,
        version,
        f"paper '{paper.title}': version {latest.number} released for the board as version {version.number}",
        now,
        before={"status": latest.status, "number": latest.number},
        after={"status": version.status, "number": version.number},
    )
    return version
