"""Email notifications of the work people expect to hear about (issue 15), through Django's email
framework (the console backend in the demo, SMTP in production: docs/deploy.md):

| what | to whom |
|---|---|
| a provider's return submitted | the commissioners |
| a return sent back, or accepted | the provider's users (the project's organisation) |
| a provider's return overdue | the provider's users and the commissioners |
| a half-year return overdue | the partnership's office holders (who sign it) and the commissioners |
| a board pack issued | the board members |
| a publication proposed | those who may approve it (commissioners and administrators), not its proposer |
| a publication approved | its proposer and the analysts |

Only active users with an email address and notifications on (their account page) are sent one;
each gets their own message (no one sees who else was told). Messages go once the change that
caused them has committed, so a refused change tells no one; a mail server that fails is logged
and never undoes the change."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
from typing import Any, Iterable, Iterator

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import NotificationSent, Role, User

log = logging.getLogger(__name__)

RETURN_SUBMITTED = "return_submitted"
RETURN_SENT_BACK = "return_sent_back"
RETURN_ACCEPTED = "return_accepted"
RETURN_OVERDUE = "return_overdue"
HALF_YEAR_RETURN_OVERDUE = "half_year_return_overdue"
PACK_ISSUED = "pack_issued"
PUBLICATION_PROPOSED = "publication_proposed"
PUBLICATION_APPROVED = "publication_approved"

_paused: contextvars.ContextVar[bool] = contextvars.ContextVar("saferhub_notifications_paused", default=False)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No notification inside: the demo loading its seeded history (a return submitted in 2017)
    tells no one."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def people(*, roles: Iterable[str] = (), organisation: Any = None, users: Iterable[Any] = ()) -> list[User]:
    """The users to tell: those of these roles (of this organisation, when given) and those named,
    each once, active, with an email address and notifications on."""
    chosen: dict[int, User] = {}
    roles = list(roles)
    if roles:
        query = User.objects.filter(role__in=roles)
        if organisation is not None:
            query = query.filter(organisation=organisation)
        chosen.update({u.pk: u for u in query})
    chosen.update({u.pk: u for u in users if getattr(u, "pk", None)})
    return [u for u in sorted(chosen.values(), key=lambda u: u.pk) if u.is_active and u.notifications and u.email]


def notify(
    *,
    kind: str,
    to: Iterable[User],
    subject: str,
    template: str,
    context: dict[str, Any],
    about: Any,
    exclude: Any = None,
    once: bool = False,
) -> None:
    """Email each of ``to`` (but ``exclude``, the person who acted) once the transaction commits.
    ``once``: not to someone already sent this kind of notification about this object."""
    recipients = [u for u in to if getattr(exclude, "pk", None) != u.pk]
    if not recipients or _paused.get():
        return
    object_type, object_id = about._meta.label_lower, str(about.pk)
    base = {"base_url": settings.SAFERHUB_BASE_URL.rstrip("/"), **context}

    def send() -> None:
        now = timezone.now()
        for user in recipients:
            if (
                once
                and NotificationSent.objects.filter(
                    user=user, kind=kind, object_type=object_type, object_id=object_id
                ).exists()
            ):
                continue
            try:
                send_mail(
                    subject=subject,
                    message=render_to_string(template, {**base, "user": user}),
                    from_email=None,
                    recipient_list=[user.email],
                )
            except Exception:  # a mail server down or refusing: logged; the work it is about stands
                log.warning("notification %s to user %s could not be sent", kind, user.pk, exc_info=True)
                continue
            NotificationSent.objects.create(
                user=user, kind=kind, object_type=object_type, object_id=object_id, subject=subject[:300], sent_at=now
            )

    transaction.on_commit(send)


def notifications_set(*, user: User, on: bool, actor: Any, now: datetime.datetime) -> None:
    """Turn the user's notifications on or off; audited."""
    from saferhub.audit.models import AuditAction
    from saferhub.audit.services import audit_record

    if user.notifications == on:
        return
    user.notifications = on
    user.save(update_fields=["notifications"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        at=now,
        summary=f"email notifications turned {'on' if on else 'off'}",
        before={"notifications": not on},
        after={"notifications": on},
    )


# --- what each part of the mission calls --------------------------------------------------------


def _return_context(project_return: Any) -> dict[str, Any]:
    project = project_return.project
    return {
        "project_return": project_return,
        "project": project,
        "partnership": project.fund.partnership,
        "half": project_return.half.name,
        "link": f"/commissioning/returns/{project_return.pk}/",
    }


def return_submitted(project_return: Any, actor: Any) -> None:
    ctx = _return_context(project_return)
    notify(
        kind=RETURN_SUBMITTED,
        to=people(roles=[Role.COMMISSIONER]),
        subject=f"Return submitted: {ctx['project']} ({ctx['half']})",
        template="accounts/email/return_submitted.txt",
        context=ctx,
        about=project_return,
        exclude=actor,
    )


def return_reviewed(project_return: Any, actor: Any) -> None:
    """Sent back (with the commissioner's comments) or accepted: the provider hears which."""
    from saferhub.domain.commissioning import ReviewState

    ctx = _return_context(project_return)
    sent_back = project_return.state == ReviewState.CHANGES_REQUESTED
    notify(
        kind=RETURN_SENT_BACK if sent_back else RETURN_ACCEPTED,
        to=people(roles=[Role.PROVIDER], organisation=project_return.project.provider)
        if project_return.project.provider
        else [],
        subject=f"Return {'sent back' if sent_back else 'accepted'}: {ctx['project']} ({ctx['half']})",
        template="accounts/email/return_reviewed.txt",
        context={**ctx, "sent_back": sent_back},
        about=project_return,
        exclude=actor,
    )


def pack_issued(pack: Any, actor: Any) -> None:
    meeting = pack.meeting
    notify(
        kind=PACK_ISSUED,
        to=people(roles=[Role.BOARD]),
        subject=f"{pack.get_kind_display()} issued: {meeting.board} on {meeting.date:%-d %B %Y}",
        template="accounts/email/pack_issued.txt",
        context={"pack": pack, "meeting": meeting, "partnership": meeting.board.partnership},
        about=pack,
        exclude=actor,
    )


def publication_proposed(publication: Any, actor: Any) -> None:
    notify(
        kind=PUBLICATION_PROPOSED,
        to=people(roles=[Role.COMMISSIONER, Role.ADMIN]),
        subject=f"Awaiting your approval: {publication.partnership}'s report for {publication.period}",
        template="accounts/email/publication_proposed.txt",
        context={"publication": publication, "partnership": publication.partnership},
        about=publication,
        exclude=actor,
    )


def publication_approved(publication: Any, actor: Any) -> None:
    notify(
        kind=PUBLICATION_APPROVED,
        to=people(roles=[Role.ANALYST], users=[publication.proposed_by]),
        subject=f"Published: {publication.partnership}'s report for {publication.period}",
        template="accounts/email/publication_approved.txt",
        context={"publication": publication, "partnership": publication.partnership},
        about=publication,
        exclude=actor,
    )
