"""Plain error pages: a reference to quote, never a traceback (ASVS 7.4.1)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

from .middleware import new_reference


def server_error(request: HttpRequest) -> HttpResponse:
    reference = getattr(request, "error_reference", None) or new_reference()
    # A minimal context: no context processors that might themselves fail.
    body = loader.get_template("500.html").render({"reference": reference})
    return HttpResponseServerError(body)


def healthz(request: HttpRequest) -> HttpResponse:
    """For the reverse proxy and load balancer: the process answers, and the job worker runs."""
    from saferhub.jobs.health import worker_check

    worker = worker_check()
    if not worker.ok:
        return HttpResponse(f"worker: {worker.detail}", content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")
