"""Issue 15: an admin invites a user by email with a role and an organisation (web page and
`saferhub user invite`); the invitee follows the emailed link (signed, single use, expiring),
sets a password and, where the role needs it, enrols the second factor before the account works;
the admin changes roles and deactivates users. Email goes through a real SMTP server."""

from __future__ import annotations

import re
import time
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from saferhub.accounts.models import Role, User
from saferhub.accounts.totp import totp_code
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.partnerships.models import Organisation, Partnership

from .conftest import body_of

PASSWORD = "correct horse battery staple"
INVITEE_PASSWORD = "my own long passphrase 42"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/)")


@pytest.fixture
def partnership(db):
    return Partnership.objects.create(slug="torbay", name="Safer Torbay")


@pytest.fixture
def provider_org(db):
    return Organisation.objects.create(name="Harbour Refuge", kind="charity")


@pytest.fixture
def admin(db):
    return User.objects.create_user(
        "admin1",
        password=PASSWORD,
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        first_name="Ada",
        last_name="Min",
    )


@pytest.fixture
def admin_client(admin):
    client = Client()
    client.force_login(admin)
    return client


def _link(inbox, address: str) -> str:
    [message] = inbox.to(address)
    return LINK.search(body_of(message)).group(1)


def test_an_invited_analyst_sets_a_password_and_enrols_the_second_factor_before_the_account_works(
    admin_client, partnership, smtp_server
):
    page = admin_client.get("/accounts/users/invite/")
    assert page.status_code == 200 and "Invite a user" in page.content.decode()
    response = admin_client.post(
        "/accounts/users/invite/", {"email": "ann@example.org", "role": "analyst", "partnership": partnership.pk}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/users/"
    [message] = smtp_server.to("ann@example.org")
    assert message["Subject"] == "You are invited to saferhub for Safer Torbay"
    assert "Your username is ann@example.org" in body_of(message) and "authenticator app" in body_of(message)
    invitee = User.objects.get(username="ann@example.org")
    assert invitee.role == Role.ANALYST and not invitee.has_usable_password()
    assert "Invited" in admin_client.get("/accounts/users/").content.decode()

    path = _link(smtp_server, "ann@example.org")
    client = Client()
    page = client.get(path)
    assert page.status_code == 200 and "Choose your password" in page.content.decode()
    weak = client.post(path, {"new_password1": "password1234", "new_password2": "password1234"})
    assert weak.status_code == 200 and "There is a problem" in weak.content.decode()
    response = client.post(path, {"new_password1": INVITEE_PASSWORD, "new_password2": INVITEE_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/totp/"
    assert "_auth_user_id" not in client.session  # no session yet: the second factor comes first
    # The link worked once.
    assert Client().get(path).status_code == 404
    # Until the second factor is enrolled the password alone opens nothing.
    other = Client()
    assert other.post("/accounts/login/", {"username": "ann@example.org", "password": INVITEE_PASSWORD})[
        "Location"
    ].startswith("/accounts/totp/")
    assert "_auth_user_id" not in other.session
    # Enrolment at the door's own step, which opens the session.
    enrol = client.get("/accounts/totp/").content.decode()
    secret = re.search(r"<code>([A-Z2-7]{32})</code>", enrol).group(1)
    done = client.post("/accounts/totp/", {"code": totp_code(secret, at=timezone.now())})
    assert done.status_code == 302
    invitee.refresh_from_db()
    assert invitee.totp_secret == secret
    assert client.get("/dashboard/").status_code in (200, 302) and client.session["_auth_user_id"] == str(invitee.pk)
    assert "Signed in as <strong>ann@example.org</strong>" in client.get("/accounts/account/").content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, actor_name="admin1", summary__startswith="invited ann@example.org"
    ).exists()
    assert AuditEvent.objects.filter(actor_name="ann@example.org", summary="invitation accepted; password set").exists()
    assert AuditEvent.objects.filter(actor_name="ann@example.org", action=AuditAction.LOGIN).exists()


def test_an_invited_provider_is_signed_in_through_the_door_after_choosing_a_password(
    admin_client, partnership, provider_org, smtp_server
):
    missing = admin_client.post(
        "/accounts/users/invite/", {"email": "pat@example.org", "role": "provider", "partnership": partnership.pk}
    )
    assert missing.status_code == 200 and "Select the provider&#x27;s organisation" in missing.content.decode()
    admin_client.post(
        "/accounts/users/invite/",
        {
            "email": "pat@example.org",
            "role": "provider",
            "organisation": provider_org.pk,
            "partnership": partnership.pk,
        },
    )
    assert User.objects.get(username="pat@example.org").organisation == provider_org
    client = Client()
    path = _link(smtp_server, "pat@example.org")
    response = client.post(path, {"new_password1": INVITEE_PASSWORD, "new_password2": INVITEE_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    # The door opened the session (a bare login() would be ended at the next request by DoorMiddleware).
    assert client.session["saferhub_door"]["user"] == str(User.objects.get(username="pat@example.org").pk)
    assert "Signed in as" in client.get("/accounts/account/").content.decode()


def test_an_invitation_link_expires(admin_client, partnership, smtp_server, settings):
    admin_client.post(
        "/accounts/users/invite/", {"email": "ann@example.org", "role": "board", "partnership": partnership.pk}
    )
    path = _link(smtp_server, "ann@example.org")
    later = time.time() + settings.SAFERHUB_INVITATION_SECONDS + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = Client().get(path)
    assert response.status_code == 404 and "This invitation link does not work" in response.content.decode()


def test_a_forged_or_altered_link_does_not_work(admin_client, partnership, smtp_server):
    admin_client.post(
        "/accounts/users/invite/", {"email": "ann@example.org", "role": "board", "partnership": partnership.pk}
    )
    path = _link(smtp_server, "ann@example.org")
    altered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert Client().get(altered).status_code == 404
    assert Client().get("/accounts/invitation/not-a-token/").status_code == 404


def test_a_deactivated_invitee_cannot_use_the_link(admin_client, partnership, smtp_server):
    admin_client.post(
        "/accounts/users/invite/", {"email": "ann@example.org", "role": "board", "partnership": partnership.pk}
    )
    invitee = User.objects.get(username="ann@example.org")
    admin_client.post(f"/accounts/users/{invitee.pk}/", {"action": "deactivate"})
    assert Client().get(_link(smtp_server, "ann@example.org")).status_code == 404


def test_an_address_already_in_use_is_refused(admin_client, partnership, smtp_server):
    User.objects.create_user("someone", email="ann@example.org", password=PASSWORD)
    response = admin_client.post(
        "/accounts/users/invite/", {"email": "ann@example.org", "role": "board", "partnership": partnership.pk}
    )
    assert response.status_code == 200 and "already a user" in response.content.decode()
    assert smtp_server.messages == []


@pytest.mark.parametrize("role", ["analyst", "commissioner", "provider", "board"])
def test_only_admins_manage_users(db, role, provider_org, partnership):
    user = User.objects.create_user(
        f"{role}1", password=PASSWORD, role=role, organisation=provider_org if role == "provider" else None
    )
    client = Client(raise_request_exception=False)
    client.force_login(user)
    for url in ("/accounts/users/", "/accounts/users/invite/", f"/accounts/users/{user.pk}/"):
        assert client.get(url).status_code == 403
    assert (
        client.post(
            "/accounts/users/invite/", {"email": "x@example.org", "role": "admin", "partnership": partnership.pk}
        ).status_code
        == 403
    )
    assert client.post(f"/accounts/users/{user.pk}/", {"action": "role", "role": "admin"}).status_code == 403
    user.refresh_from_db()
    assert user.role == role and not User.objects.filter(email="x@example.org").exists()


def test_the_admin_changes_a_role_audited(admin_client, provider_org):
    person = User.objects.create_user("bo", password=PASSWORD, role=Role.BOARD)
    page = admin_client.get(f"/accounts/users/{person.pk}/")
    assert page.status_code == 200 and "Change role" in page.content.decode()
    refused = admin_client.post(f"/accounts/users/{person.pk}/", {"action": "role", "role": "provider"})
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
    response = admin_client.post(
        f"/accounts/users/{person.pk}/", {"action": "role", "role": "provider", "organisation": provider_org.pk}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == Role.PROVIDER and person.organisation == provider_org
    event = AuditEvent.objects.get(summary__startswith="role changed to Provider")
    assert event.actor_name == "admin1" and event.before["role"] == "board" and event.after["role"] == "provider"


def test_deactivation_ends_the_users_sessions_audited(admin_client, admin):
    person = User.objects.create_user("bo", password=PASSWORD, role=Role.BOARD)
    theirs = Client()
    theirs.force_login(person)
    assert theirs.get("/accounts/account/").status_code == 200
    response = admin_client.post(f"/accounts/users/{person.pk}/", {"action": "deactivate"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert theirs.get("/accounts/account/")["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(summary="deactivated; sessions ended", actor_name="admin1").count() == 1
    assert "Deactivated" in admin_client.get("/accounts/users/").content.decode()
    # An admin cannot lock themselves out.
    admin_client.post(f"/accounts/users/{admin.pk}/", {"action": "deactivate"})
    admin.refresh_from_db()
    assert admin.is_active


# --- the command -------------------------------------------------------------------------------


def test_the_command_invites_by_email(partnership, provider_org, smtp_server, settings):
    settings.SAFERHUB_BASE_URL = "https://saferhub.example.org"
    out = StringIO()
    call_command(
        "user",
        "invite",
        "--email",
        "pat@example.org",
        "--role",
        "provider",
        "--organisation",
        "Harbour Refuge",
        "--partnership",
        "torbay",
        stdout=out,
    )
    assert "invited pat@example.org as Provider" in out.getvalue()
    [message] = smtp_server.to("pat@example.org")
    assert "https://saferhub.example.org/accounts/invitation/" in body_of(message)
    user = User.objects.get(username="pat@example.org")
    assert user.organisation == provider_org and not user.has_usable_password()
    assert AuditEvent.objects.filter(actor_name="saferhub user", summary__startswith="invited pat@example.org").exists()
    path = _link(smtp_server, "pat@example.org")
    assert (
        Client().post(path, {"new_password1": INVITEE_PASSWORD, "new_password2": INVITEE_PASSWORD}).status_code == 302
    )


@pytest.mark.parametrize(
    "args, error",
    [
        (["--role", "analyst", "--partnership", "nowhere"], "no partnership 'nowhere' (known: torbay)"),
        (["--role", "provider", "--partnership", "torbay"], "a provider user needs an organisation"),
        (
            ["--role", "board", "--organisation", "Nobody Ltd", "--partnership", "torbay"],
            "no organisation 'Nobody Ltd'",
        ),
    ],
)
def test_the_command_refuses_what_cannot_be_done(partnership, smtp_server, args, error):
    with pytest.raises(CommandError, match=re.escape(error)):
        call_command("user", "invite", "--email", "x@example.org", *args)
    assert not User.objects.filter(email="x@example.org").exists() and smtp_server.messages == []


def test_the_command_changes_roles_and_deactivates(db):
    person = User.objects.create_user("bo", password=PASSWORD, role=Role.BOARD)
    call_command("user", "role", "--user", "bo", "--role", "analyst", stdout=StringIO())
    call_command("user", "deactivate", "--user", "bo", stdout=StringIO())
    person.refresh_from_db()
    assert person.role == Role.ANALYST and not person.is_active
    assert AuditEvent.objects.filter(actor_name="saferhub user").count() == 2
