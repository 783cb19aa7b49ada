"""saferhub return half-year in each of its formats, read back."""

import datetime
import io
import json
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from openpyxl import load_workbook

ARGS = [
    "return",
    "half-year",
    "--partnership",
    "safer-plymouth",
    "--fund",
    "community-safety-fund",
    "--year",
    "2017/18",
]


def test_json_has_the_keys_and_strings_with_two_decimals(fund, tmp_path):
    out = tmp_path / "r.json"
    call_command(*ARGS, "--format", "json", "-o", str(out))
    data = json.loads(out.read_text())
    for key in ("allocation", "carried_forward", "allocated", "claimed"):
        assert isinstance(data[key], str) and data[key].split(".")[1].__len__() == 2
    assert {"letter", "title", "provider", "funding", "spend_to_date", "rag"} <= set(data["projects"][0])
    assert {c["code"] for c in data["checks"]} >= {
        "allocations_reconcile",
        "unallocated_intentions",
        "spend_within_funding",
        "claim_matches_schedule",
        "return_on_time",
    }


def test_pdf_reads_like_the_seed(fund, tmp_path):
    out = tmp_path / "r.pdf"
    call_command(*ARGS, "--format", "pdf", "-o", str(out))
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for needle in (
        "HALF YEAR REPORT RETURN - COMMUNITY SAFETY FUND 2017-18",
        "Safer Plymouth",
        "£400,568",
        "£200,284",
        "(Project A)",
        "(Project H)",
        "£1,330.06",
        "TO BE COMPLETED AND SIGNED BY CSP MANAGER",
        "MATT GARRETT",
        "HEAD OF COMMUNITY CONNECTIONS",
        "03/11/2017",
        "Awaiting the treasurer/CFO's signature",
    ):
        assert needle in text, needle
    # Issue 17: the unallocated balance (£167,068) is a check, in the officers' internal summary only.
    assert "£167,068" not in text
    assert "20 – down from" in text and "E+" not in text
    assert text.count("✓") == 8 + 8  # each project: the row label "Rag Rating (✓)" and one tick


def test_docx_tables(fund, tmp_path):
    out = tmp_path / "r.docx"
    call_command(*ARGS, "--format", "docx", "-o", str(out))
    doc = Document(io.BytesIO(out.read_bytes()))
    header = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert header["Total Community Safety Fund Allocation £"] == "£400,568"
    assert header["Amount Claimed for First half year £"] == "£200,284"
    project_tables = [t for t in doc.tables if t.rows[0].cells[0].text.startswith("(Project ")]
    assert [t.rows[0].cells[0].text for t in project_tables] == [f"(Project {x})" for x in "ABCDEFGH"]
    f = project_tables[5]
    spend = f.rows[2].cells[1].tables[0]
    assert [r.cells[1].text for r in spend.rows][-1] == "£251.06"
    rag = {r.cells[0].text: r.cells[1].text for r in project_tables[7].rows[-1].cells[1].tables[0].rows}
    assert rag["Not Achieved/Behind Schedule"] == "✓" and rag["Outcomes Achieved"] == ""


def test_xlsx_has_money_as_numbers_to_the_penny_and_a_row_per_project(fund, tmp_path):
    out = tmp_path / "r.xlsx"
    call_command(*ARGS, "--format", "xlsx", "-o", str(out))
    data_file = tmp_path / "r.json"
    call_command(*ARGS, "--format", "json", "-o", str(data_file))
    data = json.loads(data_file.read_text())
    wb = load_workbook(out)
    # Issue 17: the checks are the officers' internal summary, not a sheet of the funder's copy.
    assert wb.sheetnames == [
        "Return",
        "Projects",
        "Spend",
        "KPIs",
        "Outcomes",
        "Outcome tables",
        "Milestones",
        "Narratives",
        "Appendices",  # issue 17: the appendices, lettered as in the PDF and Word return
    ]
    summary = {label: value for label, value in wb["Return"].iter_rows(min_row=4, values_only=True)}
    assert summary["Allocation"] == 400568 and summary["Amount claimed"] == 200284
    assert summary["State"] == "Signed by the CSP manager; awaiting the treasurer/CFO"
    assert summary["Signed by the CSP manager"] == "Matt Garrett"
    assert summary["Due by"] == datetime.datetime(2017, 11, 3)  # a date cell, not text
    projects = list(wb["Projects"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in projects] == list("ABCDEFGH")
    for row, p in zip(projects, data["projects"]):
        funding, spent, unspent = row[7], row[10], row[11]
        assert isinstance(funding, (int, float)) and Decimal(str(funding)) == Decimal(p["funding"])
        assert Decimal(str(spent)) == Decimal(p["spend_to_date"])
        assert Decimal(str(unspent)) == Decimal(p["funding"]) - Decimal(p["spend_to_date"])
    assert wb["Projects"]["H2"].number_format == '"£"#,##0.00'
    spend = list(wb["Spend"].iter_rows(min_row=2, values_only=True))
    assert sum(Decimal(str(amount)) for _, _, amount in spend) == Decimal(data["spent"])
    assert any(letter == "F" and Decimal(str(amount)) == Decimal("251.06") for letter, _, amount in spend)  # pence kept
    assert not any(
        "Needs attention" in str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )
    tables = list(wb["Outcome tables"].iter_rows(min_row=2, values_only=True))
    assert (
        "C",
        "1. Proportion of the treatment population in contact with the CJ system",
        "Opiate",
        "26",
        "329/1265",
        "21.6",
    ) in [t[:6] for t in tables]
    # As many columns as the widest table (the DOMES tables' four), no empty "Column 5".
    assert list(next(wb["Outcome tables"].iter_rows(max_row=1, values_only=True))) == [
        "Project",
        "Table",
        "Row",
        "Column 2",
        "Column 3",
        "Column 4",
    ]


def test_xlsx_keeps_a_providers_formula_as_text(fund, tmp_path):
    from saferhub.rendering.formats import render_return

    data_file = tmp_path / "r.json"
    call_command(*ARGS, "--format", "json", "-o", str(data_file))
    data = json.loads(data_file.read_text())
    data["projects"][0]["achieved"] = '=HYPERLINK("http://evil.example","click")'
    wb = load_workbook(io.BytesIO(render_return(data, "xlsx")))
    cell = wb["Narratives"]["C2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix


def test_xlsx_of_an_older_snapshot_and_of_month_only_deadlines(fund, tmp_path):
    from saferhub.rendering.formats import render_return

    data_file = tmp_path / "r.json"
    call_command(*ARGS, "--format", "json", "-o", str(data_file))
    data = json.loads(data_file.read_text())
    # A return signed before "spend this half year" was recorded still renders; the cell is left
    # empty rather than guessed.
    for p in data["projects"]:
        del p["spend_this_half"]
    wb = load_workbook(io.BytesIO(render_return(data, "xlsx")))
    projects = wb["Projects"]
    assert projects["J1"].value == "Spend this half year" and projects["J2"].value is None
    assert projects["K2"].value == 80100  # spend to date is still there
    # The seed gives project G's last milestone as a month only: the sheet says so in words.
    milestones = [row for row in wb["Milestones"].iter_rows(min_row=2, values_only=True) if row[0] == "G"]
    given = {row[1]: (row[2], row[3]) for row in milestones}
    assert ("January 2018", datetime.datetime(2018, 1, 31)) in given.values()
    cofunders = {row[0]: row[14] for row in projects.iter_rows(min_row=2, values_only=True)}
    assert cofunders["A"] == "Plymouth City Council (core budget) (the remainder of the service)"


def test_unknown_fund_and_binary_to_stdout(fund):
    with pytest.raises(CommandError, match="no fund"):
        call_command("return", "half-year", "--partnership", "safer-plymouth", "--fund", "x", "--year", "2017/18")
    for fmt in ("pdf", "docx", "xlsx"):
        with pytest.raises(CommandError, match="binary"):
            call_command(*ARGS, "--format", fmt)
