"""The board's set-up pages (issue 15): the officers who run the board create it, its terms of
reference versions, members and deputies, invitees, meetings and agenda items, change and retire
them; each change is audited; errors are shown in the GOV.UK pattern; other roles are refused;
a partnership with no board is offered the page that creates one instead of a 404."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from saferhub.accounts.models import User
from saferhub.audit.models import AuditEvent
from saferhub.governance import services as s
from saferhub.governance.models import AgendaItem, Board, InvitedAttendee, Meeting, Membership, TermsOfReference
from saferhub.partnerships.models import Organisation
from saferhub.partnerships.services import partnership_create

from .conftest import NOW

SLUG = "testham"


def _url(name, *args, slug=SLUG):
    return reverse(f"governance:{name}", args=[slug, *args])


def _date(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


@pytest.fixture
def torbay(db):
    return partnership_create(slug="torbay", name="Safer Torbay", local_authorities=["Torbay"])


@pytest.fixture
def officer(client, users):
    client.force_login(users["commissioner"])
    return client


def test_a_partnership_with_no_board_is_offered_one_not_a_404(client, users, torbay):
    client.force_login(users["board"])
    page = client.get("/governance/torbay/")
    assert page.status_code == 200 and "Safer Torbay has no board yet" in page.content.decode()
    assert "Create the board" not in page.content.decode()  # a board member does not create it
    client.force_login(users["analyst"])
    page = client.get("/governance/torbay/")
    assert page.status_code == 200 and _url("setup-board", slug="torbay") in page.content.decode()
    assert client.get("/governance/nowhere/").status_code == 404


def test_the_entry_page_creates_the_board_and_is_audited(officer, torbay):
    assert _url("setup-board", slug="torbay") == "/governance/torbay/setup/"
    form = officer.get(_url("setup-board", slug="torbay"))
    assert form.status_code == 200 and "Create the board" in form.content.decode()
    bad = officer.post(
        _url("setup-board", slug="torbay"), {"name": "", "quorum_minimum_members": "3", "quorum_minimum_statutory": "4"}
    )
    text = bad.content.decode()
    assert bad.status_code == 400 and "There is a problem" in text
    assert "Enter the name of the board" in text and "A quorum cannot need more statutory agencies than members" in text
    assert not Board.objects.exists()
    done = officer.post(
        _url("setup-board", slug="torbay"),
        {
            "name": "Safer Torbay Board",
            "quorum_minimum_members": "5",
            "quorum_minimum_statutory": "3",
            "quorum_deputies_count": "on",
        },
    )
    assert done.status_code == 302
    board = Board.objects.get(partnership=torbay)
    assert board.name == "Safer Torbay Board" and board.quorum_deputies_count
    assert AuditEvent.objects.get(object_type="governance.board", action="create").actor.username == "commissioner"
    assert "Set up the board" in officer.get(_url("setup-board", slug="torbay")).content.decode()
    assert officer.get("/governance/torbay/").status_code == 200


def test_only_the_officers_who_run_the_board_set_it_up(client, users, board):
    org = Organisation.objects.create(name="A charity", kind="charity")
    provider = User.objects.create_user(username="p", password="x", role="provider", organisation=org)
    for user, status in ((users["board"], 403), (provider, 403), (users["admin"], 200), (users["analyst"], 200)):
        client.force_login(user)
        assert client.get(_url("setup-board")).status_code == status, user.username
    client.force_login(users["board"])
    assert client.post(_url("setup-meeting-add"), {"kind": "quarterly"}).status_code == 403
    assert AuditEvent.objects.filter(action="denied", actor__username="board").exists()


def test_board_changes_are_audited(officer, board):
    response = officer.post(
        _url("setup-board-edit"),
        {"name": "Testham Board", "quorum_minimum_members": "4", "quorum_minimum_statutory": "3"},
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert board.name == "Testham Board" and not board.quorum_deputies_count
    event = AuditEvent.objects.get(object_type="governance.board", action="update")
    assert event.before == {"name": "Safer Testham", "quorum_deputies_count": True}


def test_members_with_deputies_are_added_changed_and_ended(officer, board):
    org = Organisation.objects.create(name="Devon and Cornwall Police", kind="police")
    data = {
        "organisation": org.pk,
        "representative": "Ch Supt Jim Nye",
        "board_role": "member",
        "deputy": "Supt Ian Drummond-Smith",
        **_date("starts_on", datetime.date(2017, 4, 1)),
    }
    assert officer.post(_url("setup-member-add"), data).status_code == 302
    m = Membership.objects.get()
    assert m.deputy == "Supt Ian Drummond-Smith"
    bad = officer.post(_url("setup-member-edit", m.pk), {**data, **_date("ends_on", datetime.date(2017, 1, 1))})
    assert bad.status_code == 400 and "must be on or after the date the member joined" in bad.content.decode()
    assert (
        officer.post(
            _url("setup-member-edit", m.pk), {**data, "deputy": "Supt Ann Other", "board_role": "chair"}
        ).status_code
        == 302
    )
    m.refresh_from_db()
    assert m.deputy == "Supt Ann Other" and m.board_role == "chair"
    assert officer.post(_url("setup-member-end", m.pk), _date("ends_on", datetime.date(2018, 3, 31))).status_code == 302
    m.refresh_from_db()
    assert m.ends_on == datetime.date(2018, 3, 31)
    events = AuditEvent.objects.filter(object_type="governance.membership").order_by("id")
    assert [e.action for e in events] == ["create", "update", "update"]
    assert events.last().after == {"ends_on": "2018-03-31"}


def test_terms_of_reference_versions_are_drafted_changed_adopted_and_withdrawn(officer, board):
    data = {
        "version": "2017-v1",
        **_date("drafted_on", datetime.date(2017, 1, 10)),
        "sections": "# Purpose\nTo keep Testham safe.\n\n# Membership\nThe statutory agencies.",
    }
    assert officer.post(_url("setup-terms-add"), data).status_code == 302
    terms = TermsOfReference.objects.get()
    assert [(x.heading, x.text) for x in terms.sections.all()] == [
        ("Purpose", "To keep Testham safe."),
        ("Membership", "The statutory agencies."),
    ]
    bad = officer.post(_url("setup-terms-add"), {**data, "sections": "No heading here"})
    assert bad.status_code == 400 and "Line 1 comes before the first heading" in bad.content.decode()
    twice = officer.post(_url("setup-terms-add"), data)
    assert twice.status_code == 400 and "already has terms of reference 2017-v1" in twice.content.decode()
    assert (
        officer.post(_url("setup-terms-edit", terms.pk), {**data, "sections": "# Purpose\nSafer."}).status_code == 302
    )
    assert terms.sections.get().text == "Safer."
    assert (
        officer.post(_url("setup-terms-adopt", terms.pk), _date("adopted_on", datetime.date(2017, 1, 24))).status_code
        == 302
    )
    terms.refresh_from_db()
    assert terms.status == "adopted" and terms.review_on == datetime.date(2018, 1, 24)
    refused = officer.post(_url("setup-terms-edit", terms.pk), data)
    assert refused.status_code == 400 and "draft a new version instead" in refused.content.decode()
    draft = s.terms_create(
        board=board, version="2018-v1", drafted_on=datetime.date(2018, 1, 1), sections=[("A", "b")], actor="t", now=NOW
    )
    assert officer.post(_url("setup-terms-retire", draft.pk)).status_code == 302
    assert list(TermsOfReference.objects.values_list("version", flat=True)) == ["2017-v1"]
    assert TermsOfReference.all_objects.get(pk=draft.pk).retired
    no = officer.post(_url("setup-terms-retire", terms.pk))
    assert no.status_code == 400 and "only a draft can be withdrawn" in no.content.decode()


def test_meetings_and_agenda_items_with_presenter_paper_link_and_order(officer, board):
    data = {
        "kind": "quarterly",
        **_date("date", datetime.date(2017, 4, 25)),
        "starts_at": "10:00",
        "ends_at": "13:00",
        "venue": "Council House",
    }
    assert officer.post(_url("setup-meeting-add"), data).status_code == 302
    meeting = Meeting.objects.get()
    twice = officer.post(_url("setup-meeting-add"), data)
    assert twice.status_code == 400 and "already has a meeting on 25 April 2017 at 10:00" in twice.content.decode()
    late = officer.post(_url("setup-meeting-edit", meeting.pk), {**data, "ends_at": "09:00"})
    assert late.status_code == 400 and "a meeting must end after it starts" in late.content.decode().lower()
    edit_page = officer.get(_url("setup-meeting-edit", meeting.pk)).content.decode()
    assert 'value="10:00"' in edit_page  # the time comes back as it is typed, so saving it again works
    item = {
        "number": "1",
        "subject": "Welcome",
        "purpose": "To note.",
        "lead": "Chair",
        "paper_url": "https://example.org/p.pdf",
    }
    assert officer.post(_url("setup-item-add", meeting.pk), item).status_code == 302
    assert (
        officer.post(
            _url("setup-item-add", meeting.pk), {**item, "number": "2", "subject": "Performance", "paper_url": ""}
        ).status_code
        == 302
    )
    clash = officer.post(_url("setup-item-add", meeting.pk), {**item, "number": "2"})
    assert clash.status_code == 400 and "the agenda already has an item 2" in clash.content.decode().lower()
    bad_link = officer.post(_url("setup-item-add", meeting.pk), {**item, "number": "3", "paper_url": "not a link"})
    assert bad_link.status_code == 400 and "full web address" in bad_link.content.decode()
    welcome = AgendaItem.objects.get(subject="Welcome")
    assert welcome.lead == "Chair" and welcome.paper_url == "https://example.org/p.pdf"
    assert officer.post(_url("setup-item-move", meeting.pk, welcome.pk), {"direction": "down"}).status_code == 302
    assert list(meeting.items.values_list("subject", flat=True)) == ["Performance", "Welcome"]
    assert (
        officer.post(
            _url("setup-item-edit", meeting.pk, welcome.pk), {**item, "number": "2", "lead": "Vice-chair"}
        ).status_code
        == 302
    )
    assert officer.post(_url("setup-item-retire", meeting.pk, welcome.pk)).status_code == 302
    assert list(meeting.items.values_list("subject", flat=True)) == ["Performance"]
    assert (
        officer.post(_url("setup-item-add", meeting.pk), {**item, "number": "2", "subject": "New item 2"}).status_code
        == 302
    )
    kinds = list(AuditEvent.objects.filter(object_type="governance.agendaitem").values_list("action", flat=True))
    assert kinds.count("create") == 3 and kinds.count("update") == 3  # moved, changed, withdrawn
    page = officer.get(_url("meeting", meeting.pk)).content.decode()
    assert "New item 2" in page and "Vice-chair" not in page  # the withdrawn item (presented by the vice-chair) is gone
    assert officer.post(_url("setup-meeting-retire", meeting.pk)).status_code == 302
    assert not Meeting.objects.exists() and Meeting.all_objects.get().retired
    assert "Cancelled meetings (1)" in officer.get(_url("setup-board")).content.decode()
    assert officer.get(_url("meeting", meeting.pk)).status_code == 404
    assert b"New item 2" not in officer.get(_url("board-ics")).content


def test_invitees_for_an_item_or_a_period(officer, board, meeting):
    item = s.agenda_item_create(
        meeting=meeting, number=5, subject="Hate crime", purpose="To discuss.", actor="t", now=NOW
    )
    neither = officer.post(_url("setup-invitee-add"), {"name": "Dr A Expert"})
    assert neither.status_code == 400 and "Choose the agenda item, or give the dates" in neither.content.decode()
    assert officer.post(_url("setup-invitee-add"), {"name": "Dr A Expert", "item": item.pk}).status_code == 302
    inv = InvitedAttendee.objects.get()
    assert inv.item == item
    period = {
        "name": "Dr A Expert",
        "item": "",
        **_date("starts_on", datetime.date(2017, 4, 1)),
        **_date("ends_on", datetime.date(2017, 3, 1)),
    }
    backwards = officer.post(_url("setup-invitee-edit", inv.pk), period)
    assert backwards.status_code == 400 and "cannot end before it starts" in backwards.content.decode()
    assert (
        officer.post(
            _url("setup-invitee-edit", inv.pk), {**period, **_date("ends_on", datetime.date(2018, 3, 31))}
        ).status_code
        == 302
    )
    inv.refresh_from_db()
    assert inv.item is None and inv.ends_on == datetime.date(2018, 3, 31)
    assert officer.post(_url("setup-invitee-retire", inv.pk)).status_code == 302
    assert not InvitedAttendee.objects.exists()
    assert "Nobody is invited at present." in officer.get(_url("board")).content.decode()
    assert [e.action for e in AuditEvent.objects.filter(object_type="governance.invitedattendee").order_by("id")] == [
        "create",
        "update",
        "update",
    ]


def test_every_set_up_page_answers(officer, business, board, members):
    meeting, item, terms = business["meeting"], business["item"], business["terms"]
    inv = s.invitee_add(board=board, name="X", item=item, actor="t", now=NOW)
    m = members["police"]
    for url in (
        _url("setup-board"),
        _url("setup-board-edit"),
        _url("setup-terms-add"),
        _url("setup-terms-edit", terms.pk),
        _url("setup-terms-adopt", terms.pk),
        _url("setup-terms-retire", terms.pk),
        _url("setup-member-add"),
        _url("setup-member-edit", m.pk),
        _url("setup-member-end", m.pk),
        _url("setup-invitee-add"),
        _url("setup-invitee-edit", inv.pk),
        _url("setup-invitee-retire", inv.pk),
        _url("setup-meeting-add"),
        _url("setup-meeting", meeting.pk),
        _url("setup-meeting-edit", meeting.pk),
        _url("setup-meeting-retire", meeting.pk),
        _url("setup-item-add", meeting.pk),
        _url("setup-item-edit", meeting.pk, item.pk),
        _url("setup-item-retire", meeting.pk, item.pk),
    ):
        assert officer.get(url).status_code == 200, url
