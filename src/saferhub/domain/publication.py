"""The states of a publication (a report proposed to the public, saferhub.publishing), declared
once here; the model's choices are built from them (saferhub.choices)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["PublicationState"]


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
