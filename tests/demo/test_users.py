from saferhub.accounts.models import User
from saferhub.demo import load_demo
from saferhub.demo.commissioning import PROJECT_A_PROVIDER
from saferhub.demo.users import logins
from tests.performance.conftest import NOW


def test_one_user_per_role_named_after_it(db, monkeypatch):
    monkeypatch.setenv("SAFERHUB_DEMO_PASSWORD", "demo-pass-123")
    load_demo(now=NOW)
    users = {u.username: u for u in User.objects.all()}
    # One per role, and the two holders of the offices that sign the half-year return (issue 12,
    # finding 6: two different people, each with an account).
    assert set(users) == {"admin", "analyst", "commissioner", "provider", "board", "csp-manager", "treasurer"}
    for name in ("admin", "analyst", "commissioner", "provider", "board"):
        assert users[name].role == name
    assert all(user.check_password("demo-pass-123") for user in users.values())
    assert users["provider"].organisation.name == PROJECT_A_PROVIDER
    assert users["provider"].organisation.kind == "charity"
    assert (users["csp-manager"].get_full_name(), users["treasurer"].get_full_name()) == ("Matt Garrett", "Alex Morgan")
    assert [line[0] for line in logins()] == [
        "admin",
        "analyst",
        "commissioner",
        "provider",
        "board",
        "csp-manager",
        "treasurer",
    ]


def test_loading_twice_changes_nothing(db, monkeypatch):
    monkeypatch.setenv("SAFERHUB_DEMO_PASSWORD", "demo-pass-123")
    load_demo(now=NOW)
    first = list(User.objects.order_by("username").values())
    load_demo(now=NOW)
    assert list(User.objects.order_by("username").values()) == first


def test_generated_password_is_kept_and_reused(db, monkeypatch, settings, tmp_path):
    monkeypatch.delenv("SAFERHUB_DEMO_PASSWORD", raising=False)
    settings.SAFERHUB_HOME = tmp_path
    load_demo(now=NOW)
    password = (tmp_path / "demo" / "demo-password").read_text().strip()
    assert len(password) >= 12 and (tmp_path / "demo" / "demo-password").stat().st_mode & 0o077 == 0
    assert User.objects.get(username="board").check_password(password)
    load_demo(now=NOW)
    assert User.objects.get(username="analyst").check_password(password)


def test_demo_command_prints_a_login_per_role(db, monkeypatch, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    monkeypatch.setenv("SAFERHUB_DEMO_PASSWORD", "demo-pass-123")
    out = StringIO()
    call_command("demo", "--no-serve", "--port", "8123", "--output-dir", str(tmp_path), stdout=out)
    text = out.getvalue()
    for role in ("admin", "analyst", "commissioner", "provider", "board", "csp-manager", "treasurer"):
        assert any(line.split()[:2] == [role, "demo-pass-123"] for line in text.splitlines() if line.strip())
    assert "CSP manager: signs the half-year return first" in text and "Treasurer / CFO: countersigns" in text
    assert "http://127.0.0.1:8123/" in text
