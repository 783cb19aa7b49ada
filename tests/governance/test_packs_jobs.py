"""Finding 8 of the security review: a board pack built from the web is a job on the database
queue, run by the worker, and still audited as before; the meeting page shows the job's state; a
crash under the build marks it failed (interrupted) with a clear message, and its retry builds it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from saferhub.audit.models import AuditEvent
from saferhub.governance.models import Pack
from saferhub.jobs.models import Job, JobStatus, WorkerHeartbeat

MESSAGE = "interrupted (the server stopped during the pack build); retry"
BASE = "/governance/testham/"


@pytest.fixture
def officer(client, users):
    client.force_login(users["analyst"])
    return client


def _build(client, meeting) -> Job:
    response = client.post(f"{BASE}meetings/{meeting.pk}/packs/", {"kind": "supplement"})
    assert response.status_code == 302 and response["Location"] == f"{BASE}meetings/{meeting.pk}/"
    return Job.objects.get()


def _pack_state(client, meeting) -> str:
    page = client.get(f"{BASE}meetings/{meeting.pk}/").content.decode()
    start = page.index('id="pack-job"')
    return page[start : page.index("</div>", start)]


def test_a_pack_build_waits_on_the_queue_until_the_worker_builds_it(officer, business, run_worker):
    meeting = business["meeting"]
    job = _build(officer, meeting)
    assert job.status == JobStatus.QUEUED and job.subject_type == "governance.meeting" and job.subject_id == meeting.pk
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"  # a row on the real queue
    assert not Pack.objects.exists()
    assert "Waiting to start" in _pack_state(officer, meeting)

    run_worker()
    job.refresh_from_db()
    pack = Pack.objects.get()
    assert job.status == JobStatus.DONE and job.attempts == 1 and job.worker_id == "test-worker"
    assert pack.meeting == meeting and pack.issue == 1 and pack.pages > 0
    # Audited as before, in the name of whoever asked for it.
    event = AuditEvent.objects.get(action="publish", object_id=str(pack.pk))
    assert event.actor_name == "analyst" and "issue 1" in event.summary
    state = _pack_state(officer, meeting)
    assert "Built" in state and f"{BASE}packs/{pack.pk}.pdf" in state and "Retry" not in state


def _crash_under(job: Job, *, worker_id: str = "dead-worker") -> None:
    """What a killed worker leaves: its task claimed, the job running, a stale heartbeat."""
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="elsewhere", pid=1, started_at=now, seen_at=now - datetime.timedelta(hours=1)
    )
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING", started_at=now, worker_ids=[worker_id])
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, worker_id=worker_id, started_at=now, attempts=1)


def test_a_crash_during_a_pack_build_is_marked_failed_and_a_retry_builds_it(officer, business, run_worker):
    meeting = business["meeting"]
    job = _build(officer, meeting)
    _crash_under(job)
    assert "Building" in _pack_state(officer, meeting)

    run_worker("restarted-worker")  # the worker starts again: it finds the build its predecessor held
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.interrupted and job.message == MESSAGE
    assert not Pack.objects.exists()
    state = _pack_state(officer, meeting)
    assert "Failed" in state and MESSAGE in state and "Retry the pack build" in state

    response = officer.post(f"{BASE}meetings/{meeting.pk}/packs/retry/")
    assert response.status_code == 302 and response["Location"] == f"{BASE}meetings/{meeting.pk}/"
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and "Waiting to start" in _pack_state(officer, meeting)

    run_worker()
    job.refresh_from_db()
    pack = Pack.objects.get()
    assert job.status == JobStatus.DONE and job.attempts == 2 and not job.interrupted
    assert AuditEvent.objects.filter(action="publish", object_id=str(pack.pk)).count() == 1
    state = _pack_state(officer, meeting)
    assert "Built" in state and "Retry" not in state


def test_only_an_interrupted_pack_build_can_be_retried(officer, business, run_worker):
    meeting = business["meeting"]
    _build(officer, meeting)
    run_worker()
    response = officer.post(f"{BASE}meetings/{meeting.pk}/packs/retry/")
    assert response.status_code == 400 and "Only an interrupted pack build can be retried" in response.content.decode()
    assert Job.objects.get().attempts == 1 and Pack.objects.count() == 1


def test_a_board_member_cannot_retry_a_pack_build(client, users, business, run_worker):
    meeting = business["meeting"]
    client.force_login(users["analyst"])
    job = _build(client, meeting)
    _crash_under(job)
    run_worker()
    client.force_login(users["board"])
    assert client.post(f"{BASE}meetings/{meeting.pk}/packs/retry/").status_code == 403
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 1


def test_with_the_immediate_backend_the_pack_is_built_at_once(officer, business):
    meeting = business["meeting"]
    response = officer.post(f"{BASE}meetings/{meeting.pk}/packs/", {"kind": "supplement"}, follow=True)
    pack = Pack.objects.get()
    assert Job.objects.get().status == JobStatus.DONE
    assert f"Issue {pack.issue} built: {pack.pages} pages." in response.content.decode()


def test_a_pack_that_can_no_longer_be_built_fails_with_its_reason(officer, business, run_worker):
    from saferhub.governance.models import Paper

    meeting = business["meeting"]
    job = _build(officer, meeting)
    Paper.objects.all().delete()  # between the request and the worker, the supplement lost its only paper
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.interrupted
    assert job.message == "The pack could not be built: the pack would have no agenda items."
    state = _pack_state(officer, meeting)
    assert "Failed" in state and job.message in state and "Retry" not in state and "Traceback" not in state
    assert not Pack.objects.exists()
