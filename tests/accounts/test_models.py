"""The first administrator of a new installation is made with `saferhub createsuperuser`
(docs/getting-started.md): the account holds the administrator's role, as the users page shows."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client

from saferhub.accounts.models import Role, User


def test_createsuperuser_makes_an_administrator(db):
    call_command("createsuperuser", interactive=False, username="root", email="root@example.org", verbosity=0)
    root = User.objects.get(username="root")
    assert root.is_superuser and root.role == Role.ADMIN
    client = Client()
    client.force_login(root)
    [row] = [r for r in client.get("/accounts/users/").content.decode().split("<tr") if f"/{root.pk}/" in r]
    assert "Administrator" in row and "Board member" not in row


def test_a_superuser_given_a_role_keeps_it(db):
    assert User.objects.create_superuser("ops", password="x" * 20, role=Role.ANALYST).role == Role.ANALYST
