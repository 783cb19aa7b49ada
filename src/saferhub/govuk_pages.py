"""The two page patterns every set-up view uses (commissioning's and the board's): a GOV.UK form
whose valid post is one service call, and a "Are you sure?" page before a retirement. A service's
refusal is shown in the error summary (on its field when it names one), nothing having been written."""

from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict], str],
    *,
    template: str,
    context: dict[str, Any],
    done: str,
    refusals: tuple[type[Exception], ...],
) -> HttpResponse:
    """Show ``form``; on a valid post call ``save``, which returns where to go next."""
    if request.method == "POST" and form.is_valid():
        try:
            url = save(form.cleaned_data)
        except refusals as exc:
            field = getattr(exc, "field", None)
            form.add_error(field if field in form.fields else None, str(exc))
        else:
            messages.success(request, done)
            return redirect(url)
    return render(
        request,
        template,
        {**context, "form": form, "error_form": form if form.errors else None},
        status=400 if request.method == "POST" else 200,
    )


def confirm_page(
    request: HttpRequest,
    act: Callable[[], Any],
    *,
    template: str,
    context: dict[str, Any],
    done: str,
    done_url: str,
    refusals: tuple[type[Exception], ...],
) -> HttpResponse:
    """Ask first (GET); do it on the answer (POST) and go to ``done_url``."""
    error = ""
    if request.method == "POST":
        try:
            act()
        except refusals as exc:
            error = str(exc)
        else:
            messages.success(request, done)
            return redirect(done_url)
    return render(request, template, {**context, "error": error}, status=400 if error else 200)
