"""Issue 15: docs/getting-started.md "In the web app", followed in the browser. An administrator
(made as `saferhub createsuperuser` makes one) on an empty database sets up a partnership through
the web only, imports a month of police.uk data on /data/ (the job worker runs beside the server),
adds the organisations and invites an analyst, a commissioner and a provider by email. Each reads
the invitation from the test SMTP server, follows the link, chooses a password and, where the role
needs one, enrols the second factor from the key on the page; then the analyst reaches the first
report, the commissioner a fund with a project, the provider a submitted return (which the
commissioner accepts), and the administrator a meeting with an agenda item, its live performance
paper and its issued pack; the task list then reads 7 of 7. The email sent on the way is read
back. axe-core checks every form before it is sent and every page photographed; each step is
photographed into /tmp/guide-shots/ (GUIDE_SHOTS overrides it)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.utils import timezone

from saferhub.accounts.totp import totp_code
from tests.conftest import DEVON_AND_CORNWALL, body_of

from .conftest import PASSWORD, axe_check

SHOTS = Path(os.environ.get("GUIDE_SHOTS", "/tmp/guide-shots"))
APRIL = DEVON_AND_CORNWALL / "2019-04-devon-and-cornwall-street.csv"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/)")
INVITEE_PASSWORD = "my own long passphrase 42"
_step = [0]


def shot(page, name: str) -> None:
    """Check the page with axe-core, then photograph it as the journey's next step."""
    axe_check(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    _step[0] += 1
    page.screenshot(path=str(SHOTS / f"{_step[0]:02d}-{name}.png"), full_page=True)


def _submit(page, name: str) -> None:
    """Press the form's button, after checking the page (the form filled in) with axe-core."""
    axe_check(page)
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def _date(page, name: str, day: int, month: int, year: int) -> None:
    page.locator(f"#id_{name}-day").fill(str(day))
    page.locator(f"#id_{name}-month").fill(str(month))
    page.locator(f"#id_{name}-year").fill(str(year))


def _security_code(page) -> None:
    """What an authenticator app does with the key the page shows (or, later, the enrolled one)."""
    from saferhub.accounts.models import User

    secret = page.locator(".govuk-summary-list code").first.inner_text().strip()
    User.objects.update(totp_last_step=None)  # a code is spent once used; the journey signs in often
    page.get_by_label("Security code from your authenticator app").fill(totp_code(secret, at=timezone.now()))
    _submit(page, "Continue")


def _sign_in(page, username: str, password: str) -> None:
    from saferhub.accounts.models import User

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    _submit(page, "Sign in")
    if "/accounts/totp/" in page.url:
        user = User.objects.get(username=username)
        User.objects.update(totp_last_step=None)
        page.get_by_label("Security code from your authenticator app").fill(
            totp_code(user.totp_secret, at=timezone.now())
        )
        _submit(page, "Continue")
    assert "/accounts/login/" not in page.url and "/accounts/totp/" not in page.url, f"{username} could not sign in"


def _invite(page, email: str, role: str, organisation: str | None = None) -> None:
    page.goto("/accounts/users/")
    page.get_by_role("link", name="Invite a user").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Role").select_option(role)
    if organisation:
        page.get_by_label("Organisation").select_option(label=organisation)
    _submit(page, "Send invitation")
    assert email in page.locator("main").inner_text()


def _accept(page, inbox, email: str, name: str) -> None:
    """The invitee reads the email, follows the link, chooses a password and enrols if asked."""
    [message] = inbox.to(email)
    assert "Your username is " + email in body_of(message)
    page.context.clear_cookies()
    page.goto(LINK.search(body_of(message)).group(1))
    assert "Choose your password" in page.locator("h1").inner_text()
    shot(page, f"{name}-invitation")
    page.locator("#id_new_password1").fill(INVITEE_PASSWORD)
    page.locator("#id_new_password2").fill(INVITEE_PASSWORD)
    _submit(page, "Continue")
    if "/accounts/totp/" in page.url:
        assert "Set up your authenticator app" in page.title()
        shot(page, f"{name}-second-factor")
        _security_code(page)
    assert "/accounts/" not in page.url, page.url


def test_the_getting_started_guide_in_the_web_app(browser_page, live_worker, smtp_server):
    from saferhub.accounts.models import User
    from saferhub.commissioning.models import Project, ProjectReturn
    from saferhub.governance.models import Meeting, Pack
    from saferhub.partnerships.models import Partnership

    assert not Partnership.objects.exists()
    # As `saferhub createsuperuser` makes it: a superuser, who has the administrator's role.
    User.objects.create_superuser(username="admin", email="admin@example.org", password=PASSWORD)
    page = browser_page

    # 1. The administrator signs in (enrolling the second factor) and lands on the task list.
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    _submit(page, "Sign in")
    shot(page, "admin-second-factor")
    _security_code(page)
    page.goto("/")
    page.wait_for_url("**/setup/")
    shot(page, "setup-start")
    page.get_by_role("button", name="Create a partnership").click()
    page.get_by_label("Name of the partnership").fill("Safer Torbay")
    _submit(page, "Create the partnership")
    page.wait_for_url("**/setup/safer-torbay/")
    shot(page, "task-list-new")

    page.get_by_role("link", name="Its name and area").click()
    page.get_by_label("Local authority districts").fill("Torbay")
    _submit(page, "Save the area")
    assert "The area of Safer Torbay is set" in page.locator(".govuk-notification-banner").inner_text()

    # The organisations: the funder and the provider (the council for the board).
    for name, kind in (
        ("Office of the Police and Crime Commissioner", "pcc"),
        ("Torbay Domestic Abuse Service", "charity"),
        ("Torbay Council", "local_authority"),
    ):
        page.goto("/setup/organisations/")
        page.get_by_role("button", name="Add an organisation").click()
        page.get_by_label("Name").fill(name)
        page.get_by_label("What it is").select_option(kind)
        _submit(page, "Add the organisation")
    shot(page, "organisations")

    # Targets on a standard police.uk indicator.
    page.goto("/setup/safer-torbay/")
    page.get_by_role("link", name="Indicators and targets").click()
    page.get_by_role("link", name="Set targets for All crime").click()
    page.get_by_label("Financial year").select_option("2019/20")
    _submit(page, "Show the year")
    page.get_by_label("April 2019").fill("900")
    _submit(page, "Save the targets")
    assert "1 period changed" in page.locator(".govuk-notification-banner").inner_text()
    shot(page, "targets")

    # A month of police.uk data, imported on the worker.
    page.goto("/data/")
    page.get_by_label("police.uk street files").check()
    page.get_by_label("Files", exact=True).set_input_files(str(APRIL))
    _submit(page, "Upload and import")
    page.get_by_text("Success").wait_for(timeout=90_000)
    assert "2019-04-devon-and-cornwall-street.csv" in page.locator("#outcomes").inner_text()
    shot(page, "import-done")
    page.goto("/setup/safer-torbay/")
    shot(page, "task-list-after")

    # 2. The invitations.
    _invite(page, "ann@torbay.example", "analyst")
    _invite(page, "cath@torbay.example", "commissioner")
    _invite(page, "pat@torbay.example", "provider", "Torbay Domestic Abuse Service")
    shot(page, "users-invited")
    assert {m["Subject"] for m in smtp_server.messages} == {"You are invited to saferhub for Safer Torbay"}

    # 3. The analyst: the dashboard and the first report.
    _accept(page, smtp_server, "ann@torbay.example", "analyst")
    page.goto("/dashboard/")
    assert "Year to April 2019" in page.locator("#tile-all-crime").inner_text()
    shot(page, "analyst-dashboard")
    page.get_by_role("link", name="Reports").click()
    page.wait_for_url("**/reports/")
    report = page.get_by_role("link", name=re.compile(r"\(PDF\)")).first
    shot(page, "analyst-reports")
    response = page.request.get(report.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")

    # 4. The commissioner: a fund, its award, the claim for the half year and a project with a KPI.
    _accept(page, smtp_server, "cath@torbay.example", "commissioner")
    page.goto("/commissioning/safer-torbay/setup/")
    shot(page, "commissioner-funds-empty")
    page.get_by_role("link", name="Add a fund").click()
    page.get_by_label("Name of the fund").fill("Community Safety Fund")
    page.get_by_label("Short name").fill("csf")
    page.get_by_label("Funder").select_option(label="Office of the Police and Crime Commissioner")
    _submit(page, "Add the fund")
    page.wait_for_url("**/commissioning/safer-torbay/setup/funds/csf/")
    page.get_by_role("link", name="Add an award").click()
    page.get_by_label("Financial years").fill("2019/20")
    page.get_by_label("Amount awarded for each year, in pounds").fill("250000")
    _submit(page, "Add the award")
    page.get_by_role("link", name="Set the claim for the first half of 2019/20").click()
    _date(page, "due_on", 31, 10, 2019)
    _date(page, "provider_due_on", 15, 10, 2019)
    _submit(page, "Save the claim")
    assert "Claim schedule saved" in page.locator("main").inner_text()
    page.get_by_role("link", name="Add a project").click()
    page.get_by_label("Financial year").fill("2019/20")
    page.get_by_label("Letter").fill("A")
    page.get_by_label("Title").fill("Domestic abuse support")
    page.get_by_label("Provider", exact=True).select_option(label="Torbay Domestic Abuse Service")
    page.get_by_label("Funding from this fund, in pounds").fill("120000")
    _submit(page, "Add the project")
    project = Project.objects.get(fund__slug="csf", letter="A")
    page.wait_for_url(f"**/projects/{project.pk}/")
    page.get_by_role("link", name="Add a KPI").click()
    page.get_by_label("KPI", exact=True).fill("Victims referred who engage with the service")
    page.get_by_label("How it is measured").fill("Engaged victims as a share of those referred")
    page.get_by_label("Annual target, as the specification words it").fill("75% or above")
    page.get_by_label("Target as a number (optional)").fill("75")
    _submit(page, "Add the KPI")
    shot(page, "commissioner-project")
    page.get_by_role("link", name="Back to Community Safety Fund").click()
    shot(page, "commissioner-fund")

    # 5. The provider: the return the claim schedule opened, filled in and submitted.
    _accept(page, smtp_server, "pat@torbay.example", "provider")
    pr = ProjectReturn.objects.get(project=project, period="2019-H1")
    page.goto("/commissioning/")
    shot(page, "provider-commissioning")
    page.get_by_role("link", name="A: Domestic abuse support").click()
    page.wait_for_url(f"**/commissioning/projects/{project.pk}/")
    shot(page, "provider-project")
    page.get_by_role("link", name="First half of 2019/20", exact=True).click()
    page.wait_for_url(f"**/commissioning/returns/{pr.pk}/")
    assert "Draft" in page.locator("main").inner_text()
    page.get_by_role("link", name="Edit the return").click()
    page.get_by_label("To what extent have the outcomes been achieved?").fill("Referrals met the half-year target.")
    page.get_by_label("Actions put in place to achieve outcomes").fill("A second caseworker started in August.")
    page.get_by_label("On Track to Achieve").check()
    kpi = project.kpis.get()
    page.locator(f"#id_kpi_{kpi.pk}").fill("78")
    page.locator("#id_spend_0_category").fill("Caseworker salaries")
    page.locator("#id_spend_0_amount").fill("55,000.00")
    shot(page, "provider-return-form")
    _submit(page, "Save the return")
    page.wait_for_url(f"**/returns/{pr.pk}/")
    _submit(page, "Submit for review")
    assert "Submitted" in page.locator("main").inner_text()
    shot(page, "provider-return-submitted")

    # The commissioner accepts it.
    _sign_in(page, "cath@torbay.example", INVITEE_PASSWORD)
    page.goto(f"/commissioning/returns/{pr.pk}/")
    page.get_by_label("Accept the return").check()
    page.get_by_label("Comment to the provider").fill("Thank you.")
    _submit(page, "Record the review")
    assert "Accepted" in page.locator("main").inner_text()
    shot(page, "commissioner-return-accepted")

    # 6. The administrator: the board, a meeting, an agenda item and the pack.
    _sign_in(page, "admin", PASSWORD)
    page.goto("/governance/safer-torbay/")
    page.get_by_role("link", name="Create the board").click()
    page.get_by_label("Name of the board").fill("Safer Torbay Partnership Board")
    page.get_by_label("Members needed for a quorum").fill("3")
    _submit(page, "Create the board")
    page.wait_for_url("**/governance/safer-torbay/setup/")
    page.get_by_role("link", name="Add a member").click()
    page.get_by_label("Organisation").select_option(label="Torbay Council")
    page.get_by_label("Representative").fill("Jo Bloggs")
    page.get_by_label("Chair", exact=True).check()
    _date(page, "starts_on", 1, 4, 2019)
    _submit(page, "Add the member")
    page.get_by_role("link", name="Schedule a meeting").click()
    _date(page, "date", 23, 7, 2019)
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Venue").fill("Town Hall, Torquay")
    _submit(page, "Schedule the meeting")
    meeting = Meeting.objects.get(board__partnership__slug="safer-torbay")
    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Title").fill("Performance report")
    page.get_by_label("Purpose").fill("To note the year to date.")
    _submit(page, "Add the item")
    assert "Performance report" in page.locator("main").inner_text()
    shot(page, "board-meeting-setup")
    page.goto(f"/governance/safer-torbay/meetings/{meeting.pk}/")
    # The item's paper: the performance report, generated live from the data when the pack is built.
    page.get_by_text("Add a paper", exact=True).click()
    page.locator("#paper-item").select_option(label="1. Performance report")
    page.locator("#paper-title").fill("Performance report")
    page.locator("#paper-generator").select_option(label="Live: Performance report")
    _submit(page, "Add paper")
    shot(page, "meeting")
    # The first issue is the agenda pack (offered first); later ones are supplements.
    assert page.get_by_label("Build a new issue from the data as it is now").input_value() == "agenda"
    _submit(page, "Build and issue")
    # The meeting page says how the build on the worker goes; "Refresh the page" until it is built.
    job = page.locator("#pack-job")
    for _ in range(240):
        if "Waiting to start" not in job.inner_text() and "Building" not in job.inner_text():
            break
        page.wait_for_timeout(500)
        page.get_by_role("link", name="Refresh the page").click()
        page.wait_for_load_state()
    assert "The latest pack build is done" in job.inner_text(), job.inner_text()
    shot(page, "meeting-pack-issued")
    pack = Pack.objects.get(meeting=meeting)
    assert pack.kind == "agenda" and pack.pages > 1  # the agenda and the performance report
    assert f"Agenda pack, issue 1 (PDF, {pack.pages} pages)" in page.locator("main").inner_text()
    # No sensitive indicator here, so no password again: the link downloads the pack as issued.
    with page.expect_download() as download:
        page.get_by_role("link", name="Agenda pack, issue 1").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes() == bytes(pack.pdf)

    # The email the journey sent, as the SMTP server received it.
    def subjects(address: str) -> list[str]:
        return [m["Subject"] for m in smtp_server.to(address)]

    submitted = "Return submitted: Project A: Domestic abuse support (First half of 2019/20)"
    accepted = "Return accepted: Project A: Domestic abuse support (First half of 2019/20)"
    invited = "You are invited to saferhub for Safer Torbay"
    assert subjects("cath@torbay.example") == [invited, submitted]
    assert subjects("pat@torbay.example") == [invited, accepted]
    assert subjects("ann@torbay.example") == [invited]

    # Every task of the list is done.
    page.goto("/setup/safer-torbay/")
    assert "You have completed 7 of 7 tasks" in page.locator("main").inner_text()
    shot(page, "task-list-done")

    assert ProjectReturn.objects.get(pk=pr.pk).state == "accepted"
    assert {u.username for u in User.objects.exclude(password="").exclude(totp_secret="")} >= {
        "admin",
        "ann@torbay.example",
        "cath@torbay.example",
    }
