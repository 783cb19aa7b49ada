"""Building and issuing agenda packs.

The page numbers on the agenda are the real ones: every paper is rendered to PDF first and its
pages counted; then the agenda is rendered with the ranges (again if it grew a page, which
shifts them); then everything is joined and each page stamped with its item at the top and the
pack's footer (name, date, issue) and its number at the foot. Page
numbers count from the agenda's first page, so they match a PDF viewer's page box.

An issued pack is stored with its bytes and checksum and never changes (``Pack.save`` refuses);
building again makes a new issue.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any, Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from saferhub.accounts import notifications
from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.jobs.models import Job
from saferhub.jobs.services import JobRefused, job_enqueue, long_job

from .models import AgendaItem, Meeting, Pack, PackKind, PaperKind
from .papers import render_paper
from .services import GovernanceError


@dataclass(frozen=True)
class BuiltPack:
    pdf: bytes
    pages: int
    contents: list[dict[str, Any]]


def _select_items(meeting: Meeting, kind: str, numbers: Sequence[int] | None) -> list[AgendaItem]:
    items = list(meeting.items.prefetch_related("papers"))
    if numbers:
        known = {i.number for i in items}
        missing = sorted(set(numbers) - known)
        if missing:
            raise GovernanceError(f"the agenda has no item {', '.join(map(str, missing))}")
        items = [i for i in items if i.number in set(numbers)]
    elif kind == PackKind.SUPPLEMENT:
        items = [i for i in items if i.papers.all()]
    if not items:
        raise GovernanceError("the pack would have no agenda items")
    return items


def build_pack(
    *, meeting: Meeting, kind: str, issue: int, now: datetime.datetime, item_numbers: Sequence[int] | None = None
) -> BuiltPack:
    from saferhub.rendering.pack_pdf import (
        Box,
        Stamp,
        page_count,
        render_html_pdf,
        stamp_and_join,
        without_own_page_numbers,
    )

    items = _select_items(meeting, kind, item_numbers)
    # Each paper: title, PDF, pages, and what to cover on each page (its own page numbers).
    papers: list[tuple[AgendaItem, list[tuple[str, bytes, int, list[tuple[Box, ...]]]]]] = []
    for item in items:
        rendered = []
        for paper in item.papers.all():
            pdf = render_paper(paper, meeting, now)
            if pdf is None:
                continue  # a written or uploaded paper still in draft: not for the board yet
            count = page_count(pdf)
            masks: list[tuple[Box, ...]] = [()] * count
            if paper.kind == PaperKind.UPLOAD:
                # Its own page numbers are covered: the pack numbers every page once.
                pdf, masks = without_own_page_numbers(pdf)
            rendered.append((paper.title, pdf, count, masks))
        papers.append((item, rendered))

    agenda_pages, agenda_pdf, entries = 1, b"", []
    for _ in range(4):  # the agenda's own length shifts the ranges; settle it
        entries, page = [], agenda_pages + 1
        for item, rendered in papers:
            n = sum(c for _, _, c, _ in rendered)
            entries.append(
                {
                    "number": item.number,
                    "subject": item.subject,
                    "purpose": item.purpose,
                    "lead": item.lead,
                    "first_page": page if n else None,
                    "last_page": page + n - 1 if n else None,
                    "papers": [t for t, _, _, _ in rendered],
                }
            )
            page += n
        agenda_pdf = render_html_pdf(
            "rendering/pack_agenda.html",
            {
                "title": f"{meeting.board.name} agenda {meeting.date:%-d %B %Y}",
                "board": meeting.board,
                "meeting": meeting,
                "kind": kind,
                "issue": issue,
                "now": now,
                "entries": entries,
                "item_numbers": _join_numbers([e["number"] for e in entries if e["first_page"]]),
            },
        )
        actual = page_count(agenda_pdf)
        if actual == agenda_pages:
            break
        agenda_pages = actual
    else:
        raise GovernanceError("the agenda's page count did not settle")

    # One footer on every page, the pack's: the papers print none of their own.
    footer = f"{meeting.board.name} {PackKind(kind).label.lower()}, {meeting.date:%-d %B %Y}: issue {issue}"
    parts = [agenda_pdf]
    stamps = [Stamp(n, "Agenda") for n in range(1, agenda_pages + 1)]
    outline = [("Agenda", 1)]
    for (item, rendered), entry in zip(papers, entries):
        for _, pdf, _, masks in rendered:
            parts.append(pdf)
            stamps += [Stamp(0, f"Agenda Item {item.number}: {item.subject}", m) for m in masks]
        if entry["first_page"]:
            outline.append((f"Item {item.number}: {item.subject}", entry["first_page"]))
    stamps = [Stamp(i, s.header, s.masks, footer) for i, s in enumerate(stamps, start=1)]
    pdf = stamp_and_join(
        parts,
        stamps,
        title=f"{meeting.board.name} {meeting.date:%-d %B %Y} {kind} pack, issue {issue}",
        outline=outline,
    )
    contents = [{"agenda_pages": agenda_pages}] + entries
    return BuiltPack(pdf=pdf, pages=len(stamps), contents=contents)


def _join_numbers(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    if not words:
        return ""  # no item has a paper for the board yet
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@transaction.atomic
def pack_issue(
    *, meeting: Meeting, kind: str, actor: Any, now: datetime.datetime, item_numbers: Sequence[int] | None = None
) -> Pack:
    """Build the pack from the data as it is now and store it as the meeting's next issue."""
    if kind not in PackKind.values:
        raise GovernanceError(f"unknown pack kind {kind!r}")
    # Lock the meeting row so two builders cannot take the same issue number.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    issue = (meeting.packs.aggregate(m=Max("issue"))["m"] or 0) + 1
    built = build_pack(meeting=meeting, kind=kind, issue=issue, now=now, item_numbers=item_numbers)
    pack = Pack.objects.create(
        meeting=meeting,
        issue=issue,
        kind=kind,
        issued_at=now,
        issued_by=getattr(actor, "username", "") or (actor if isinstance(actor, str) else ""),
        pdf=built.pdf,
        sha256=hashlib.sha256(built.pdf).hexdigest(),
        pages=built.pages,
        contents=built.contents,
    )
    audit_record(
        actor=actor,
        action=AuditAction.PUBLISH,
        obj=pack,
        at=now,
        summary=f"{pack.get_kind_display()} issue {issue} for {meeting} ({built.pages} pages)",
        after={"issue": issue, "kind": kind, "sha256": pack.sha256, "pages": built.pages},
    )
    notifications.pack_issued(pack, actor)
    return pack


PACK_JOB = "saferhub.governance.packs.pack_build_job"


def pack_check(*, meeting: Meeting, kind: str) -> None:
    """Refuse at once (GovernanceError) a pack that could not be built, before it waits on the queue."""
    if kind not in PackKind.values:
        raise GovernanceError(f"unknown pack kind {kind!r}")
    _select_items(meeting, kind, None)


def pack_build_start(*, meeting: Meeting, kind: str, actor: Any) -> Job:
    """Put the build of the meeting's next pack on the job queue (the worker runs ``pack_build_job``)."""
    pack_check(meeting=meeting, kind=kind)
    return job_enqueue(
        function=PACK_JOB,
        arguments={"meeting_id": meeting.pk, "kind": kind, "actor_id": getattr(actor, "pk", None)},
        subject=meeting,
        actor=actor,
    )


@long_job(noun="pack build")
def pack_build_job(*, meeting_id: int, kind: str, actor_id: int | None) -> None:
    """What the worker runs: one pack's build, audited in the name of whoever asked for it. The
    pack is stored in one transaction, so an interrupted build leaves no pack and no issue number."""
    from saferhub.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    with transaction.atomic():
        meeting = Meeting.objects.get(pk=meeting_id)
        try:
            pack_issue(meeting=meeting, kind=kind, actor=actor, now=timezone.now())
        except GovernanceError as e:
            raise JobRefused(f"The pack could not be built: {e}.") from e


def pack_verify(pack: Pack) -> bool:
    """True when the stored bytes still match the checksum taken at issue."""
    return hashlib.sha256(bytes(pack.pdf)).hexdigest() == pack.sha256
