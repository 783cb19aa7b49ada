"""The commissioning pages: figures shown, GOV.UK error summaries, one service call each."""

from pathlib import Path

import pytest
from django.urls import reverse

from saferhub.accounts.models import User
from saferhub.commissioning import services
from saferhub.commissioning.models import HalfYearReturn, Project, ProjectReturn

from .conftest import NOW

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "saferhub" / "templates" / "commissioning"


@pytest.fixture
def commissioner(fund, client):
    user = User.objects.create_user(
        username="cath", password="x", role="commissioner", first_name="Cath", last_name="Commissioner"
    )
    client.force_login(user)
    return user


def test_overview_shows_the_money_and_the_checks(client, commissioner):
    page = client.get(reverse("commissioning:overview")).content.decode()
    for text in (
        "£400,568",
        "£27,678",
        "£428,246",
        "£167,068 of the £400,568 award had no confirmed home at January 2017",
        "Allocations £428,246 = award £400,568 + carried forward £27,678.",
        "exceeds funding of £25,000",
        "Continue to commission the Plymouth Domestic Abuse contract",
        "Awaiting confirmation",
        "To be confirmed",
    ):
        assert text in page, text


def test_project_page(client, commissioner, fund):
    f = Project.objects.get(fund=fund, letter="F")
    page = client.get(reverse("commissioning:project", args=[f.pk])).content.decode()
    assert "£1,330.06" in page and "On Track to Achieve" in page and "set by Matt Garrett" in page
    assert "Stage 1 ASB cases escalating to stage 2" in page


def test_return_form_errors_beside_fields_and_in_the_summary(client, commissioner, fund):
    a = Project.objects.get(fund=fund, letter="A")
    pr = services.project_return_open(project=a, period="2017-H2", now=NOW)
    url = reverse("commissioning:return-edit", args=[pr.pk])
    response = client.post(
        url,
        {
            "achieved": "Good",
            "rag": "achieved",
            "spend_0_category": "Refuge",
            "spend_0_amount": "12.345",
            "spend_1_category": "",
            "spend_1_amount": "5",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and 'href="#id_spend_0_amount"' in page
    assert "Enter the amount of spend line 1 in pounds and pence" in page and "govuk-input--error" in page
    assert "Enter what spend line 2 was for" in page
    pr.refresh_from_db()
    assert pr.achieved == "" and pr.spend_lines.count() == 0
    response = client.post(
        url, {"achieved": "Good", "rag": "achieved", "spend_0_category": "Refuge", "spend_0_amount": "80,100.00"}
    )
    assert response.status_code == 302
    pr.refresh_from_db()
    assert (
        pr.rag == "achieved"
        and pr.rag_set_by == "Cath Commissioner"
        and [s.amount for s in pr.spend_lines.all()] == [80100]
    )


def test_request_changes_needs_a_comment(client, commissioner, fund):
    pr = ProjectReturn.objects.get(project__fund=fund, project__letter="B")
    response = client.post(reverse("commissioning:return-review", args=[pr.pk]), {"decision": "request_changes"})
    assert response.status_code == 400 and "Say what the provider needs to change" in response.content.decode()
    response = client.post(
        reverse("commissioning:return-review", args=[pr.pk]), {"decision": "request_changes", "comment": "Q2 data"}
    )
    assert response.status_code == 302
    pr.refresh_from_db()
    assert pr.state == "changes_requested" and pr.review_comment == "Q2 data"


def test_sign_off_form(client, commissioner, fund):
    """The signature is the signed-in office holder's: no name, job title or date to type."""
    from django.utils import timezone

    from saferhub.demo.users import demo_password

    treasurer = User.objects.get(username="treasurer")
    hyr = HalfYearReturn.objects.get(fund=fund, version=1)
    url = reverse("commissioning:half-year", args=[hyr.pk])
    page = client.get(url).content.decode()
    assert (
        "Version 1" in page
        and "Awaiting the signature of Alex Morgan, Treasurer / CFO" in page
        and "Record the signature" not in page
    )
    client.force_login(treasurer)
    page = client.get(url).content.decode()
    assert "Sign as the treasurer / CFO" in page and 'name="job_title"' not in page and "signed_on" not in page
    client.post("/accounts/confirm-password/", {"password": demo_password(), "next": url})
    response = client.post(url, {"step": "treasurer", "version": "1"})
    assert response.status_code == 302
    hyr.refresh_from_db()
    # Signed today, by the account: the date is when the signature was made, not a typed one.
    assert hyr.state == "signed" and hyr.cfo_name == "Alex Morgan" and hyr.cfo_signed_by == treasurer
    assert hyr.snapshot["sign_off"]["treasurer"]["date"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("fmt,magic", [("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK"), ("json", b"{")])
def test_downloads(client, commissioner, fund, fmt, magic):
    hyr = HalfYearReturn.objects.get(fund=fund, version=1)
    response = client.get(reverse("commissioning:half-year-download", args=[hyr.pk, fmt]))
    assert response.status_code == 200 and response.content.startswith(magic)


def test_templates_have_no_inline_script_or_style():
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text()
        assert "<script" not in text and "style=" not in text, path.name


def test_changing_a_signed_claim_opens_a_new_version(client, commissioner, fund):
    v1 = HalfYearReturn.objects.get(fund=fund, version=1)
    response = client.post(reverse("commissioning:half-year-claim", args=[v1.pk]), {"claimed": "200,000.00"})
    v2 = HalfYearReturn.objects.get(fund=fund, version=2)
    assert response.status_code == 302 and response["Location"] == reverse("commissioning:half-year", args=[v2.pk])
    assert (v2.claimed, v2.state) == (200000, "draft")
    v1.refresh_from_db()
    assert v1.claimed == 200284 and v1.snapshot["claimed"] == "200284.00"
    page = client.get(reverse("commissioning:half-year", args=[v2.pk])).content.decode()
    # Version 2 waits for the CSP manager (this commissioner does not hold the office).
    assert (
        "does not match the scheduled £200,284" in page
        and "Awaiting the signature of Matt Garrett, CSP manager" in page
    )


def test_overview_shows_only_the_chosen_partnerships_funds_or_says_it_has_none(client, commissioner, fund):
    from saferhub.partnerships.current import SESSION_KEY
    from saferhub.partnerships.services import partnership_create

    partnership_create(slug="torbay", name="Safer Torbay", local_authorities=["Torbay"])
    page = client.get(reverse("commissioning:overview")).content.decode()
    assert "Safer Plymouth" in page and "£400,568" in page  # the first partnership, as before
    session = client.session
    session[SESSION_KEY] = "torbay"
    session.save()
    page = client.get(reverse("commissioning:overview")).content.decode()
    assert "£400,568" not in page and fund.name not in page
    assert "Safer Torbay has no fund yet" in page
    assert '<span class="govuk-caption-l">Safer Torbay</span>' in page


def test_a_negative_claim_is_refused(client, commissioner, fund):
    v1 = HalfYearReturn.objects.get(fund=fund, version=1)
    response = client.post(reverse("commissioning:half-year-claim", args=[v1.pk]), {"claimed": "-5.00"}, follow=True)
    assert "The amount claimed cannot be negative" in response.content.decode()
    assert list(HalfYearReturn.objects.filter(fund=fund).values_list("version", "claimed")) == [(1, 200284)]
