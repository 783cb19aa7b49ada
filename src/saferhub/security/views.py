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
    """For the reverse proxy and load balancer: ``ok`` and 200 when every check in
    ``health.CHECKS`` passes (the database among them), else ``unavailable`` and 503; then one
    line per check. Plain text, nothing of the failure's detail (that is in the log)."""
    from .health import health_report

    report = health_report()
    healthy = all(passed for _, passed, _ in report)
    lines = [
        "ok" if healthy else "unavailable",
        *(f"{name}: {'ok' if passed else 'failed'}{f' ({words})' if words else ''}" for name, passed, words in report),
    ]
    response = HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8", status=200 if healthy else 503
    )
    response["Cache-Control"] = "no-store"
    return response
