"""The one permission door: a board member's write is a 403, another organisation's object is
a 404 for a provider, and every denial is in the audit log (ASVS 4.1.3, 4.2.1, 7.1.3).
Each page's own role table is tested by the engineers who build it; this tests the door."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from saferhub.accounts.models import Role, User
from saferhub.accounts.permissions import RULES, get_visible_or_404, require, roles
from saferhub.audit.models import AuditAction, AuditEvent


@pytest.fixture
def write_rule():
    RULES["test.thing.change"] = roles(Role.ADMIN, Role.ANALYST)
    yield "test.thing.change"
    del RULES["test.thing.change"]


@pytest.fixture
def organisations(db):
    from saferhub.partnerships.models import Organisation

    fields = {f.name for f in Organisation._meta.fields}
    kind = Organisation._meta.get_field("kind").choices[0][0] if "kind" in fields else None
    make = lambda name: Organisation.objects.create(name=name, **({"kind": kind} if kind else {}))  # noqa: E731
    return make("Trust A"), make("Charity B")


class Owned:
    """Any object with an owner, as commissioning's returns and projects will be."""

    def __init__(self, owner, pk=1):
        self.owner, self.pk = owner, pk

    def owning_organisation(self):
        return self.owner


def test_a_board_members_write_is_a_403_and_audited(db, write_rule):
    board = User.objects.create_user("board1", role=Role.BOARD)
    request = RequestFactory().post("/x", REMOTE_ADDR="10.0.0.9")
    with pytest.raises(PermissionDenied):
        require(write_rule, board, request=request)
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert event.actor == board and write_rule in event.summary and event.ip_address == "10.0.0.9"


def test_an_action_without_a_rule_is_refused(db):
    analyst = User.objects.create_user("a1", role=Role.ANALYST)
    with pytest.raises(PermissionDenied):
        require("nobody.wrote.this", analyst)
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, summary__contains="no rule allows").exists()


def test_a_provider_gets_404_for_another_organisations_object_and_it_is_audited(organisations):
    mine, theirs = organisations
    provider = User.objects.create_user("p1", role=Role.PROVIDER, organisation=mine)
    assert get_visible_or_404(provider, Owned(mine)).owner == mine
    with pytest.raises(Http404):
        get_visible_or_404(provider, Owned(theirs))
    with pytest.raises(Http404):
        get_visible_or_404(provider, Owned(None))  # an object with no owner is not theirs either
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, actor=provider).count() == 2


def test_a_deactivated_user_has_no_role_at_all(db, write_rule):
    analyst = User.objects.create_user("a1", role=Role.ANALYST, is_active=False)
    with pytest.raises(PermissionDenied):
        require(write_rule, analyst)
