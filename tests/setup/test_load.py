"""The set-up workbook (issue 15): template -> fill -> load makes the objects; a problem anywhere
loads nothing and is named by sheet, row and column; loading again changes nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from saferhub.accounts.models import User
from saferhub.audit.models import AuditEvent
from saferhub.commissioning.models import Award, Fund, HalfYearReturn, Intention, Kpi, Milestone, Project
from saferhub.governance.models import AgendaItem, Board, Meeting, Membership
from saferhub.partnerships.models import Organisation, Partnership
from saferhub.performance.models import Indicator, TargetValue
from saferhub.setup.sheets import SHEETS

ROWS = {
    "Partnership": [["Torbay Community Safety Partnership", "E22000060", "", "", "yes"]],
    "Organisations": [
        ["Torbay Council", "local_authority", "", ""],
        ["Devon and Cornwall Police", "police", "", ""],
        ["Police and Crime Commissioner", "pcc", "", ""],
        ["Safe Harbour Trust", "charity", "1234567", ""],
    ],
    "People": [
        ["analyst@torbay.example", "analyst", ""],
        ["provider@harbour.example", "provider", "Safe Harbour Trust"],
    ],
    "Indicators": [
        [
            "da-referrals",
            "Domestic abuse referrals",
            "partner",
            "monitor_only",
            "monthly",
            "count",
            "",
            "",
            "Police",
            "yes",
            "",
        ],
    ],
    "Targets": [["burglary", "2019-04", "50", "flat"], ["da-referrals", "2019-04", "120", "flat"]],
    "Funds": [["csf", "Community Safety Fund", "Police and Crime Commissioner", ""]],
    "Awards": [["csf", "2019/20", "250000.00", "1000.50", "underspend of 2018/19", "2019-03-01"]],
    "Intentions": [
        ["csf", "2019/20", "2019-02-01", "1", "Domestic abuse", "Fund an IDVA", "confirmed", "80000", "", ""]
    ],
    "Projects": [
        [
            "csf",
            "2019/20",
            "A",
            "IDVA service",
            "Safe Harbour Trust",
            "80000.00",
            "60%",
            "",
            "",
            "2019-04-01",
            "2020-03-31",
        ]
    ],
    "KPIs": [
        ["csf", "2019/20", "A", "Victims who engage", "% who engage", "75% or more", "75", "", ""],
        ["csf", "2019/20", "A", "Re-referrals", "% re-referred", "below 20%", "20", "", ""],
    ],
    "Milestones": [["csf", "2019/20", "A", "Contract awarded", "2019-03-15", "", "", "yes"]],
    "Returns": [["csf", "2019-H1", "Torbay", "40000.00", "2019-10-31", "30 September 2019"]],
    "Board": [["Torbay CSP Board", "5", "3", "yes"]],
    "Members": [
        ["Torbay Council", "A. Person", "Director", "chair", "", "", "2019-04-01", ""],
        ["Devon and Cornwall Police", "B. Officer", "Superintendent", "member", "C. Deputy", "", "2019-04-01", ""],
    ],
    "Meetings": [["2019-06-20", "14:00", "16:00", "quarterly", "Town Hall, Torquay"]],
    "Agenda items": [
        ["2019-06-20", "1", "Welcome and apologies", "To note apologies.", "Chair"],
        ["2019-06-20", "2", "Performance report", "To note the performance report.", "Analyst"],
    ],
}


@pytest.fixture
def template(tmp_path) -> bytes:
    path = tmp_path / "setup.xlsx"
    call_command("setup", "template", "-o", str(path), stdout=io.StringIO())
    return path.read_bytes()


def _fill(template: bytes, path, rows=ROWS, edit=None):
    wb = load_workbook(io.BytesIO(template))
    for sheet, data in rows.items():
        for r, values in enumerate(data, start=3):
            for c, value in enumerate(values, start=1):
                wb[sheet].cell(row=r, column=c, value=value or None)
    if edit:
        edit(wb)
    wb.save(path)
    return path


def _load(path, slug="torbay"):
    out = io.StringIO()
    call_command("setup", "load", str(path), "--partnership", slug, stdout=out)
    return out.getvalue()


def test_the_template_has_a_sheet_per_part_with_headings_examples_and_lists(template):
    wb = load_workbook(io.BytesIO(template))
    assert wb.sheetnames == ["Read me", *(s.name for s in SHEETS)]
    for sheet in SHEETS:
        ws = wb[sheet.name]
        assert [c.value for c in ws[1]] == [c.heading for c in sheet.columns]
        assert all(ws.cell(row=1, column=i + 1).comment for i in range(len(sheet.columns)))
        assert [c.value or "" for c in ws[2]] == list(sheet.example)
        lists = {dv.formula1.strip('"') for dv in ws.data_validations.dataValidation}
        wanted = {",".join(c.choices) for c in sheet.columns if c.choices} | (
            {"yes,no"} if any(c.kind.value == "yes/no" for c in sheet.columns) else set()
        )
        assert lists == wanted
    assert "local_authority" in wb["Organisations"].data_validations.dataValidation[0].formula1


def test_round_trip_template_fill_load_makes_every_object(template, tmp_path, db, smtp_server):
    result = _load(_fill(template, tmp_path / "filled.xlsx"))
    partnership = Partnership.objects.get(slug="torbay")
    assert partnership.name == "Torbay Community Safety Partnership" and partnership.csp_codes() == ["E22000060"]
    assert "Loaded filled.xlsx into Torbay Community Safety Partnership" in result
    assert set(Organisation.objects.values_list("name", flat=True)) >= {"Torbay Council", "Safe Harbour Trust"}
    assert Organisation.objects.get(name="Safe Harbour Trust").charity_number == "1234567"
    provider = User.objects.get(email="provider@harbour.example")
    assert provider.role == "provider" and provider.organisation.name == "Safe Harbour Trust"
    assert not provider.has_usable_password()  # invited: they set it from the emailed link
    assert [m["To"] for m in smtp_server.messages] == ["analyst@torbay.example", "provider@harbour.example"]
    da = Indicator.objects.get(partnership=partnership, code="da-referrals")
    assert da.sensitive and da.source == "partner" and da.owner == "Police"
    assert Indicator.objects.filter(partnership=partnership, code="burglary").exists()  # the standard ones
    targets = {(t.indicator.code, t.period): t.value for t in TargetValue.objects.all()}
    assert targets == {("burglary", "2019-04"): Decimal("50"), ("da-referrals", "2019-04"): Decimal("120")}
    fund = Fund.objects.get(partnership=partnership, slug="csf")
    assert fund.funder.name == "Police and Crime Commissioner"
    award = Award.objects.get(fund=fund)
    assert (award.year, award.amount, award.carried_forward) == (2019, Decimal("250000.00"), Decimal("1000.50"))
    assert award.decided_on == datetime.date(2019, 3, 1)
    intention = Intention.objects.get(fund=fund)
    assert intention.state == "confirmed" and intention.contribution == Decimal("80000.00")
    project = Project.objects.get(fund=fund, letter="A")
    assert project.provider.name == "Safe Harbour Trust" and project.contract_end == datetime.date(2020, 3, 31)
    assert list(Kpi.objects.filter(project=project).values_list("name", "position")) == [
        ("Victims who engage", 0),
        ("Re-referrals", 1),
    ]
    assert Milestone.objects.get(project=project).done is True
    board = Board.objects.get(partnership=partnership)
    assert board.name == "Torbay CSP Board"
    chair = Membership.objects.get(board=board, board_role="chair")
    assert chair.representative == "A. Person" and chair.starts_on == datetime.date(2019, 4, 1)
    meeting = Meeting.objects.get(board=board)
    assert meeting.starts_at == datetime.time(14) and meeting.venue == "Town Hall, Torquay"
    assert list(meeting.items.values_list("number", "subject")) == [
        (1, "Welcome and apologies"),
        (2, "Performance report"),
    ]
    hyr = HalfYearReturn.objects.get(fund=fund)
    assert (hyr.period, hyr.claimed, hyr.due_on, hyr.state) == (
        "2019-H1",
        Decimal("40000.00"),
        datetime.date(2019, 10, 31),
        "draft",
    )
    # Audited: every object made, and the load itself.
    assert AuditEvent.objects.filter(summary__startswith="set-up workbook filled.xlsx loaded").count() == 1
    assert AuditEvent.objects.filter(object_type="commissioning.kpi").count() == 2


def test_loading_again_changes_nothing_and_a_changed_row_changes_its_object(template, tmp_path, db, smtp_server):
    path = _fill(template, tmp_path / "filled.xlsx")
    _load(path)
    events = AuditEvent.objects.count()
    state = [
        list(model.objects.order_by("pk").values())
        for model in (
            Organisation,
            User,
            Indicator,
            TargetValue,
            Fund,
            Award,
            Intention,
            Project,
            Kpi,
            Milestone,
            HalfYearReturn,
            Board,
            Membership,
            Meeting,
            AgendaItem,
        )
    ]
    assert "nothing changed" in _load(path)
    assert AuditEvent.objects.count() == events and len(smtp_server.messages) == 2
    assert state == [
        list(model.objects.order_by("pk").values())
        for model in (
            Organisation,
            User,
            Indicator,
            TargetValue,
            Fund,
            Award,
            Intention,
            Project,
            Kpi,
            Milestone,
            HalfYearReturn,
            Board,
            Membership,
            Meeting,
            AgendaItem,
        )
    ]

    def raise_the_award(wb):
        wb["Awards"]["C3"] = "260000.00"

    out = _load(_fill(template, tmp_path / "changed.xlsx", edit=raise_the_award))
    assert "1 Awards changed" in out
    assert Award.objects.get().amount == Decimal("260000.00")
    change = AuditEvent.objects.filter(object_type="commissioning.award").latest("pk")
    assert change.before == {"amount": "250000.00"} and change.after == {"amount": "260000.00"}


def test_a_changed_row_is_audited_before_and_after_as_every_update_is(template, tmp_path, db, smtp_server):
    _load(_fill(template, tmp_path / "setup.xlsx"))
    council, harbour = (Organisation.objects.get(name=n) for n in ("Torbay Council", "Safe Harbour Trust"))

    def move_the_project(wb):
        wb["Projects"]["E3"] = "Torbay Council"
        wb["Projects"]["K3"] = "2020-09-30"

    assert "1 Projects changed" in _load(_fill(template, tmp_path / "moved.xlsx", edit=move_the_project))
    change = AuditEvent.objects.filter(object_type="commissioning.project", action="update").get()
    assert change.summary == f"{Project.objects.get()} changed by the set-up workbook"
    # the audit log's one form (audit_value): a date in ISO form, a related row by its name (not its
    # database id, which an auditor cannot read)
    assert change.before == {"provider": harbour.name, "contract_end": "2020-03-31"}
    assert change.after == {"provider": council.name, "contract_end": "2020-09-30"}
    assert "Safe Harbour Trust" == harbour.name and "Torbay Council" == council.name


def test_a_problem_anywhere_loads_nothing_and_names_sheet_row_and_column(template, tmp_path, db, smtp_server):
    def spoil(wb):
        wb["Awards"]["C3"] = "two hundred"
        wb["Projects"]["E3"] = "No Such Charity"
        wb["Meetings"]["D3"] = "monthly"

    with pytest.raises(CommandError) as refused:
        _load(_fill(template, tmp_path / "bad.xlsx", edit=spoil))
    message = str(refused.value)
    assert message.startswith("nothing was loaded.")
    assert "bad.xlsx, sheet 'Awards', row 3, column 'Amount': 'two hundred' is not a number" in message
    assert (
        "bad.xlsx, sheet 'Meetings', row 3, column 'Kind': 'monthly' is not one of quarterly, extraordinary" in message
    )
    assert not Partnership.objects.exists() and not Organisation.objects.exists() and not smtp_server.messages

    # Typed cells right, a reference wrong: found while loading, and still nothing is kept.
    def wrong_provider(wb):
        wb["Projects"]["E3"] = "No Such Charity"

    with pytest.raises(CommandError) as refused:
        _load(_fill(template, tmp_path / "bad2.xlsx", edit=wrong_provider))
    assert (
        "bad2.xlsx, sheet 'Projects', row 3, column 'Provider': no organisation 'No Such Charity': "
        "add it to the Organisations sheet" in str(refused.value)
    )
    assert not Partnership.objects.exists() and not Fund.objects.exists() and not AuditEvent.objects.exists()
    assert not User.objects.exists() and not smtp_server.messages


def test_an_unknown_column_and_a_missing_required_one_are_named(template, tmp_path, db):
    def rename(wb):
        wb["Funds"]["B1"] = "Title"

    with pytest.raises(CommandError) as refused:
        _load(_fill(template, tmp_path / "cols.xlsx", edit=rename))
    message = str(refused.value)
    assert "sheet 'Funds', row 1, column 'Name': this column is missing from the header row" in message
    assert "sheet 'Funds', row 1, column 'Title': is not a column of this sheet" in message


def test_the_example_rows_are_never_loaded(template, tmp_path, db):
    path = tmp_path / "only-partnership.xlsx"
    _fill(template, path, rows={"Partnership": ROWS["Partnership"]})
    _load(path)
    assert list(Partnership.objects.values_list("slug", flat=True)) == ["torbay"]
    assert not Organisation.objects.exists() and not Fund.objects.exists() and not Board.objects.exists()
