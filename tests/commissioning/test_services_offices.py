"""The offices that sign the half-year return (CSP manager, treasurer/CFO): held by named users of
the partnership, appointed by an administrator (a page or ``saferhub offices``), audited."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from saferhub.accounts.models import User
from saferhub.audit.models import AuditEvent
from saferhub.commissioning import services
from saferhub.commissioning.models import OfficeHolder
from saferhub.partnerships.models import Organisation

from .conftest import NOW


@pytest.fixture
def admin(db):
    return User.objects.create_user(username="root", password="x", role="admin", first_name="Ada", last_name="Admin")


def test_the_demo_seeds_two_distinct_office_holders(fund, partnership):
    holders = {h.office: h for h in OfficeHolder.objects.filter(partnership=partnership).select_related("user")}
    assert sorted(holders) == ["csp_manager", "treasurer"]
    assert (
        holders["csp_manager"].user.username == "csp-manager"
        and holders["csp_manager"].user.get_full_name() == "Matt Garrett"
    )
    assert (
        holders["treasurer"].user.username == "treasurer" and holders["treasurer"].user.get_full_name() == "Alex Morgan"
    )
    assert holders["csp_manager"].user != holders["treasurer"].user


def test_only_an_administrator_appoints_and_each_appointment_is_audited(fund, partnership, admin):
    commissioner = User.objects.create_user(
        username="cath", password="x", role="commissioner", first_name="Cath", last_name="C"
    )
    with pytest.raises(PermissionDenied):
        services.office_appoint(
            partnership=partnership,
            office="csp_manager",
            user=commissioner,
            job_title="CSP manager",
            actor=commissioner,
            now=NOW,
        )
    assert OfficeHolder.objects.get(partnership=partnership, office="csp_manager").user.username == "csp-manager"
    holder = services.office_appoint(
        partnership=partnership,
        office="csp_manager",
        user=commissioner,
        job_title="Community Safety Partnership Manager",
        actor=admin,
        now=NOW,
    )
    assert holder.user == commissioner and holder.appointed_by == admin
    event = AuditEvent.objects.filter(object_type="commissioning.officeholder", action="update").get()
    assert event.before == {"user": "csp-manager", "job_title": "Head of Community Connections"}
    assert event.after == {"user": "cath", "job_title": "Community Safety Partnership Manager"}


def test_who_may_hold_an_office(fund, partnership, admin):
    org = Organisation.objects.get(name="First Light")
    provider = User.objects.create_user(username="p", password="x", role="provider", organisation=org)
    gone = User.objects.create_user(username="gone", password="x", role="commissioner", is_active=False)
    with pytest.raises(services.CommissioningError, match="a provider's user cannot hold"):
        services.office_appoint(
            partnership=partnership, office="treasurer", user=provider, job_title="T", actor=admin, now=NOW
        )
    with pytest.raises(services.CommissioningError, match="not active"):
        services.office_appoint(
            partnership=partnership, office="treasurer", user=gone, job_title="T", actor=admin, now=NOW
        )
    with pytest.raises(services.CommissioningError, match="job title"):
        services.office_appoint(
            partnership=partnership, office="treasurer", user=admin, job_title=" ", actor=admin, now=NOW
        )
    with pytest.raises(services.CommissioningError, match="not an office"):
        services.office_appoint(
            partnership=partnership, office="chair", user=admin, job_title="Chair", actor=admin, now=NOW
        )


def test_the_offices_command_lists_and_appoints(fund, partnership):
    out = io.StringIO()
    call_command("offices", "list", "--partnership", partnership.slug, stdout=out)
    text = out.getvalue()
    assert "CSP manager" in text and "csp-manager (Matt Garrett), Head of Community Connections" in text
    User.objects.create_user(username="fin", password="x", role="board", first_name="Fin", last_name="Ance")
    out = io.StringIO()
    call_command(
        "offices",
        "appoint",
        "--partnership",
        partnership.slug,
        "--office",
        "treasurer",
        "--user",
        "fin",
        "--job-title",
        "Chief Finance Officer",
        stdout=out,
    )
    assert OfficeHolder.objects.get(partnership=partnership, office="treasurer").user.username == "fin"
    with pytest.raises(CommandError, match="different people"):
        call_command(
            "offices",
            "appoint",
            "--partnership",
            partnership.slug,
            "--office",
            "csp_manager",
            "--user",
            "fin",
            "--job-title",
            "CSP manager",
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="no user"):
        call_command(
            "offices",
            "appoint",
            "--partnership",
            partnership.slug,
            "--office",
            "csp_manager",
            "--user",
            "nobody",
            "--job-title",
            "CSP manager",
            stdout=io.StringIO(),
        )


def test_the_offices_page_is_for_administrators(client, fund, partnership, admin):
    url = reverse("commissioning:offices", args=[partnership.slug])
    for role in ("commissioner", "analyst", "board"):
        client.force_login(User.objects.create_user(username=f"u-{role}", password="x", role=role))
        assert client.get(url).status_code == 403
    client.force_login(admin)
    page = client.get(url).content.decode()
    assert "Matt Garrett" in page and "Alex Morgan" in page
    fin = User.objects.create_user(username="fin", password="x", role="board", first_name="Fin", last_name="Ance")
    response = client.post(url, {"office": "treasurer", "user": "fin", "job_title": "Chief Finance Officer"})
    assert response.status_code == 302
    assert OfficeHolder.objects.get(partnership=partnership, office="treasurer").user == fin
    response = client.post(url, {"office": "csp_manager", "user": "fin", "job_title": "CSP manager"})
    assert response.status_code == 400 and "different people" in response.content.decode()
