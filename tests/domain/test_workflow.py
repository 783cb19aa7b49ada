"""The one transition mechanism (domain/workflow.py): every workflow is a table, and a move it
does not hold raises the one TransitionError, worded by the workflow."""

from enum import Enum

import pytest

from saferhub.domain.commissioning import SIGN_OFF, SignOffState, SignOffStep, next_sign_off_step
from saferhub.domain.problems import SaferhubError
from saferhub.domain.workflow import TransitionError, Workflow


class Light(str, Enum):
    RED = "red"
    GREEN = "green"
    AMBER = "amber"


LIGHTS = Workflow.of_moves(
    Light,
    {Light.RED: [Light.GREEN], Light.GREEN: [Light.AMBER], Light.AMBER: [Light.RED]},
    lambda state, to: f"a {state} light cannot turn {to}",
)


def test_moves_follow_the_table_and_events_are_the_states_moved_to():
    assert LIGHTS.move("red", "green") is Light.GREEN
    assert LIGHTS.move(Light.GREEN, Light.AMBER) is Light.AMBER
    assert LIGHTS.events_from("amber") == [Light.RED]
    assert LIGHTS.allows("red", "green") and not LIGHTS.allows("red", "amber")


def test_a_move_outside_the_table_is_refused_in_the_workflows_words():
    with pytest.raises(TransitionError, match="^a red light cannot turn amber$"):
        LIGHTS.move("red", "amber")
    # A word the workflow does not know is refused the same way, not with a bare ValueError.
    with pytest.raises(TransitionError, match="^a red light cannot turn blue$"):
        LIGHTS.move("red", "blue")


def test_the_one_error_is_a_saferhub_error_and_still_a_value_error():
    assert issubclass(TransitionError, SaferhubError)
    assert issubclass(TransitionError, ValueError)


def test_the_next_signature_is_read_from_the_sign_off_table():
    assert SIGN_OFF.events_from("draft") == [SignOffStep.CSP_MANAGER]
    assert next_sign_off_step(SignOffState.DRAFT) is SignOffStep.CSP_MANAGER
    assert next_sign_off_step("csp_signed") is SignOffStep.TREASURER
    assert next_sign_off_step("signed") is None


def test_the_states_an_event_may_come_from_are_read_from_the_table():
    assert LIGHTS.states_allowing("green") == [Light.RED]
    assert SIGN_OFF.states_allowing(SignOffStep.TREASURER) == [SignOffState.CSP_SIGNED]


class LightRefused(TransitionError, LookupError):
    """An application's own error that is also the one TransitionError."""


def test_a_table_refusing_with_an_applications_own_class_raises_it():
    refusing = LIGHTS.refusing(LightRefused)
    with pytest.raises(LightRefused, match="^a red light cannot turn amber$"):
        refusing.move("red", "amber")
    assert refusing.move("red", "green") is Light.GREEN
    # The table itself still refuses with the plain TransitionError.
    with pytest.raises(TransitionError) as plain:
        LIGHTS.move("red", "amber")
    assert type(plain.value) is TransitionError


def test_what_the_caller_says_about_the_thing_moved_reaches_the_refusal():
    named = Workflow.of_moves(Light, {Light.RED: [Light.GREEN]}, lambda s, to, name="": f"{name} is {s}, not {to}")
    with pytest.raises(TransitionError, match="^the lamp is red, not amber$"):
        named.move("red", "amber", name="the lamp")
    assert not named.allows("red", "amber")  # asking does not word a refusal
