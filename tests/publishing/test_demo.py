from __future__ import annotations

import pytest

from saferhub.accounts.models import Role, User
from saferhub.demo import load_demo
from saferhub.performance.models import Indicator
from saferhub.publishing.models import PublishedVersion

from tests.performance.conftest import NOW


def test_demo_marks_sensitive_indicators_and_publishes_once(client, db):
    load_demo(now=NOW)
    load_demo(now=NOW)  # loading twice changes nothing
    partnership_codes = set(Indicator.objects.filter(sensitive=True).values_list("code", flat=True))
    assert partnership_codes == {"domestic-abuse", "domestic-abuse-referrals", "hate-crime"}
    (version,) = PublishedVersion.objects.all()
    assert version.period == "2016-11" and User.objects.get(username=version.approved_by_name).role in (Role.ADMIN, Role.COMMISSIONER) and version.verify()
    da = next(i for i in version.figures["indicators"] if i["code"] == "domestic-abuse")
    assert da["level"] == "quarter" and all(r["period"][4:6] == "-Q" for r in da["rows"])
    assert all(isinstance(r["value"], int) and r["value"] % 5 == 0 for r in da["rows"] if r["value"] not in (None, "[c]"))
    html = client.get("/public/safer-plymouth/2016-11/").content.decode()
    assert "Domestic abuse crimes and incidents" in html and "Overall crime" in html
