"""What an update records about a related row: its name, which an auditor can read, not the
database id ("organisation: 17 → 23"), for every caller of audited_update alike."""

import datetime

from django.utils import timezone

from saferhub.accounts.account_services import user_role_change
from saferhub.accounts.models import Role, User
from saferhub.audit.models import AuditEvent
from saferhub.audit.services import audit_value, audited_update
from saferhub.partnerships.models import Organisation
from saferhub.performance.templatetags.webapp import pairs

NOW = timezone.make_aware(datetime.datetime(2026, 3, 2, 12, 0))


def test_a_changed_related_row_is_recorded_by_its_name_not_its_id(db):
    harbour = Organisation.objects.create(name="Harbour Refuge", kind="charity")
    council = Organisation.objects.create(name="Torbay Council", kind="local_authority")
    person = User.objects.create_user("bo", role=Role.PROVIDER, organisation=harbour)
    user_role_change(user=person, role=Role.PROVIDER, organisation=council, actor=None, now=NOW)
    event = AuditEvent.objects.get(object_type="accounts.user", action="update")
    assert event.before["organisation"] == "Harbour Refuge" and event.after["organisation"] == "Torbay Council"
    assert pairs(event.after) == "role: provider; organisation: Torbay Council"  # as the audit log shows it
    # and a related row that is taken away is recorded as none
    audited_update(person, {"role": Role.BOARD, "organisation": None}, actor=None, at=NOW, summary="now a board member")
    last = AuditEvent.objects.filter(object_type="accounts.user").latest("pk")
    assert last.before == {"role": "provider", "organisation": "Torbay Council"}
    assert last.after == {"role": "board", "organisation": None}


def test_the_audit_value_of_a_row_is_its_str(db):
    harbour = Organisation.objects.create(name="Harbour Refuge", kind="charity")
    assert audit_value(harbour) == "Harbour Refuge" == str(harbour)
    assert audit_value(None) is None and audit_value(datetime.date(2017, 1, 24)) == "2017-01-24"
