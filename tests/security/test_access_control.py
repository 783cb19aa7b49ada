"""Deny by default, and the audit log cannot be changed through the application (ASVS V4, V7.3)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent

from .urlwalk import all_routes, resolves_to_itself

# The explicit public list: views an anonymous visitor may open. Adding one is a decision, made here.
PUBLIC = {
    "healthz",  # the reverse proxy's liveness check: says "ok", nothing else
    "performance:home",  # the list of partnerships' names
    "accounts:login",
    "accounts:totp",
    "accounts:logout",  # signing in and out
    # password reset by email (issue 15): the form, "check your email", the emailed link, "done"
    "accounts:password-reset",
    "accounts:password-reset-sent",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "accounts:invitation",  # an invitee's emailed link (a signed, single-use, expiring token)
    "admin:login",
    "admin:logout",  # the admin's own sign-in (it then needs staff)
    "api:schema",  # the OpenAPI document: describes the API, holds no data
}
PUBLIC_ROUTE_PREFIXES = ("public/",)  # the publishing app: published, suppressed figures only
LOGIN_PATHS = (settings.LOGIN_URL, "/admin/login/")

ROUTES = all_routes()


def _is_public(route) -> bool:
    return route.name in PUBLIC or route.route.startswith(PUBLIC_ROUTE_PREFIXES)


def test_the_walk_finds_every_part_of_the_site():
    names = {r.name for r in ROUTES}
    assert {"accounts:login", "performance:report", "admin:index"} <= names
    assert len(ROUTES) > 20


def test_every_sample_url_resolves_to_its_own_view():
    wrong = [f"{r.name}: {r.url}" for r in ROUTES if not resolves_to_itself(r)]
    assert not wrong, "give these patterns a sample in tests/security/urlwalk.py SAMPLES: " + ", ".join(wrong)


def test_the_settings_public_list_is_within_the_reviewed_list():
    assert set(settings.SAFERHUB_PUBLIC_URL_NAMES) <= PUBLIC
    assert (
        tuple(p.strip("/") + "/" for p in settings.SAFERHUB_PUBLIC_PATH_PREFIXES if p != "/static/")
        == PUBLIC_ROUTE_PREFIXES
    )


@pytest.mark.parametrize("route", [r for r in ROUTES if not _is_public(r)], ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_other_view_refuses_an_anonymous_request(client, db, route, method):
    client.raise_request_exception = False
    response = getattr(client, method)(route.url)
    if response.status_code == 302:
        assert response["Location"].split("?")[0] in LOGIN_PATHS, (route.url, response["Location"])
    else:
        assert response.status_code in (401, 403), (route.url, response.status_code)
    assert not AuditEvent.objects.exclude(action=AuditAction.DENIED).exists()  # nothing was done


# --- the audit log ----------------------------------------------------------------------------


@pytest.fixture
def event(db):
    from saferhub.audit.services import audit_record

    return audit_record(actor=None, action=AuditAction.IMPORT, summary="original", at=timezone.now())


def test_the_model_refuses_to_change_or_delete_an_event(event):
    from saferhub.audit.models import AuditLogIsAppendOnly

    event.summary = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()


def test_the_admin_shows_events_but_cannot_add_change_or_delete(admin_client, event):
    base = f"/admin/audit/auditevent/{event.pk}"
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    assert admin_client.get(f"{base}/change/").status_code == 200  # read-only view
    assert admin_client.post(f"{base}/change/", {"summary": "changed"}).status_code == 403
    assert admin_client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.post(
        "/admin/audit/auditevent/", {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    ).status_code in (200, 302, 403)
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403
    event.refresh_from_db()
    assert event.summary == "original" and AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_no_url_of_the_application_changes_or_deletes_an_event(admin_client, event, route):
    """Whatever a superuser sends to any URL, with the event's id in it, the event stays."""
    admin_client.raise_request_exception = False
    before = list(AuditEvent.objects.filter(pk=event.pk).values())
    url = route.url.replace("/1/", f"/{event.pk}/")
    for method in ("post", "put", "patch", "delete"):
        getattr(admin_client, method)(
            url, {"summary": "changed", "action": "delete_selected", "post": "yes", "_selected_action": [event.pk]}
        )
    assert list(AuditEvent.objects.filter(pk=event.pk).values()) == before
