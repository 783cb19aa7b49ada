"""A job's life (domain/jobs.py): the one transition table the job services follow."""

import pytest

from saferhub.domain.jobs import JOBS, JobEvent, JobStatus
from saferhub.domain.workflow import TransitionError

MOVES = {
    (JobStatus.QUEUED, JobEvent.START): JobStatus.RUNNING,
    (JobStatus.QUEUED, JobEvent.INTERRUPT): JobStatus.FAILED,
    (JobStatus.RUNNING, JobEvent.SUCCEED): JobStatus.DONE,
    (JobStatus.RUNNING, JobEvent.FAIL): JobStatus.FAILED,
    (JobStatus.RUNNING, JobEvent.INTERRUPT): JobStatus.FAILED,
    (JobStatus.FAILED, JobEvent.RETRY): JobStatus.QUEUED,
}
ALL = [(state, event) for state in JobStatus for event in JobEvent]


@pytest.mark.parametrize("state,event", [k for k in ALL if k in MOVES])
def test_legal_moves(state, event):
    assert JOBS.move(state, event) is MOVES[state, event]
    assert JOBS.move(state.value, event.value) is MOVES[state, event]  # as stored
    assert JOBS.allows(state, event)


@pytest.mark.parametrize("state,event", [k for k in ALL if k not in MOVES])
def test_refused_moves_name_the_state_and_the_event(state, event):
    with pytest.raises(TransitionError, match=f"^a job that is {state.value} cannot {event.value}$"):
        JOBS.move(state, event)
    assert not JOBS.allows(state, event)


def test_a_finished_job_does_not_move_until_retried():
    assert JOBS.events_from(JobStatus.DONE) == []
    assert JOBS.events_from(JobStatus.FAILED) == [JobEvent.RETRY]


def test_the_states_a_job_may_be_interrupted_in():
    # jobs.services.job_interrupt's conditional update reads these.
    assert JOBS.states_allowing(JobEvent.INTERRUPT) == [JobStatus.QUEUED, JobStatus.RUNNING]
    assert JOBS.states_allowing(JobEvent.START) == [JobStatus.QUEUED]
