"""Staff pages: an analyst proposes a report for publication; an admin or commissioner other than
the proposer looks at the figures as they would be published and approves or declines. Views are thin: permission,
one service call, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from saferhub.accounts.permissions import has_permission, require
from saferhub.domain.calendar import Month, PeriodError
from saferhub.domain.disclosure import SENSITIVE, STANDARD
from saferhub.domain.publication import PUBLICATION, PublicationEvent
from saferhub.partnerships.models import Partnership
from saferhub.security.query import query_checked, query_choice

from .models import Publication, PublicationState
from .selectors import proposals
from .services import (
    PublishingError,
    approval_refusal,
    audit_refusal,
    figures_now,
    publication_approve,
    publication_propose,
    publication_reject,
)


def _staff(view):
    """Visitors are sent to sign in; signed-in users go on to the view's own rule check."""

    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_staff
def proposals_page(request: HttpRequest) -> HttpResponse:
    require("publishing.view", request.user, request=request)
    return _render_proposals(request, {}, {})


def _render_proposals(request: HttpRequest, errors: dict, values: dict) -> HttpResponse:
    return render(
        request,
        "publishing/proposals.html",
        {
            "proposals": proposals(),
            "partnerships": Partnership.objects.all(),
            "can_propose": has_permission("publishing.propose", request.user),
            "errors": errors,
            "values": values,
        },
        status=400 if errors else 200,
    )


@_staff
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    require("publishing.propose", request.user, request=request)
    values = {k: request.POST.get(k, "").strip() for k in ("partnership", "month", "year", "note")}
    errors: dict[str, str] = {}
    partnership = Partnership.objects.filter(slug=values["partnership"]).first()
    if partnership is None:
        errors["partnership"] = "Select the partnership"
    try:
        period = Month(int(values["year"]), int(values["month"]))
    except (ValueError, PeriodError):
        errors["period"] = "Enter the report month as a real month and year, for example 11 2016"
    if not errors:
        try:
            p = publication_propose(
                partnership=partnership, period=period, actor=request.user, now=timezone.now(), note=values["note"]
            )
        except PublishingError as e:
            errors["period"] = str(e)
        else:
            messages.success(request, f"The {period.name} report has been proposed for publication.")
            return redirect("publishing-manage:proposal", pk=p.pk)
    return _render_proposals(request, errors, values)


@_staff
@query_checked
def proposal_page(request: HttpRequest, pk: int) -> HttpResponse:
    require("publishing.view", request.user, request=request)
    p = get_object_or_404(
        Publication.objects.select_related("partnership", "proposed_by", "decided_by", "superseded_by"), pk=pk
    )
    preview, changed, refusal = None, False, None
    if PUBLICATION.allows(p.state, PublicationEvent.APPROVE):
        # What approval would publish, computed now; the frozen version is made on approval.
        try:
            preview, preview_audit, _, fingerprint = figures_now(p.partnership, p.period)
        except PublishingError as e:
            refusal = str(e)
        else:
            changed = bool(p.figures_checksum) and fingerprint != p.figures_checksum
            refusal = None if preview_audit.passed else audit_refusal(preview_audit)
    return render(
        request,
        "publishing/proposal.html",
        {
            "proposal": p,
            "preview": preview,
            "version": getattr(p, "version", None) if p.state == PublicationState.PUBLISHED else None,
            "can_decide": has_permission("publishing.approve", request.user, p),
            "approval_refusal": approval_refusal(p, request.user),
            "out_of_date": changed,
            "error": query_choice(request.GET, "error", ("reason",)) == "reason",
            "refusal": refusal,
            "standard": STANDARD,
            "sensitive": SENSITIVE,
        },
    )


@_staff
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Publication, pk=pk)
    require("publishing.approve", request.user, p, request=request)
    try:
        version = publication_approve(publication=p, actor=request.user, now=timezone.now())
    except PublishingError as e:
        messages.error(request, str(e))
        return redirect("publishing-manage:proposal", pk=pk)
    messages.success(request, f"Published as version {version.number}.")
    return redirect("publishing:version", slug=version.partnership.slug, period=version.period, number=version.number)


@_staff
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(Publication, pk=pk)
    require("publishing.approve", request.user, p, request=request)
    reason = request.POST.get("reason", "")
    if not reason.strip():
        return redirect(f"/publishing/{pk}/?error=reason#reason")
    try:
        publication_reject(publication=p, actor=request.user, now=timezone.now(), reason=reason)
    except PublishingError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "The report will not be published.")
    return redirect("publishing-manage:proposal", pk=pk)
