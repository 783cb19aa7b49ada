"""A publication's life (domain/publication.py): only a proposal is decided."""

import pytest

from saferhub.domain.publication import PUBLICATION, PublicationEvent, PublicationState
from saferhub.domain.workflow import TransitionError

MOVES = {
    (PublicationState.PROPOSED, PublicationEvent.APPROVE): PublicationState.PUBLISHED,
    (PublicationState.PROPOSED, PublicationEvent.REJECT): PublicationState.REJECTED,
    (PublicationState.PROPOSED, PublicationEvent.SUPERSEDE): PublicationState.SUPERSEDED,
}
ALL = [(state, event) for state in PublicationState for event in PublicationEvent]


@pytest.mark.parametrize("state,event", list(MOVES))
def test_legal_moves(state, event):
    assert PUBLICATION.move(state, event) is MOVES[state, event]
    assert PUBLICATION.move(state.value, event.value) is MOVES[state, event]  # as stored


@pytest.mark.parametrize("state,event", [k for k in ALL if k not in MOVES])
def test_refused_moves_name_the_state_and_the_event(state, event):
    done = {"approve": "approved", "reject": "rejected", "supersede": "superseded"}[event.value]
    with pytest.raises(TransitionError, match=f"^a {state.value} publication cannot be {done}$"):
        PUBLICATION.move(state, event)
    assert not PUBLICATION.allows(state, event)


def test_a_decided_publication_has_no_moves():
    for state in (PublicationState.PUBLISHED, PublicationState.REJECTED, PublicationState.SUPERSEDED):
        assert PUBLICATION.events_from(state) == []
    assert PUBLICATION.events_from("proposed") == list(PublicationEvent)
