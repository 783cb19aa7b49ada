"""The indicator, upload, job and publication words are declared once in the domain: str enums
(so stored text and JSON compare equal) with a label for every member, and a tag colour where a
page shows one."""

from __future__ import annotations

import json

import pytest

from saferhub.domain.indicators import (
    UPLOADS,
    Frequency,
    ImportKind,
    Source,
    TargetKind,
    Unit,
    UploadOutcome,
    UploadStatus,
)
from saferhub.domain.jobs import JobStatus
from saferhub.domain.publication import PublicationState
from saferhub.domain.spc import POLARITIES, spc_polarity
from saferhub.domain.status import Polarity, Status
from saferhub.domain.workflow import TransitionError


@pytest.mark.parametrize(
    "enum", [Frequency, Unit, Source, ImportKind, TargetKind, UploadStatus, JobStatus, PublicationState, Status]
)
def test_every_member_is_its_stored_text_and_has_a_label(enum):
    for member in enum:
        assert member == member.value and json.dumps(member) == json.dumps(member.value)
        assert isinstance(member.label, str) and member.label


def test_tag_colours():
    assert [s.colour for s in (Status.ON_TARGET, Status.WORSENING, Status.NO_DATA)] == ["green", "red", "grey"]
    assert UploadStatus.FAILED.colour == "red" and UploadStatus.RUNNING.colour == "blue"
    assert PublicationState.PROPOSED.colour == "yellow" and PublicationState.PUBLISHED.colour == "green"
    assert [o.colour for o in UploadOutcome] == ["green", "blue", "grey", "grey"]


def test_neutral_is_the_spc_references_word_for_monitor_only():
    assert spc_polarity("neutral") is Polarity.MONITOR_ONLY
    assert [spc_polarity(p.value) for p in Polarity] == list(Polarity)
    assert [p.direction for p in Polarity] == [-1, 1, 0]
    assert set(POLARITIES) == {*Polarity, "neutral"}
    with pytest.raises(ValueError, match="polarity must be one of"):
        spc_polarity("up")


UPLOAD_MOVES = {
    UploadStatus.QUEUED: {UploadStatus.RUNNING, UploadStatus.FAILED},
    UploadStatus.RUNNING: {UploadStatus.DONE, UploadStatus.FAILED},
    UploadStatus.DONE: set(),
    UploadStatus.FAILED: {UploadStatus.QUEUED},
}


@pytest.mark.parametrize("state", list(UploadStatus))
@pytest.mark.parametrize("to", list(UploadStatus))
def test_upload_moves_follow_the_table(state, to):
    if to in UPLOAD_MOVES[state]:
        assert UPLOADS.move(state, to) is to
    else:
        with pytest.raises(TransitionError, match=f"^an upload cannot go from {state.value} to {to.value}$"):
            UPLOADS.move(state, to)
