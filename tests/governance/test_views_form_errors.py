"""Every governance form, posted wrong, comes back in the GOV.UK error pattern and writes nothing:
status 400, "Error: " in the title, an error summary whose links reach the controls, and at each
control the error group, the message with its hidden "Error:" and the control's --error class."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html as lxml_html

from saferhub.audit.models import AuditEvent
from saferhub.governance import services as s
from saferhub.governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Membership,
    Pack,
    Paper,
    PriorityScore,
)
from saferhub.partnerships.models import Organisation

from .conftest import NOW

BASE = "/governance/testham/"
SCORES = {
    "f_physical": 2,
    "f_psychological": 3,
    "f_financial": 1,
    "f_community": 4,
    "f_frequency": 3,
    "f_victim_vulnerability": 3,
    "f_capacity_gap": 1,
    "f_capability_gap": 1,
    "scope": "city",
    "confidence": "B",
}


@pytest.fixture
def officer(client, users):
    client.force_login(users["analyst"])
    return client


def snapshot():
    models = (Membership, Meeting, AgendaItem, Paper, Decision, Action, Attendance, Pack, PriorityScore)
    return (
        {m.__name__: m.objects.count() for m in models},
        list(Action.objects.values_list("status", flat=True)),
        AuditEvent.objects.count(),
    )


def by_class(element, name: str, tag: str = "*") -> list:
    return element.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def assert_govuk_errors(response, expected: dict[str, str]) -> None:
    """``expected`` maps the id of each control in error to (part of) its message."""
    assert response.status_code == 400
    page = lxml_html.fromstring(response.content.decode())
    assert page.findtext(".//title").startswith("Error: ")
    summary = by_class(page, "govuk-error-summary")
    assert len(summary) == 1 and summary[0].get("data-module") == "govuk-error-summary"
    assert by_class(summary[0], "govuk-error-summary__title")[0].text_content().strip() == "There is a problem"
    targets = [a.get("href") for a in by_class(summary[0], "govuk-error-summary__list")[0].iter("a")]
    assert targets, "the summary lists the errors"
    for href in targets:
        assert href.startswith("#") and page.get_element_by_id(href[1:], None) is not None, f"{href} leads nowhere"
    for control_id, message in expected.items():
        assert f"#{control_id}" in targets, f"no summary link to {control_id}: {targets}"
        control = page.get_element_by_id(control_id)
        assert any(c.endswith("--error") for c in control.get("class").split()), control_id
        group = next(a for a in control.iterancestors() if "govuk-form-group--error" in (a.get("class") or ""))
        shown = by_class(group, "govuk-error-message")
        assert shown, f"no message beside {control_id}"
        text = shown[0].text_content()
        assert text.strip().startswith("Error:") and message in text, (control_id, text)
        assert by_class(shown[0], "govuk-visually-hidden")[0].text_content() == "Error:"


def test_adding_a_member_wrongly(officer, business):
    before = snapshot()
    response = officer.post(
        BASE + "members/add/",
        {
            "representative": "",
            "board_role": "member",
            "starts_on-day": "31",
            "starts_on-month": "2",
            "starts_on-year": "2017",
        },
    )
    assert_govuk_errors(
        response,
        {
            "id_organisation": "Choose an organisation",
            "id_representative": "Enter the representative's name",
            "id_starts_on-day": "The date the member joined must be a real date",
        },
    )
    body = response.content.decode()
    assert 'value="31"' in body, "what was typed comes back"
    response = officer.post(BASE + "members/add/", {"starts_on-day": "1", "starts_on-year": "2017"})
    assert_govuk_errors(response, {"id_starts_on-day": "The date the member joined must include a month"})
    assert snapshot() == before

    org = Organisation.objects.create(name="Youth Offending Service", kind="statutory")
    ok = officer.post(
        BASE + "members/add/",
        {
            "organisation": org.pk,
            "representative": "Head of Service",
            "board_role": "member",
            "starts_on-day": "1",
            "starts_on-month": "2",
            "starts_on-year": "2017",
        },
    )
    assert ok.status_code == 302 and Membership.objects.get(organisation=org).starts_on == datetime.date(2017, 2, 1)


def test_scheduling_a_meeting_wrongly(officer, business):
    before = snapshot()
    response = officer.post(
        BASE + "meetings/add/",
        {"kind": "quarterly", "date-day": "8", "date-year": "2017", "starts_at": "25:00", "venue": ""},
    )
    assert_govuk_errors(
        response,
        {
            "id_date-day": "The date of the meeting must include a month",
            "id_starts_at": "24-hour clock",
            "id_venue": "Enter the venue",
        },
    )
    # The service's own rule is shown beside the field it is about.
    good = {
        "kind": "quarterly",
        "date-day": "8",
        "date-month": "3",
        "date-year": "2017",
        "starts_at": "14:00",
        "venue": "Room 2",
    }
    response = officer.post(BASE + "meetings/add/", {**good, "ends_at": "13:00"})
    assert_govuk_errors(response, {"id_ends_at": "A meeting must end after it starts"})
    assert snapshot() == before
    assert officer.post(BASE + "meetings/add/", good).status_code == 302
    assert Meeting.objects.filter(date=datetime.date(2017, 3, 8)).exists()


@pytest.mark.parametrize(
    "what, data, expected",
    [
        (
            "item",
            {"number": "x", "subject": "", "purpose": ""},
            {
                "item-number": "whole number from 1 to 99",
                "item-subject": "Enter the subject",
                "item-purpose": "Enter the purpose",
            },
        ),
        (
            "item",
            {"number": "8", "subject": "Again", "purpose": "To repeat."},
            {"item-number": "already has an item 8"},
        ),
        ("paper", {"title": ""}, {"paper-item": "Select the agenda item", "paper-title": "Enter the title"}),
        ("paper", {"title": "Nothing", "ITEM": True}, {"paper-generator": "Choose a live paper or upload a PDF"}),
        (
            "paper",
            {"title": "Not a PDF", "ITEM": True, "file": SimpleUploadedFile("x.pdf", b"hello", "application/pdf")},
            {"paper-file": "must be a PDF"},
        ),
        ("decision", {"text": ""}, {"decision-text": "Enter the decision"}),
        (
            "action",
            {"description": "", "owner": "", "due_on-day": "32", "due_on-month": "1", "due_on-year": "2017"},
            {
                "action-description": "Describe the action",
                "action-owner": "Enter who owns the action",
                "action-due_on-day": "The due date must be a real date",
            },
        ),
    ],
)
def test_changing_a_meeting_wrongly(officer, business, what, data, expected):
    m = business["meeting"]
    if data.pop("ITEM", False):
        data["item"] = business["item"].pk
    before = snapshot()
    response = officer.post(f"{BASE}meetings/{m.pk}/add-{what}/", data)
    assert_govuk_errors(response, expected)
    assert snapshot() == before
    page = lxml_html.fromstring(response.content.decode())
    details = page.get_element_by_id(next(iter(expected))).iterancestors("details")
    assert next(details).get("open") is not None, "the form in error is shown open"


def test_changing_a_meeting_rightly_still_works(officer, business):
    m, item = business["meeting"], business["item"]
    assert (
        officer.post(f"{BASE}meetings/{m.pk}/add-item/", {"number": 9, "subject": "AOB", "purpose": "Any."}).status_code
        == 302
    )
    assert officer.post(f"{BASE}meetings/{m.pk}/add-decision/", {"item": item.pk, "text": "Agreed."}).status_code == 302
    assert (
        officer.post(
            f"{BASE}meetings/{m.pk}/add-action/",
            {"description": "Do it", "owner": "Chair", "due_on-day": "30", "due_on-month": "4", "due_on-year": "2017"},
        ).status_code
        == 302
    )
    assert AgendaItem.objects.filter(meeting=m, number=9).exists() and Decision.objects.get().item == item
    assert Action.objects.get(description="Do it").due_on == datetime.date(2017, 4, 30)


def test_attendance_is_all_or_nothing(officer, business, board, members):
    org = Organisation.objects.create(name="Housing of Testham", kind="charity")
    nodeputy = s.membership_create(
        board=board,
        organisation=org,
        representative="Housing rep",
        starts_on=datetime.date(2016, 4, 1),
        actor="t",
        now=NOW,
    )
    m = business["meeting"]
    before = snapshot()
    response = officer.post(
        f"{BASE}meetings/{m.pk}/attendance/",
        {f"m{members['police'].pk}-kind": "present", f"m{nodeputy.pk}-kind": "deputy"},
    )
    assert_govuk_errors(
        response, {f"id_m{nodeputy.pk}-attended_by": "Name the deputy who attended (Housing of Testham)"}
    )
    assert snapshot() == before, "the police's attendance was not saved either"
    ok = officer.post(
        f"{BASE}meetings/{m.pk}/attendance/",
        {
            f"m{members['police'].pk}-kind": "present",
            f"m{nodeputy.pk}-kind": "deputy",
            f"m{nodeputy.pk}-attended_by": "Housing deputy",
        },
    )
    assert ok.status_code == 302 and Attendance.objects.count() == 2


def test_building_a_pack_wrongly(officer, business, board):
    empty = s.meeting_create(
        board=board, date=datetime.date(2017, 6, 1), starts_at=datetime.time(10), venue="Room", actor="t", now=NOW
    )
    before = snapshot()
    assert_govuk_errors(
        officer.post(f"{BASE}meetings/{empty.pk}/packs/", {"kind": "supplement"}), {"id_kind": "no agenda items"}
    )
    assert_govuk_errors(
        officer.post(f"{BASE}meetings/{empty.pk}/packs/", {"kind": "nonsense"}), {"id_kind": "Select a valid choice"}
    )
    assert snapshot() == before


def test_changing_an_action_status_wrongly(officer, business):
    a = business["action"]
    before = snapshot()
    response = officer.post(f"{BASE}actions/{a.pk}/status/", {"status": "open"})
    assert_govuk_errors(response, {f"status-{a.pk}": "An action cannot go from open to open"})
    assert snapshot() == before
    assert officer.post(f"{BASE}actions/{a.pk}/status/", {"status": "in_progress"}).status_code == 302
    assert Action.objects.get().status == "in_progress"


def test_scoring_a_priority_wrongly(officer, business):
    url = f"{BASE}priorities/{business['priority'].pk}/"
    before = snapshot()
    response = officer.post(url, {**SCORES, "f_physical": 7, "f_financial": "", "scope": "planet"})
    assert_govuk_errors(
        response,
        {
            "id_f_physical": "Physical must be a whole number from",
            "id_f_financial": "Enter the financial score",
            "id_scope": "Select a valid choice",
        },
    )
    assert 'value="7"' in response.content.decode()
    assert snapshot() == before
    assert officer.post(url, SCORES).status_code == 302 and PriorityScore.objects.count() == 1
