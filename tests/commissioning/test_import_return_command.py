"""saferhub import-return: a provider's KPI actuals and spend lines from XLSX, all or nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from saferhub.audit.models import AuditEvent
from saferhub.commissioning import services
from saferhub.commissioning.models import Project, ProjectReturn

from .conftest import NOW


def _workbook(path, kpis=None, spend=None):
    wb = Workbook()
    wb.remove(wb.active)
    if kpis is not None:
        ws = wb.create_sheet("KPIs")
        for row in kpis:
            ws.append(row)
    if spend is not None:
        ws = wb.create_sheet("Spend")
        for row in spend:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def project_f(fund):
    return Project.objects.get(fund=fund, letter="F")


def _snapshot(project):
    return (
        sorted(ProjectReturn.objects.filter(project=project).values_list("period", "state")),
        sorted((s.category, s.amount) for pr in project.returns.all() for s in pr.spend_lines.all()),
        AuditEvent.objects.count(),
    )


def test_import_a_period_with_pennies(project_f, tmp_path):
    path = _workbook(
        tmp_path / "f-h2.xlsx",
        kpis=[
            ["KPI", "Actual", "Note"],
            ["Early intervention solutions", 2, "Recovery café and youth outreach"],
            ["Stage 1 ASB cases escalating to stage 2", "18%", ""],
        ],
        spend=[
            ["Category", "Amount"],
            ["Youth outreach", 1200.5],
            ["ASB enforcement materials", "251.06"],
            ["Signage", 0.1 + 0.2 - 0.3 + 45],
        ],
    )
    call_command("import-return", str(path), "--project", str(project_f.pk), "--period", "2017-H2")
    pr = ProjectReturn.objects.get(project=project_f, period="2017-H2")
    assert [(s.category, s.amount) for s in pr.spend_lines.all()] == [
        ("Youth outreach", Decimal("1200.50")),
        ("ASB enforcement materials", Decimal("251.06")),
        ("Signage", Decimal("45.00")),
    ]
    assert sum(s.amount for s in pr.spend_lines.all()) == Decimal("1496.56")
    actuals = {a.kpi.name: (a.value, a.note) for a in pr.actuals.select_related("kpi")}
    assert actuals["Early intervention solutions"] == (Decimal("2.00"), "Recovery café and youth outreach")
    assert actuals["Stage 1 ASB cases escalating to stage 2"][0] == Decimal("18.00")
    assert AuditEvent.objects.filter(
        object_type="commissioning.projectreturn", object_id=str(pr.pk), action="update"
    ).exists()


def test_errors_name_file_row_and_field_and_nothing_is_written(project_f, tmp_path):
    path = _workbook(
        tmp_path / "bad.xlsx",
        kpis=[
            ["KPI", "Actual"],
            ["Early intervention solutions", 3],
            ["Number of unicorns", 1],
            ["Customer feedback", "lots"],
        ],
        spend=[["Category", "Amount"], ["Venue", "700"], ["", "5"], ["Stationery", "12.345"]],
    )
    before = _snapshot(project_f)
    with pytest.raises(CommandError) as err:
        call_command("import-return", str(path), "--project", str(project_f.pk), "--period", "2017-H2")
    text = str(err.value)
    assert "bad.xlsx, line 3, field 'KPI': 'Number of unicorns' is not one of project F's KPIs" in text
    assert "bad.xlsx, line 4, field 'Actual': 'lots' is not a number" in text
    assert "bad.xlsx, line 3, field 'Category'" in text
    assert "bad.xlsx, line 4, field 'Amount': '12.345' is not an amount in pounds and pence" in text
    assert _snapshot(project_f) == before


def test_missing_column_and_not_a_workbook(project_f, tmp_path):
    path = _workbook(tmp_path / "cols.xlsx", spend=[["What", "Amount"], ["Venue", 700]])
    with pytest.raises(
        CommandError, match=r"cols.xlsx, line 1, field 'Category': sheet 'Spend' has no column 'Category'"
    ):
        call_command("import-return", str(path), "--project", str(project_f.pk), "--period", "2017-H2")
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    with pytest.raises(CommandError, match="junk.xlsx: not an Excel workbook"):
        call_command("import-return", str(junk), "--project", str(project_f.pk), "--period", "2017-H2")
    assert not ProjectReturn.objects.filter(project=project_f, period="2017-H2").exists()


def test_an_accepted_return_is_not_overwritten(project_f, tmp_path):
    path = _workbook(tmp_path / "late.xlsx", spend=[["Category", "Amount"], ["Venue", 700]])
    with pytest.raises(CommandError, match="accepted: request changes before editing"):
        call_command("import-return", str(path), "--project", str(project_f.pk), "--period", "2017-H1")
    assert ProjectReturn.objects.get(project=project_f, period="2017-H1").spend_lines.count() == 5
    services.project_return_request_changes(
        project_return=ProjectReturn.objects.get(project=project_f, period="2017-H1"),
        actor="c",
        comment="resend",
        now=NOW,
    )
    call_command("import-return", str(path), "--project", str(project_f.pk), "--period", "2017-H1")
    assert ProjectReturn.objects.get(project=project_f, period="2017-H1").spend_lines.count() == 1


def test_bad_period(project_f, tmp_path):
    path = _workbook(tmp_path / "p.xlsx", spend=[["Category", "Amount"]])
    with pytest.raises(CommandError, match="not a half year"):
        call_command("import-return", str(path), "--project", str(project_f.pk), "--period", "2017-Q1")
