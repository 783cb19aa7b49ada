"""The one transition mechanism: a workflow is a table of (state, event) -> new state, and a
move the table does not hold raises the one ``TransitionError``.

Every workflow of saferhub is a table of this shape: a provider's return (submit, request
changes, accept), the half-year return's sign-off (whose signature is next is read from it), a
publication (approve, reject, supersede), a job (start, succeed, fail, interrupt, retry), the
terms of reference (edit, withdraw, adopt, supersede), a paper version (release), a board action
and a web upload, whose events are the states they move to (``Workflow.of_moves``).

A refusal is a ``TransitionError``; an application whose errors have their own class builds its
table with ``refusing(ItsRefusal)``, a class that is both, so that one ``except TransitionError``
catches every refused move and the application's own ``except`` still does."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    given the state and the event as they were asked for, and what the caller passed to
    ``move`` about the thing moved, such as its version); ``error`` is the class raised."""

    states: Callable[[str], S]
    events: Callable[[str], E]
    table: Mapping[tuple[S, E], S]
    refusal: Callable[..., str]
    error: type[TransitionError] = TransitionError

    @classmethod
    def of_moves(
        cls, states: Callable[[str], S], moves: Mapping[S, Iterable[S]], refusal: Callable[..., str]
    ) -> Workflow[S, S]:
        """A workflow whose events are the states it moves to: ``moves`` maps each state to
        the states it may go to."""
        table = {(state, to): to for state, targets in moves.items() for to in targets}
        return Workflow(states, states, table, refusal)

    def refusing(self, error: type[TransitionError]) -> Workflow[S, E]:
        """The same table, refusing a move with ``error`` (a subclass of TransitionError that is
        also the application's own error, so that either ``except`` catches it)."""
        return replace(self, error=error)

    def _key(self, state: str, event: str) -> tuple[S, E] | None:
        try:
            key = (self.states(state), self.events(event))
        except ValueError:
            return None
        return key if key in self.table else None

    def move(self, state: str, event: str, **about: object) -> S:
        """The state that ``event`` takes ``state`` to; ``error`` (a TransitionError) if the
        table has no such move, worded by ``refusal`` (given ``about`` too)."""
        key = self._key(state, event)
        if key is None:
            raise self.error(self.refusal(state, event, **about))
        return self.table[key]

    def allows(self, state: str, event: str) -> bool:
        return self._key(state, event) is not None

    def states_allowing(self, event: str) -> list[S]:
        """The states from which the table allows ``event``, in the table's order."""
        wanted = self.events(event)
        return [s for (s, e) in self.table if e == wanted]

    def events_from(self, state: str) -> list[E]:
        """The events the table allows from ``state``, in the table's order."""
        current = self.states(state)
        return [event for (s, event) in self.table if s == current]
