import datetime

import pytest

from saferhub.audit.models import AuditEvent
from saferhub.domain.governance import DEFAULT_SCHEME
from saferhub.governance import services as s
from saferhub.governance.models import Action, Attendance, Membership, PriorityScore
from saferhub.governance.selectors import action_log, coverage_for, quorum_for, ranked_priorities, reminders_for
from saferhub.partnerships.models import Organisation

from .conftest import MEETING_DAY, NOW

D = datetime.date


def test_statutory_coverage_follows_membership_dates(board, members):
    assert coverage_for(board, MEETING_DAY).complete
    s.membership_update(membership=members["probation"], ends_on=D(2016, 12, 31), actor="t", now=NOW)
    result = coverage_for(board, MEETING_DAY)
    assert result.missing == ("probation",)
    assert coverage_for(board, D(2016, 12, 1)).complete
    event = AuditEvent.objects.filter(object_type="governance.membership", action="update").get()
    assert event.before == {"ends_on": None} and event.after == {"ends_on": "2016-12-31"}


def test_membership_cannot_end_before_it_starts(board, members):
    with pytest.raises(s.GovernanceError):
        s.membership_update(membership=members["police"], ends_on=D(2015, 1, 1), actor="t", now=NOW)
    assert Membership.objects.get(pk=members["police"].pk).ends_on is None


def test_quorum_with_deputies_attending(meeting, members):
    s.attendance_record(meeting=meeting, membership=members["local_authority"], kind="present", actor="t", now=NOW)
    s.attendance_record(meeting=meeting, membership=members["police"], kind="deputy", actor="t", now=NOW)
    s.attendance_record(meeting=meeting, membership=members["pcc"], kind="present", actor="t", now=NOW)
    s.attendance_record(meeting=meeting, membership=members["fire_rescue"], kind="apologies", actor="t", now=NOW)
    result = quorum_for(meeting)
    assert not result.quorate and result.members_present == 3 and result.statutory_present == 2
    # The fire service's deputy turns up after all: the attendance is changed, and audited.
    s.attendance_record(
        meeting=meeting,
        membership=members["fire_rescue"],
        kind="deputy",
        attended_by="Station manager",
        actor="t",
        now=NOW,
    )
    assert quorum_for(meeting).quorate
    assert Attendance.objects.get(membership=members["police"]).attended_by == "Police deputy"
    change = AuditEvent.objects.filter(object_type="governance.attendance", action="update").get()
    assert change.before == {"kind": "apologies", "attended_by": ""}
    assert change.after == {"kind": "deputy", "attended_by": "Station manager"}


def test_quorum_rule_is_configurable(meeting, members, board):
    for kind in ("local_authority", "police", "pcc"):
        s.attendance_record(meeting=meeting, membership=members[kind], kind="present", actor="t", now=NOW)
    assert not quorum_for(meeting).quorate
    board.quorum_minimum_members, board.quorum_minimum_statutory = 3, 2
    board.save()
    meeting.refresh_from_db()
    assert quorum_for(meeting).quorate


def test_deputy_attendance_needs_a_deputy(meeting, board):
    org = Organisation.objects.create(name="No deputy org", kind="police")
    m = s.membership_create(
        board=board, organisation=org, representative="Rep", starts_on=D(2016, 1, 1), actor="t", now=NOW
    )
    with pytest.raises(s.GovernanceError, match="name the deputy"):
        s.attendance_record(meeting=meeting, membership=m, kind="deputy", actor="t", now=NOW)
    assert not Attendance.objects.exists()


def test_action_log_across_meetings(board, meeting):
    earlier = s.meeting_create(
        board=board, date=D(2016, 10, 18), starts_at=datetime.time(10), venue="Room", actor="t", now=NOW
    )
    later = s.meeting_create(
        board=board, date=D(2017, 4, 25), starts_at=datetime.time(10), venue="Room", actor="t", now=NOW
    )
    overdue = s.action_create(
        meeting=earlier,
        description="Map sexual health provision",
        owner="Public Health",
        due_on=D(2016, 12, 1),
        actor="t",
        now=NOW,
    )
    done_between = s.action_create(
        meeting=earlier, description="Circulate the OCLP", owner="Police", due_on=D(2016, 11, 1), actor="t", now=NOW
    )
    s.action_set_status(action=done_between, status="done", on=D(2016, 11, 20), actor="t", now=NOW)
    new = s.action_create(
        meeting=meeting,
        description="Scope healthy relationships work",
        owner="Commissioning",
        due_on=D(2017, 3, 31),
        actor="t",
        now=NOW,
    )
    january = {a.pk: note for a, note in action_log(meeting)}
    assert january == {
        overdue.pk: "overdue, carried forward",
        done_between.pk: "closed since the last meeting",
        new.pk: "raised at this meeting",
    }
    s.action_set_status(action=new, status="in_progress", on=D(2017, 2, 1), actor="t", now=NOW)
    s.action_set_status(action=overdue, status="done", on=D(2017, 2, 1), actor="t", now=NOW)
    april = {a.pk: note for a, note in action_log(later)}
    assert april == {overdue.pk: "closed since the last meeting", new.pk: "overdue, carried forward"}
    assert Action.objects.get(pk=new.pk).status == "in_progress"


def test_action_transitions_follow_the_table(meeting):
    a = s.action_create(meeting=meeting, description="x", owner="y", actor="t", now=NOW)
    s.action_set_status(action=a, status="dropped", on=D(2017, 2, 1), actor="t", now=NOW)
    with pytest.raises(s.GovernanceError, match="cannot go from dropped to done"):
        s.action_set_status(action=a, status="done", on=D(2017, 2, 2), actor="t", now=NOW)
    a = s.action_set_status(action=a, status="open", on=D(2017, 2, 3), actor="t", now=NOW)
    assert a.status == "open" and a.closed_on is None
    events = AuditEvent.objects.filter(object_type="governance.action", action="update").order_by("id")
    assert [e.after["status"] for e in events] == ["dropped", "open"]


def test_priority_scores_keep_their_history_and_rank(board, members):
    s.scheme_set(board=board, config=DEFAULT_SCHEME.to_config(), actor="t", now=NOW)
    base = {
        "physical": 2,
        "psychological": 2,
        "financial": 2,
        "community": 2,
        "frequency": 2,
        "victim vulnerability": 2,
        "capacity gap": 0,
        "capability gap": 0,
    }
    hate = s.priority_create(board=board, name="Hate crime", owner=members["police"], actor="t", now=NOW)
    da = s.priority_create(board=board, name="Domestic abuse", owner=members["local_authority"], actor="t", now=NOW)
    s.priority_create(board=board, name="Prevent", kind="emerging", actor="t", now=NOW)
    s.priority_score(
        priority=hate, values=base, scope="city", confidence="A", scored_on=D(2016, 6, 1), actor="t", now=NOW
    )
    s.priority_score(
        priority=da,
        values={**base, "physical": 4},
        scope="city",
        confidence="A",
        scored_on=D(2016, 6, 1),
        actor="t",
        now=NOW,
    )
    ranked = ranked_priorities(board)
    assert [(r["rank"], r["priority"].name) for r in ranked] == [
        (1, "Domestic abuse"),
        (2, "Hate crime"),
        (None, "Prevent"),
    ]
    # Hate crime is rescored higher; the old score stays as history.
    s.priority_score(
        priority=hate,
        values={**base, "community": 4, "frequency": 4},
        scope="city",
        confidence="A",
        scored_on=D(2017, 1, 1),
        actor="t",
        now=NOW,
    )
    assert [r["priority"].name for r in ranked_priorities(board)][:2] == ["Hate crime", "Domestic abuse"]
    assert list(PriorityScore.objects.filter(priority=hate).values_list("total", flat=True)) == [90, 48]
    event = AuditEvent.objects.filter(object_type="governance.priorityscore", action="update").get()
    assert event.before["total"] == "48.0" and event.after["total"] == "90.0"


def test_scoring_outside_the_scale_writes_nothing(board):
    s.scheme_set(board=board, config=DEFAULT_SCHEME.to_config(), actor="t", now=NOW)
    p = s.priority_create(board=board, name="Hate crime", actor="t", now=NOW)
    with pytest.raises(s.GovernanceError, match="outside its scale"):
        s.priority_score(
            priority=p,
            values={"physical": 9},
            scope="city",
            confidence="A",
            scored_on=D(2017, 1, 1),
            actor="t",
            now=NOW,
        )
    assert not PriorityScore.objects.exists()


def test_terms_adoption_supersedes_and_sets_the_review_reminder(board, members):
    v1 = s.terms_create(
        board=board, version="2016", drafted_on=D(2016, 1, 1), sections=[("Vision", "v")], actor="t", now=NOW
    )
    s.terms_adopt(terms=v1, adopted_on=D(2016, 2, 1), actor="t", now=NOW)
    v2 = s.terms_create(
        board=board, version="2017", drafted_on=D(2017, 1, 10), sections=[("Vision", "w")], actor="t", now=NOW
    )
    s.terms_adopt(terms=v2, adopted_on=D(2017, 1, 24), actor="t", now=NOW)
    v1.refresh_from_db()
    assert v1.status == "superseded" and v2.review_on == D(2018, 1, 24)
    members["local_authority"].board_role = "chair"
    members["local_authority"].save()
    reminders = {r.subject: r for r in reminders_for(board, D(2017, 12, 1))}
    assert reminders["Terms of reference"].due_on == D(2018, 1, 24) and not reminders["Terms of reference"].overdue
    assert reminders["Chair"].overdue and reminders["Chair"].due_on == D(2017, 4, 1)
    assert reminders["Vice-chair"].overdue  # nobody holds it


def test_invitee_for_an_item_or_a_period(board, meeting):
    item = s.agenda_item_create(
        meeting=meeting, number=3, subject="Victims' voice", purpose="To hear.", actor="t", now=NOW
    )
    s.invitee_add(board=board, name="Victims' representative", item=item, actor="t", now=NOW)
    s.invitee_add(
        board=board, name="Academic adviser", starts_on=D(2017, 1, 1), ends_on=D(2017, 6, 30), actor="t", now=NOW
    )
    with pytest.raises(s.GovernanceError):
        s.invitee_add(board=board, name="Nobody in particular", actor="t", now=NOW)
    assert board.invitees.count() == 2


def test_rescheduling_a_meeting_is_audited_and_refuses_nonsense(meeting):
    s.meeting_update(
        meeting=meeting,
        venue="Council Chamber",
        starts_at=datetime.time(14),
        ends_at=datetime.time(16),
        actor="t",
        now=NOW,
    )
    event = AuditEvent.objects.filter(object_type="governance.meeting", action="update").get()
    assert event.before == {"venue": "Warspite Room, Council House", "starts_at": "10:00:00", "ends_at": "13:00:00"}
    assert event.after["venue"] == "Council Chamber"
    with pytest.raises(s.GovernanceError):
        s.meeting_update(meeting=meeting, ends_at=datetime.time(9), actor="t", now=NOW)
    assert meeting.ends_at == datetime.time(16)  # the refused change did not touch the object in hand
    meeting.refresh_from_db()
    assert meeting.ends_at == datetime.time(16)
    with pytest.raises(s.GovernanceError, match="cannot change board"):
        s.meeting_update(meeting=meeting, board=None, actor="t", now=NOW)
    assert AuditEvent.objects.filter(object_type="governance.meeting", action="update").count() == 1
