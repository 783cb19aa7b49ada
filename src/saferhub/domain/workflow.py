"""The one transition mechanism: a workflow is a table of (state, event) -> new state, and a
move the table does not hold raises the one ``TransitionError``.

Every workflow of saferhub is a table of this shape: a provider's return (submit, request
changes, accept), the half-year return's sign-off (whose signature is next is read from it), a
publication (approve, reject, supersede), a board action and a web upload, whose events are the
states they move to (``Workflow.of_moves``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, Iterable, Mapping, TypeVar

from .problems import SaferhubError

__all__ = ["TransitionError", "Workflow"]

S = TypeVar("S", bound=str)
E = TypeVar("E", bound=str)


class TransitionError(SaferhubError, ValueError):
    """A workflow step that the current state does not allow."""


@dataclass(frozen=True)
class Workflow(Generic[S, E]):
    """``table`` maps (state, event) to the new state; ``states`` and ``events`` turn stored
    text into the workflow's words; ``refusal`` words a move the table does not hold (it is
    given the state and the event as they were asked for)."""

    states: Callable[[str], S]
    events: Callable[[str], E]
    table: Mapping[tuple[S, E], S]
    refusal: Callable[[str, str], str]

    @classmethod
    def of_moves(
        cls, states: Callable[[str], S], moves: Mapping[S, Iterable[S]], refusal: Callable[[str, str], str]
    ) -> Workflow[S, S]:
        """A workflow whose events are the states it moves to: ``moves`` maps each state to
        the states it may go to."""
        table = {(state, to): to for state, targets in moves.items() for to in targets}
        return Workflow(states, states, table, refusal)

    def move(self, state: str, event: str) -> S:
        """The state that ``event`` takes ``state`` to; TransitionError if the table has no such move."""
        try:
            key = (self.states(state), self.events(event))
        except ValueError:
            raise TransitionError(self.refusal(state, event)) from None
        if key not in self.table:
            raise TransitionError(self.refusal(state, event))
        return self.table[key]

    def allows(self, state: str, event: str) -> bool:
        try:
            self.move(state, event)
        except TransitionError:
            return False
        return True

    def events_from(self, state: str) -> list[E]:
        """The events the table allows from ``state``, in the table's order."""
        current = self.states(state)
        return [event for (s, event) in self.table if s == current]
