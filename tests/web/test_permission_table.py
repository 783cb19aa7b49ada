"""Every page of the performance, reports and audit parts as a table: role x object x action.
A forbidden action is a 403 written to the audit log; a visitor is sent to sign in."""

import io

import pytest

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.performance.models import Upload

ALL = {"admin", "analyst", "commissioner", "provider", "board"}
READERS = ALL - {"provider"}  # providers see only their own organisation's commissioning work
EDITORS = {"admin", "analyst"}
ADMIN = {"admin"}

PARTNER_CSV = b"indicator,period,value\nist-satisfaction,2016-11,81\n"

# (action, object, method, address, who may)
TABLE = [
    ("view", "dashboard", "get", "/dashboard/", READERS),
    ("view", "indicator", "get", "/indicators/overall-crime/", READERS),
    ("edit", "commentary", "post", "/indicators/overall-crime/", EDITORS),
    ("view", "data page", "get", "/data/", EDITORS),
    ("import", "partner figures", "upload", "/data/", EDITORS),
    ("view", "upload result", "get", "/data/uploads/{upload}/", EDITORS),
    ("view", "upload status", "get", "/data/uploads/{upload}/status.json", EDITORS),
    ("view", "reports", "get", "/reports/", READERS),
    ("export", "report as Excel", "get", "/reports/download.xlsx", READERS),
    ("view", "report by month", "get", "/partnerships/safer-plymouth/performance/2016-11/", READERS),
    ("export", "report as JSON", "get", "/partnerships/safer-plymouth/performance/2016-11.json", READERS),
    ("view", "audit log", "get", "/audit/", ADMIN),
]


@pytest.fixture
def upload(demo, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from saferhub.performance.services.uploads import upload_create, upload_start
    from tests.performance.conftest import NOW

    u = upload_create(
        partnership=demo, kind="indicators", files=[SimpleUploadedFile("figures.csv", PARTNER_CSV)], user=None, now=NOW
    )
    upload_start(upload=u, now=lambda: NOW, background=False)
    return u


def _ask(client, method, url):
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, {"text": "A comment from the permission table."})
    f = io.BytesIO(PARTNER_CSV)
    f.name = "figures.csv"
    return client.post(url, {"kind": "indicators", "files": f})


@pytest.mark.parametrize("role", sorted(ALL) + [None])
def test_each_role_gets_exactly_what_its_rules_allow(as_user, upload, role):
    client = as_user(role)
    wrong = []
    for action, obj, method, address, allowed in TABLE:
        url = address.format(upload=upload.pk)
        denials_before = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
        response = _ask(client, method, url)
        if role is None:
            expected = "login"
            got = (
                "login"
                if response.status_code == 302 and response["Location"].startswith("/accounts/login/")
                else response.status_code
            )
        elif role in allowed:
            expected = "allowed"
            got = (
                "allowed"
                if response.status_code in (200, 302)
                and not response.get("Location", "").startswith("/accounts/login/")
                else response.status_code
            )
        else:
            expected = 403
            got = response.status_code
            if got == 403 and AuditEvent.objects.filter(action=AuditAction.DENIED).count() != denials_before + 1:
                got = "403 without an audit event"
        if got != expected:
            wrong.append(
                f"{role or 'anonymous'} {action} {obj} ({method.upper()} {url}): expected {expected}, got {got}"
            )
    assert not wrong, "\n".join(wrong)


def test_the_table_covers_every_rule_of_these_parts():
    from saferhub.accounts.permissions import RULES

    ours = {"performance.view", "performance.import", "performance.edit", "reports.view", "audit.view"}
    assert ours <= set(RULES)


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("performance.view", READERS),
        ("reports.view", READERS),
        ("performance.import", EDITORS),
        ("performance.edit", EDITORS),
        ("audit.view", ADMIN),
    ],
)
def test_rules_by_role(demo, action, allowed):
    from django.contrib.auth.models import AnonymousUser

    from saferhub.accounts.models import User
    from saferhub.accounts.permissions import decide

    for user in User.objects.filter(username__in=ALL):
        ok, reason = decide(action, user)
        assert ok == (user.username in allowed), (action, user.username)
        assert ok or reason  # a refusal always says why
    assert decide(action, AnonymousUser())[0] is False


def test_another_partnerships_upload_is_not_found(as_user, upload):
    from saferhub.partnerships.services import partnership_create

    other = partnership_create(slug="elsewhere", name="Elsewhere", local_authorities=["Exeter"])
    Upload.objects.filter(pk=upload.pk).update(partnership=other)
    client = as_user("analyst")
    assert client.get(f"/data/uploads/{upload.pk}/").status_code == 404
    assert client.get(f"/data/uploads/{upload.pk}/status.json").status_code == 404
