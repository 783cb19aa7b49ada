"""/audit/: who did what, when. Administrators only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.accounts.permissions import require
from saferhub.security.query import query_checked, query_int

from .forms import AuditFilterForm
from .selectors import actor_names, audit_events, object_types

PAGE_SIZE = 50
MAX_PAGE = 1_000_000


@login_required
@query_checked
def audit_log(request: HttpRequest) -> HttpResponse:
    require("audit.view", request.user, request=request)
    # The filters are a form (typed, bounded fields); a refused one is shown beside its field, 400.
    form = AuditFilterForm(request.GET or None, object_types=object_types())
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    events = audit_events(**filters) if not form.errors else audit_events().none()
    page = Paginator(events, PAGE_SIZE).get_page(query_int(request.GET, "page", minimum=1, maximum=MAX_PAGE))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "nav": "audit",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "actor_names": actor_names(),
        },
        status=400 if form.errors else 200,
    )
