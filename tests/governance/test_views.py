import datetime

import pytest

from saferhub.audit.models import AuditEvent
from saferhub.governance import services as s
from saferhub.governance.models import Action, Attendance, Membership, Pack, PriorityScore

from .conftest import NOW, blank_pdf


def pages(b):
    base = "/governance/testham/"
    return [
        base,
        base + "meetings/",
        f"{base}meetings/{b['meeting'].pk}/",
        base + "actions/",
        base + "priorities/",
        f"{base}priorities/{b['priority'].pk}/",
        base + "terms/",
        f"{base}terms/{b['terms'].pk}/",
        base + "packs/",
        f"{base}papers/{b['item'].papers.get().pk}/",
    ]


@pytest.mark.parametrize("role", ["admin", "analyst", "commissioner", "board"])
def test_every_role_reads_every_page(client, users, business, role):
    client.force_login(users[role])
    for url in pages(business):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"govuk-template" in response.content and b"style=" not in response.content


def test_anonymous_visitors_are_sent_to_sign_in(client, business):
    response = client.get("/governance/testham/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_board_page_shows_members_deputies_and_the_coverage_check(client, users, business, members):
    client.force_login(users["board"])
    html = client.get("/governance/testham/").content.decode()
    assert "Police deputy" in html and "Every statutory CSP agency" in html
    s.membership_update(membership=members["health"], ends_on=datetime.date(2016, 12, 31), actor="t", now=NOW)
    html = client.get("/governance/testham/").content.decode()
    assert "Not represented: Health / CCG." in html


def test_board_members_get_403_on_every_write(client, users, business, members):
    client.force_login(users["board"])
    m, before = business["meeting"], AuditEvent.objects.exclude(action="denied").count()
    posts = [
        (f"/governance/testham/actions/{business['action'].pk}/status/", {"status": "done"}),
        (f"/governance/testham/meetings/{m.pk}/attendance/", {f"m{members['police'].pk}-kind": "present"}),
        (f"/governance/testham/meetings/{m.pk}/packs/", {"kind": "supplement"}),
        (f"/governance/testham/priorities/{business['priority'].pk}/", {"scope": "city"}),
        ("/governance/testham/members/add/", {"representative": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert Action.objects.get().status == "open" and not Attendance.objects.exists() and not Pack.objects.exists()
    assert AuditEvent.objects.exclude(action="denied").count() == before
    assert AuditEvent.objects.filter(action="denied").count() == len(posts)


def test_officers_record_attendance_actions_scores_and_build_packs(client, users, business, members):
    client.force_login(users["analyst"])
    m = business["meeting"]
    data = {f"m{members[k].pk}-kind": "present" for k in ("local_authority", "police", "probation")}
    data[f"m{members['pcc'].pk}-kind"] = "deputy"
    assert client.post(f"/governance/testham/meetings/{m.pk}/attendance/", data).status_code == 302
    html = client.get(f"/governance/testham/meetings/{m.pk}/").content.decode()
    assert "Quorate" in html and "4 member organisations present, 3 of them statutory" in html

    client.post(f"/governance/testham/actions/{business['action'].pk}/status/", {"status": "done"})
    assert Action.objects.get().status == "done"

    scores = {
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
    assert client.post(f"/governance/testham/priorities/{business['priority'].pk}/", scores).status_code == 302
    assert PriorityScore.objects.get().total > 0
    bad = client.post(f"/governance/testham/priorities/{business['priority'].pk}/", {**scores, "f_physical": 7})
    assert bad.status_code == 400 and b"govuk-error-summary" in bad.content and PriorityScore.objects.count() == 1

    assert client.post(f"/governance/testham/meetings/{m.pk}/packs/", {"kind": "supplement"}).status_code == 302
    pack = Pack.objects.get()
    download = client.get(f"/governance/testham/packs/{pack.pk}.pdf")
    assert download.status_code == 200 and download.content == bytes(pack.pdf)
    assert download["Content-Type"] == "application/pdf"


def test_officer_adds_a_member(client, users, business):
    from saferhub.partnerships.models import Organisation

    org = Organisation.objects.create(name="Youth Offending Service", kind="statutory")
    client.force_login(users["commissioner"])
    response = client.post(
        "/governance/testham/members/add/",
        {
            "organisation": org.pk,
            "representative": "Head of Service",
            "board_role": "member",
            "deputy": "Manager",
            "starts_on-day": "1",
            "starts_on-month": "2",
            "starts_on-year": "2017",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(organisation=org).deputy == "Manager"
    assert AuditEvent.objects.filter(object_type="governance.membership", actor=users["commissioner"]).exists()


def test_meetings_ics_feed(client, users, business):
    client.force_login(users["board"])
    response = client.get("/governance/meetings.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;TZID=Europe/London:20170124T100000\r\n" in body
    assert "LOCATION:Warspite Room\\, Council House\r\n" in body
    assert client.get("/governance/testham/meetings.ics").status_code == 200


def test_officers_schedule_meetings_and_write_the_agenda_and_minutes(client, users, business, board):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from saferhub.governance.models import AgendaItem, Decision, Meeting, Paper

    client.force_login(users["admin"])
    response = client.post(
        "/governance/testham/meetings/add/",
        {
            "kind": "extraordinary",
            "date-day": "8",
            "date-month": "3",
            "date-year": "2017",
            "starts_at": "14:00",
            "venue": "Room 2",
        },
    )
    meeting = Meeting.objects.get(date=datetime.date(2017, 3, 8))
    assert response.status_code == 302 and meeting.kind == "extraordinary"
    base = f"/governance/testham/meetings/{meeting.pk}/"
    client.post(base + "add-item/", {"number": 1, "subject": "Serious incident", "purpose": "To review the incident."})
    item = AgendaItem.objects.get(meeting=meeting)
    client.post(
        base + "add-paper/",
        {
            "item": item.pk,
            "title": "Incident note",
            "file": SimpleUploadedFile("note.pdf", blank_pdf(1), "application/pdf"),
        },
    )
    client.post(base + "add-paper/", {"item": item.pk, "title": "Live performance", "generator": "performance_report"})
    assert list(Paper.objects.filter(item=item).values_list("kind", flat=True)) == ["upload", "live"]
    # Neither or both: refused, nothing written.
    client.post(base + "add-paper/", {"item": item.pk, "title": "Nothing"})
    assert Paper.objects.filter(item=item).count() == 2
    client.post(base + "add-decision/", {"item": item.pk, "text": "Agreed to commission a review."})
    client.post(
        base + "add-action/",
        {
            "item": item.pk,
            "description": "Commission the review",
            "owner": "Chair",
            "due_on-day": "30",
            "due_on-month": "4",
            "due_on-year": "2017",
        },
    )
    assert Decision.objects.get(meeting=meeting).item == item
    assert Action.objects.get(meeting=meeting).due_on == datetime.date(2017, 4, 30)
    html = client.get(base).content.decode()
    assert "Agreed to commission a review." in html and "raised at this meeting" in html


def test_board_members_cannot_schedule_or_minute(client, users, business):
    client.force_login(users["board"])
    m = business["meeting"]
    assert client.post("/governance/testham/meetings/add/", {"date": "2017-03-08"}).status_code == 403
    for what in ("item", "paper", "decision", "action"):
        assert client.post(f"/governance/testham/meetings/{m.pk}/add-{what}/", {}).status_code == 403


def test_priorities_page_shows_the_ranking_and_its_reasoning(client, users, business, board):
    s.priority_score(
        priority=business["priority"],
        values={
            "physical": 2,
            "psychological": 3,
            "financial": 1,
            "community": 4,
            "frequency": 3,
            "victim vulnerability": 3,
            "capacity gap": 1,
            "capability gap": 1,
        },
        scope="city",
        confidence="B",
        scored_on=datetime.date(2017, 1, 1),
        illustrative=True,
        actor="t",
        now=NOW,
    )
    client.force_login(users["board"])
    html = client.get("/governance/testham/priorities/").content.decode()
    assert "Harm 10 = physical 2 + psychological 3 + financial 1 + community 4" in html
    assert "Illustrative" in html and "not an assessment agreed by the partnership" in html


def _governance_urls(b):
    m, base = b["meeting"].pk, "/governance/testham/"
    return [
        "/governance/",
        "/governance/meetings.ics",
        base,
        base + "members/add/",
        base + "meetings/",
        base + "meetings/add/",
        base + "meetings.ics",
        f"{base}meetings/{m}/",
        f"{base}meetings/{m}/attendance/",
        f"{base}meetings/{m}/add-item/",
        f"{base}meetings/{m}/packs/",
        f"{base}meetings/{m}/packs/retry/",
        base + "packs/",
        base + "packs/1.pdf",
        base + "actions/",
        f"{base}actions/{b['action'].pk}/status/",
        base + "priorities/",
        f"{base}priorities/{b['priority'].pk}/",
        base + "terms/",
        f"{base}terms/{b['terms'].pk}/",
        f"{base}meetings/{m}/papers/write/",
        f"{base}papers/{b['item'].papers.get().pk}/",
        f"{base}papers/{b['item'].papers.get().pk}/versions/",
        f"{base}papers/{b['item'].papers.get().pk}/release/",
        f"{base}papers/{b['item'].papers.get().pk}/versions/1.pdf",
        # the set-up pages (issue 15)
        base + "setup/",
        base + "setup/board/",
        base + "setup/terms/add/",
        f"{base}setup/terms/{b['terms'].pk}/",
        f"{base}setup/terms/{b['terms'].pk}/adopt/",
        f"{base}setup/terms/{b['terms'].pk}/retire/",
        base + "setup/members/add/",
        base + "setup/members/1/",
        base + "setup/members/1/end/",
        base + "setup/invitees/add/",
        base + "setup/invitees/1/",
        base + "setup/invitees/1/retire/",
        base + "setup/meetings/add/",
        f"{base}setup/meetings/{m}/",
        f"{base}setup/meetings/{m}/edit/",
        f"{base}setup/meetings/{m}/retire/",
        f"{base}setup/meetings/{m}/items/add/",
        f"{base}setup/meetings/{m}/items/{b['item'].pk}/",
        f"{base}setup/meetings/{m}/items/{b['item'].pk}/retire/",
        f"{base}setup/meetings/{m}/items/{b['item'].pk}/move/",
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in_from_every_governance_url(client, business, method):
    from django.urls import resolve

    from saferhub.governance.urls import urlpatterns

    urls = _governance_urls(business)
    assert {resolve(u).url_name for u in urls} == {p.name for p in urlpatterns}, "every address is tried"
    before = AuditEvent.objects.count()
    for url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert AuditEvent.objects.count() == before


def test_post_only_addresses_answer_405_to_a_get(client, users, business):
    client.force_login(users["analyst"])
    m = business["meeting"].pk
    for url in [
        f"/governance/testham/meetings/{m}/attendance/",
        f"/governance/testham/meetings/{m}/packs/",
        f"/governance/testham/meetings/{m}/packs/retry/",
        "/governance/testham/members/add/",
        f"/governance/testham/actions/{business['action'].pk}/status/",
    ]:
        assert client.get(url).status_code == 405, url


def test_the_first_pack_of_a_meeting_is_offered_as_the_agenda_pack_and_later_ones_as_supplements(
    client, users, business
):
    # docs/getting-started.md: a new meeting's first issue is its agenda pack; a later one a supplement.
    client.force_login(users["analyst"])
    m = business["meeting"]

    def offered() -> str:
        html = client.get(f"/governance/testham/meetings/{m.pk}/").content.decode()
        return html.split('name="kind"')[1].split("</select>")[0].split(" selected>")[0].rsplit('value="', 1)[1]

    assert offered().startswith("agenda")
    assert client.post(f"/governance/testham/meetings/{m.pk}/packs/", {"kind": "agenda"}).status_code == 302
    assert offered().startswith("supplement")
    # A one-page pack is "1 page", on the meeting page and the board's list of packs.
    Pack.objects.filter(meeting=m).update(pages=1)
    for url in (f"/governance/testham/meetings/{m.pk}/", "/governance/testham/packs/"):
        html = client.get(url).content.decode()
        assert "(PDF, 1 page)" in html and "1 pages" not in html, url
