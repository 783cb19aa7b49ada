import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.domain.governance import (
    ACTIONS,
    DEFAULT_SCHEME,
    PAPER_VERSION,
    TERMS,
    ActionEntry,
    ActionStatus,
    PaperAction,
    PaperStatus,
    PresentMember,
    QuorumRule,
    ScaleError,
    ScoringScheme,
    ToRAction,
    ToRStatus,
    action_log_at,
    add_years,
    quorum_check,
    rank_priorities,
    review_reminders,
    score_priority,
    statutory_coverage,
)
from saferhub.domain.workflow import TransitionError

D = datetime.date


# ------------------------------------------------------------------------------------- quorum
def people(*specs):
    return [PresentMember(org, kind, deputy) for org, kind, deputy in specs]


def test_quorate_with_enough_members_and_statutory_agencies():
    present = people(
        ("la", "local_authority", False), ("pol", "police", False), ("fire", "fire_rescue", True), ("pcc", "pcc", False)
    )
    result = quorum_check(QuorumRule(minimum_members=4, minimum_statutory=3), present)
    assert result.quorate and result.members_present == 4 and result.statutory_present == 3 and not result.reasons


def test_not_quorate_says_why():
    present = people(("la", "local_authority", False), ("pcc", "pcc", False), ("vol", "voluntary", False))
    result = quorum_check(QuorumRule(minimum_members=4, minimum_statutory=2), present)
    assert not result.quorate
    assert result.reasons == (
        "3 member organisations present; the quorum is 4",
        "1 statutory agencies present; the quorum needs 2",
    )


def test_deputies_count_only_if_the_rule_says_so():
    present = people(("la", "local_authority", False), ("pol", "police", True), ("fire", "fire_rescue", True))
    assert quorum_check(QuorumRule(3, 3, deputies_count=True), present).quorate
    strict = quorum_check(QuorumRule(3, 3, deputies_count=False), present)
    assert not strict.quorate and strict.members_present == 1


def test_an_organisation_sending_two_people_counts_once():
    present = people(("la", "local_authority", False), ("la", "local_authority", True), ("pol", "police", False))
    assert quorum_check(QuorumRule(3, 1), present).members_present == 2


# ----------------------------------------------------------------------------------- coverage
def test_coverage_lists_missing_statutory_agencies_and_pcc():
    result = statutory_coverage(["local_authority", "police", "voluntary", "police"])
    assert not result.complete
    assert result.missing == ("fire_rescue", "probation", "health", "pcc")
    assert result.missing_labels() == ["Fire and rescue", "Probation", "Health / CCG", "Police and Crime Commissioner"]


def test_coverage_complete():
    assert statutory_coverage(["local_authority", "police", "fire_rescue", "probation", "health", "pcc"]).complete


# --------------------------------------------------------------------------------- action log
def test_action_log_carries_open_actions_forward_and_drops_closed_ones():
    actions = [
        ActionEntry("1", D(2016, 9, 20), D(2016, 12, 1), "open"),  # overdue by January
        ActionEntry("2", D(2016, 9, 20), D(2017, 3, 1), "in_progress"),  # carried forward
        ActionEntry("3", D(2016, 9, 20), None, "done", closed_on=D(2016, 10, 1)),  # closed before: dropped
        ActionEntry("4", D(2016, 9, 20), None, "done", closed_on=D(2017, 1, 24)),  # closed at the meeting
        ActionEntry("5", D(2017, 1, 24), D(2017, 4, 1), "open"),  # raised at the meeting
        ActionEntry("6", D(2017, 4, 25), None, "open"),  # raised later: not yet
    ]
    log = {a.ref: note for a, note in action_log_at(actions, D(2017, 1, 24))}
    assert log == {
        "1": "overdue, carried forward",
        "2": "carried forward",
        "4": "closed since the last meeting",
        "5": "raised at this meeting",
    }
    # At the next meeting the January action is carried forward and the closed one is gone.
    later = {a.ref: note for a, note in action_log_at(actions, D(2017, 4, 25), previous_meeting=D(2017, 1, 24))}
    assert later == {
        "1": "overdue, carried forward",
        "2": "overdue, carried forward",
        "4": "closed since the last meeting",
        "5": "overdue, carried forward",
        "6": "raised at this meeting",
    }


def test_an_old_meeting_shows_actions_closed_later_as_open_then():
    actions = [ActionEntry("1", D(2016, 9, 20), D(2017, 3, 1), "done", closed_on=D(2017, 3, 1))]
    assert [(a.ref, note) for a, note in action_log_at(actions, D(2017, 1, 24), D(2016, 9, 20))] == [
        ("1", "carried forward")
    ]
    assert action_log_at(actions, D(2017, 9, 1), D(2017, 4, 25)) == []


# ---------------------------------------------------------------------------------- reminders
def test_review_reminders_a_year_on():
    today = D(2017, 12, 1)
    reminders = review_reminders(
        {"Terms of reference": D(2017, 1, 24), "Chair": D(2016, 9, 1), "Vice-chair": D(2017, 9, 1)}, today
    )
    assert [(r.subject, r.due_on, r.overdue) for r in reminders] == [
        ("Chair", D(2017, 9, 1), True),
        ("Terms of reference", D(2018, 1, 24), False),
    ]


def test_review_reminder_for_something_never_done_is_overdue_now():
    (r,) = review_reminders({"Terms of reference": None}, D(2017, 1, 1))
    assert r.overdue and r.never_done and r.due_on == D(2017, 1, 1)


def test_add_years_on_29_february():
    assert add_years(D(2016, 2, 29)) == D(2017, 2, 28)


# ------------------------------------------------------------------------------------ scoring
VALUES = {
    "physical": 4,
    "psychological": 4,
    "financial": 2,
    "community": 2,
    "frequency": 4,
    "victim vulnerability": 4,
    "capacity gap": 2,
    "capability gap": 1,
}


def test_default_score_is_written_out_step_by_step():
    b = score_priority(DEFAULT_SCHEME, VALUES, scope="city", confidence="B")
    # harm 12 x 1.5 x likelihood 8 x (1 + 3/8) x 0.9 = 178.2
    assert b.harm == 12 and b.likelihood == 8 and b.total == Decimal("178.2")
    assert b.reasons[0] == "Harm 12 = physical 4 + psychological 4 + financial 2 + community 2"
    assert b.reasons[-1].endswith("= 178.2")


def test_scores_outside_the_scale_or_missing_are_refused():
    with pytest.raises(ScaleError, match="outside its scale 0-4"):
        score_priority(DEFAULT_SCHEME, {**VALUES, "physical": 5}, scope="city", confidence="A")
    with pytest.raises(ScaleError, match="no score for 'community'"):
        score_priority(
            DEFAULT_SCHEME, {k: v for k, v in VALUES.items() if k != "community"}, scope="city", confidence="A"
        )
    with pytest.raises(ScaleError, match="unknown confidence"):
        score_priority(DEFAULT_SCHEME, VALUES, scope="city", confidence="Z")
    with pytest.raises(ScaleError, match="not in the scheme"):
        score_priority(DEFAULT_SCHEME, {**VALUES, "vibes": 1}, scope="city", confidence="A")


# A locally set scheme: harm on 1-10 scales, scope counts for more, confidence counts for a lot.
LOCAL = ScoringScheme.from_config(
    {
        "name": "Local 1-10",
        "harm": {"physical": [1, 10], "psychological": [1, 10], "financial": [1, 10], "community": [1, 10]},
        "scope": {"city": "1", "national": "3"},
        "likelihood": {"frequency": [1, 5], "victim vulnerability": [1, 5]},
        "organisation": {"capacity gap": [0, 2], "capability gap": [0, 2]},
        "confidence": {"high": "1", "low": "0.25"},
    }
)


def test_ranking_under_a_configured_scale():
    a = score_priority(
        LOCAL,
        {
            "physical": 9,
            "psychological": 9,
            "financial": 1,
            "community": 5,
            "frequency": 3,
            "victim vulnerability": 5,
            "capacity gap": 0,
            "capability gap": 0,
        },
        scope="city",
        confidence="high",
    )
    b = score_priority(
        LOCAL,
        {
            "physical": 1,
            "psychological": 3,
            "financial": 10,
            "community": 2,
            "frequency": 5,
            "victim vulnerability": 3,
            "capacity gap": 2,
            "capability gap": 2,
        },
        scope="national",
        confidence="low",
    )
    c = score_priority(
        LOCAL,
        {
            "physical": 1,
            "psychological": 3,
            "financial": 10,
            "community": 2,
            "frequency": 5,
            "victim vulnerability": 3,
            "capacity gap": 2,
            "capability gap": 2,
        },
        scope="national",
        confidence="high",
    )
    # a: 24 x 1 x 8 x 1 x 1 = 192; b: 16 x 3 x 8 x 2 x 0.25 = 192; c: 16 x 3 x 8 x 2 x 1 = 768
    assert (a.total, b.total, c.total) == (Decimal("192.0"), Decimal("192.0"), Decimal("768.0"))
    ranked = rank_priorities([("Fraud (low confidence)", b), ("Violence", a), ("Fraud", c)])
    assert [(r.rank, r.name) for r in ranked] == [(1, "Fraud"), (2, "Violence"), (2, "Fraud (low confidence)")]
    assert ranked[0].reasons[-1] == "Above Violence: score 768.0 v 192.0"
    assert (
        ranked[1]
        .reasons[-1]
        .startswith("Level with Fraud (low confidence) on score (192.0); listed first by harm 24 v 16")
    )


def test_the_same_scores_rank_differently_under_different_schemes():
    """The scales are the partnership's: a scheme that weighs scope heavily reorders priorities."""
    local_harm = {"physical": 4, "psychological": 4, "financial": 0, "community": 4}
    fraud = {"physical": 0, "psychological": 2, "financial": 4, "community": 1}
    common = {"frequency": 3, "victim vulnerability": 3, "capacity gap": 1, "capability gap": 1}
    flat = ScoringScheme.from_config({**DEFAULT_SCHEME.to_config(), "scope": [["city", "1"], ["national", "1"]]})
    under_flat = rank_priorities(
        [
            ("Local", score_priority(flat, {**local_harm, **common}, scope="city", confidence="A")),
            ("Fraud", score_priority(flat, {**fraud, **common}, scope="national", confidence="A")),
        ]
    )
    under_default = rank_priorities(
        [
            ("Local", score_priority(DEFAULT_SCHEME, {**local_harm, **common}, scope="individual", confidence="A")),
            ("Fraud", score_priority(DEFAULT_SCHEME, {**fraud, **common}, scope="national", confidence="A")),
        ]
    )
    assert [r.name for r in under_flat] == ["Local", "Fraud"]
    assert [r.name for r in under_default] == ["Fraud", "Local"]


def test_malformed_scheme_is_refused():
    with pytest.raises(ScaleError):
        ScoringScheme.from_config({"name": "x", "harm": {"physical": [0]}})


def test_scheme_config_round_trips_in_order():
    import json

    config = DEFAULT_SCHEME.to_config()
    # Stored as PostgreSQL jsonb would: object keys sorted. The order of the factors must survive.
    restored = ScoringScheme.from_config(json.loads(json.dumps(config, sort_keys=True)))
    assert restored == DEFAULT_SCHEME
    assert list(restored.harm) == ["physical", "psychological", "financial", "community"]


def test_a_scale_running_backwards_is_refused():
    with pytest.raises(ScaleError, match="runs from 4 down to 0"):
        ScoringScheme.from_config({**DEFAULT_SCHEME.to_config(), "harm": [["physical", 4, 0]]})


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(1, 4)), min_size=1, max_size=8))
def test_ranking_is_ordered_by_score(rows):
    scored = []
    for i, (harm, vuln, freq) in enumerate(rows):
        values = {
            **{k: harm for k in DEFAULT_SCHEME.harm},
            "frequency": freq,
            "victim vulnerability": vuln,
            "capacity gap": 0,
            "capability gap": 0,
        }
        scored.append((f"p{i}", score_priority(DEFAULT_SCHEME, values, scope="city", confidence="A")))
    ranked = rank_priorities(scored)
    totals = [r.breakdown.total for r in ranked]
    assert totals == sorted(totals, reverse=True)
    assert ranked[0].rank == 1 and all(r.rank <= i + 1 for i, r in enumerate(ranked))


# ---------------------------------------------------------------------- the board's workflows
TERMS_MOVES = [
    (ToRStatus.DRAFT, ToRAction.EDIT, ToRStatus.DRAFT),
    (ToRStatus.DRAFT, ToRAction.WITHDRAW, ToRStatus.DRAFT),
    (ToRStatus.DRAFT, ToRAction.ADOPT, ToRStatus.ADOPTED),
    (ToRStatus.ADOPTED, ToRAction.SUPERSEDE, ToRStatus.SUPERSEDED),
]


@pytest.mark.parametrize("state,action,expected", TERMS_MOVES)
def test_terms_of_reference_moves(state, action, expected):
    assert TERMS.move(state, action, version="v2") is expected
    assert TERMS.move(state.value, action.value) is expected  # stored text reads the same


TERMS_REFUSED = [
    (ToRStatus.ADOPTED, ToRAction.EDIT, "terms of reference v2 are adopted: draft a new version instead"),
    (ToRStatus.SUPERSEDED, ToRAction.EDIT, "terms of reference v2 are superseded: draft a new version instead"),
    (ToRStatus.ADOPTED, ToRAction.WITHDRAW, "terms of reference v2 are adopted: only a draft can be withdrawn"),
    (ToRStatus.SUPERSEDED, ToRAction.WITHDRAW, "terms of reference v2 are superseded: only a draft can be withdrawn"),
    (ToRStatus.ADOPTED, ToRAction.ADOPT, "only a draft can be adopted"),
    (ToRStatus.SUPERSEDED, ToRAction.ADOPT, "only a draft can be adopted"),
    (ToRStatus.DRAFT, ToRAction.SUPERSEDE, "terms of reference v2 are draft: only adopted terms are superseded"),
    (
        ToRStatus.SUPERSEDED,
        ToRAction.SUPERSEDE,
        "terms of reference v2 are superseded: only adopted terms are superseded",
    ),
]


@pytest.mark.parametrize("state,action,message", TERMS_REFUSED)
def test_terms_of_reference_refusals_name_the_state_and_the_action(state, action, message):
    with pytest.raises(TransitionError) as refused:
        TERMS.move(state, action, version="v2")
    assert str(refused.value) == message
    assert not TERMS.allows(state, action)


def test_every_terms_move_is_either_legal_or_refused():
    legal = {(s, a) for s, a, _ in TERMS_MOVES}
    refused = {(s, a) for s, a, _ in TERMS_REFUSED}
    assert legal | refused == {(s, a) for s in ToRStatus for a in ToRAction} and not legal & refused


def test_a_paper_draft_is_released_for_the_board_once():
    assert PAPER_VERSION.move(PaperStatus.DRAFT, PaperAction.RELEASE) is PaperStatus.FOR_BOARD
    with pytest.raises(TransitionError, match="^version 3 is already released for the board$"):
        PAPER_VERSION.move("for_board", "release", number=3)
    with pytest.raises(TransitionError, match="^version 3 cannot be given 'print'$"):
        PAPER_VERSION.move("draft", "print", number=3)


ACTION_MOVES = {
    ActionStatus.OPEN: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED},
    ActionStatus.IN_PROGRESS: {ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DROPPED},
    ActionStatus.DONE: {ActionStatus.OPEN},
    ActionStatus.DROPPED: {ActionStatus.OPEN},
}


@pytest.mark.parametrize("state", list(ActionStatus))
@pytest.mark.parametrize("to", list(ActionStatus))
def test_action_moves_follow_the_table(state, to):
    if to in ACTION_MOVES[state]:
        assert ACTIONS.move(state, to) is to
    else:
        with pytest.raises(TransitionError) as refused:
            ACTIONS.move(state, to)
        assert str(refused.value) == f"an action cannot go from {state.label.lower()} to {to.value}"
