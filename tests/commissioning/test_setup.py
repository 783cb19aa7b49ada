"""Setting up a fund (saferhub.commissioning.setup): each change is audited with before and after."""

from __future__ import annotations

import datetime
from decimal import Decimal

from saferhub.audit.models import AuditEvent
from saferhub.commissioning import setup
from saferhub.commissioning.models import Award

from .conftest import NOW


def test_the_carry_forward_is_audited_with_the_changed_fields_before_and_after(fund):
    award = Award.objects.get(fund=fund, year=2017)
    was = (award.carried_forward_note, award.carried_forward_on.isoformat())
    setup.carry_forward_record(
        award=award, amount=Decimal("30000"), note="revised", actor="t", now=NOW, known_on=datetime.date(2017, 6, 1)
    )
    event = AuditEvent.objects.filter(object_type="commissioning.award", object_id=str(award.pk)).latest("id")
    assert (event.action, event.summary) == ("update", "Carry-forward into 2017/18")
    assert event.before == {
        "carried_forward": "27678.00",
        "carried_forward_note": was[0],
        "carried_forward_on": was[1],
    }
    assert event.after == {
        "carried_forward": "30000.00",
        "carried_forward_note": "revised",
        "carried_forward_on": "2017-06-01",
    }
    award.refresh_from_db()
    assert award.available == award.amount + Decimal("30000.00")
