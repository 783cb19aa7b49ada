"""The states of a publication (a report proposed to the public, saferhub.publishing), declared
once here; the model's choices are built from them (saferhub.choices). And a publication's
life, as the one transition table of saferhub.domain.workflow."""

from __future__ import annotations

from enum import StrEnum

from .workflow import Workflow

__all__ = ["PublicationState", "PublicationEvent", "PUBLICATION"]


class PublicationState(StrEnum):
    PROPOSED = "proposed"
    PUBLISHED = "published"
    REJECTED = "rejected"
    # Proposed again after its figures changed: the newer proposal replaces it.
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return {"proposed": "Proposed", "published": "Published", "rejected": "Rejected", "superseded": "Superseded"}[
            self.value
        ]

    @property
    def colour(self) -> str:
        """GOV.UK tag colour: yellow while it waits for a decision."""
        return {"proposed": "yellow", "published": "green", "rejected": "red", "superseded": "grey"}[self.value]


class PublicationEvent(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SUPERSEDE = "supersede"

    @property
    def done(self) -> str:
        """The event as done to a publication: "approved"."""
        return {"approve": "approved", "reject": "rejected", "supersede": "superseded"}[self.value]


def _refusal(state: str, event: str) -> str:
    done = PublicationEvent(event).done if event in PublicationEvent._value2member_map_ else f"given '{event}'"
    return f"a {PublicationState(state).label.lower()} publication cannot be {done}"


# A publication's life: (state, event) -> new state. Only a proposal is decided.
PUBLICATION: Workflow[PublicationState, PublicationEvent] = Workflow(
    PublicationState,
    PublicationEvent,
    {
        (PublicationState.PROPOSED, PublicationEvent.APPROVE): PublicationState.PUBLISHED,
        (PublicationState.PROPOSED, PublicationEvent.REJECT): PublicationState.REJECTED,
        (PublicationState.PROPOSED, PublicationEvent.SUPERSEDE): PublicationState.SUPERSEDED,
    },
    _refusal,
)
