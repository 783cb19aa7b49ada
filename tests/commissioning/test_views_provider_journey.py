"""The provider's journey in the demo (issue 15): project A carries the seed's outcome measures as
KPIs, so its provider enters actuals against them; a return takes as many spend lines as the
provider needs ("Add another spend line"); a return sent back shows the commissioner's comments
on the form."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from saferhub.accounts.models import User
from saferhub.commissioning import services
from saferhub.commissioning.models import Kpi, Project, ProjectReturn
from saferhub.demo import load_demo
from tests.performance.conftest import NOW


@pytest.fixture
def project_a(db, monkeypatch):
    monkeypatch.setenv("SAFERHUB_DEMO_PASSWORD", "demo-pass-123")
    partnership = load_demo(now=NOW)
    return Project.objects.get(fund__partnership=partnership, letter="A")


@pytest.fixture
def second_half(project_a):
    return services.project_return_open(project=project_a, period="2017-H2", due_on=datetime.date(2018, 4, 30), now=NOW)


def test_project_a_carries_the_seeds_outcome_measures_as_kpis(project_a):
    kpis = list(Kpi.objects.filter(project=project_a).values_list("annual_target", "target_value"))
    assert kpis == [
        ("100%", Decimal("100.00")),
        ("75% or above", Decimal("75.00")),
        ("Below 20%", Decimal("20.00")),
        ("90%", Decimal("90.00")),
    ]


def test_the_provider_enters_actuals_and_as_many_spend_lines_as_it_needs(client, second_half, project_a):
    client.force_login(User.objects.get(username="provider"))
    url = f"/commissioning/returns/{second_half.pk}/edit/"
    page = client.get(url).content.decode()
    kpis = list(Kpi.objects.filter(project=project_a))
    for kpi in kpis:
        assert f'name="kpi_{kpi.pk}"' in page and kpi.annual_target in page
    assert 'name="spend_2_category"' in page and 'name="spend_3_category"' not in page  # three empty lines

    # Eight lines: the form grows by "Add another spend line", keeping what was typed.
    lines = {f"spend_{i}_category": f"Line {i + 1}" for i in range(8)} | {
        f"spend_{i}_amount": f"{100 + i}.50" for i in range(8)
    }
    typed = {
        "achieved": "Good progress",
        "rag": "on_track",
        "spend_rows": "3",
        **{k: lines[k] for k in lines if k[6] < "3"},
    }
    page = client.post(url, {**typed, "add_line": "1"})
    assert page.status_code == 200 and not ProjectReturn.objects.get(pk=second_half.pk).spend_lines.exists()
    html = page.content.decode()
    assert 'name="spend_3_category"' in html and 'value="Line 3"' in html and "Good progress" in html
    assert 'class="govuk-error-summary' not in html  # adding a line is not a submission
    rows = int(html.split('name="spend_rows" value="')[1].split('"')[0])
    while rows < 8:
        html = client.post(url, {**typed, "spend_rows": str(rows), "add_line": "1"}).content.decode()
        rows = int(html.split('name="spend_rows" value="')[1].split('"')[0])
    actuals = {f"kpi_{k.pk}": v for k, v in zip(kpis, ["100", "81", "12.5", "92"])}
    response = client.post(
        url, {"achieved": "Good progress", "rag": "on_track", "spend_rows": str(rows), **lines, **actuals}
    )
    assert response.status_code == 302
    saved = ProjectReturn.objects.get(pk=second_half.pk)
    assert [(s.category, s.amount) for s in saved.spend_lines.all()] == [
        (f"Line {i + 1}", Decimal(f"{100 + i}.50")) for i in range(8)
    ]
    assert [a.value for a in saved.actuals.order_by("kpi__position")] == [
        Decimal("100.00"),
        Decimal("81.00"),
        Decimal("12.50"),
        Decimal("92.00"),
    ]
    # Reopened: every line, and room for more.
    page = client.get(url).content.decode()
    assert 'value="Line 8"' in page and 'name="spend_10_category"' in page


def test_a_provider_whose_return_was_sent_back_sees_the_comments_on_the_form(client, second_half):
    provider, commissioner = User.objects.get(username="provider"), User.objects.get(username="commissioner")
    services.project_return_update(project_return=second_half, actor=provider, now=NOW, rag="on_track")
    services.project_return_submit(project_return=second_half, actor=provider, now=NOW)
    services.project_return_request_changes(
        project_return=second_half, actor=commissioner, comment="Split the staffing line by post.", now=NOW
    )
    client.force_login(provider)
    page = client.get(f"/commissioning/returns/{second_half.pk}/edit/").content.decode()
    assert "Split the staffing line by post." in page
    assert "sent back" in page.lower()
