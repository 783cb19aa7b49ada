"""Finding 8 of the security review: an import started from the web is a job on the database
queue, run by the worker; a crash under it marks it failed (interrupted) with a clear message,
the page says so and offers a retry, and the retry completes. /healthz answers 503 without a worker."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from saferhub.jobs.models import Job, JobStatus, WorkerHeartbeat
from saferhub.performance.models import Upload, UploadStatus

MESSAGE = "interrupted (the server stopped during the import); retry"


@pytest.fixture
def analyst(client, db):
    from saferhub.accounts.models import User
    from saferhub.demo import load_demo
    from tests.performance.conftest import NOW

    load_demo(now=NOW)
    client.force_login(User.objects.get(username="analyst"))
    return client


def _post(client, policeuk_file) -> Upload:
    with open(policeuk_file(), "rb") as f:
        response = client.post("/data/", {"kind": "policeuk", "files": f})
    upload = Upload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/uploads/{upload.pk}/"
    return upload


def _status_cell(html: str, upload: Upload) -> str:
    row = html[html.index(f"upload {upload.pk}<") :]
    return row[: row.index("</tr>")]


def test_a_rejected_import_is_a_failed_upload_whose_job_is_done(analyst, run_worker):
    """Why UploadStatus is not JobStatus: the job did its work, the upload was rejected."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("bad.csv", b"indicator,period,value\nnope,2016-11,3\n", content_type="text/csv")
    analyst.post("/data/", {"kind": "indicators", "files": bad})
    run_worker()
    upload, job = Upload.objects.get(), Job.objects.get()
    assert upload.status == UploadStatus.FAILED and upload.problems[0]["field"] == "indicator"
    assert job.status == JobStatus.DONE and not job.interrupted


def test_an_import_waits_on_the_queue_until_the_worker_runs_it(analyst, policeuk_file, run_worker):
    upload = _post(analyst, policeuk_file)
    job = Job.objects.get()
    assert upload.status == UploadStatus.QUEUED and job.status == JobStatus.QUEUED
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"  # a row on the real queue
    assert "Waiting to start" in _status_cell(analyst.get("/data/").content.decode(), upload)
    # No worker has said it is alive: the page says the import waits for one.
    assert 'id="no-worker"' in analyst.get(f"/data/uploads/{upload.pk}/").content.decode()
    assert Path(upload.directory).is_dir()  # kept until the job ends

    run_worker()
    upload.refresh_from_db()
    job.refresh_from_db()
    assert upload.status == UploadStatus.DONE and upload.run is not None and upload.outcomes[0]["outcome"] == "added"
    assert job.status == JobStatus.DONE and job.attempts == 1 and job.worker_id == "test-worker"
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    assert "Imported" in _status_cell(analyst.get("/data/").content.decode(), upload)
    assert not Path(upload.directory).exists()  # the files went with the end of the import


def _crash_under(upload: Upload, job: Job, *, worker_id: str = "dead-worker", seen_seconds_ago: float = 3600) -> None:
    """What a killed worker leaves: its task claimed, the job and the upload running, a stale heartbeat."""
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="elsewhere",
        pid=1,
        started_at=now,
        seen_at=now - datetime.timedelta(seconds=seen_seconds_ago),
    )
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING", started_at=now, worker_ids=[worker_id])
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, worker_id=worker_id, started_at=now, attempts=1)
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.RUNNING, started_at=now)


def test_a_crash_during_an_import_is_marked_failed_and_a_retry_completes_it(analyst, policeuk_file, run_worker):
    upload = _post(analyst, policeuk_file)
    job = Job.objects.get()
    _crash_under(upload, job)
    assert "Importing" in _status_cell(analyst.get("/data/").content.decode(), upload)

    run_worker("restarted-worker")  # the worker starts again: it finds the job its predecessor held
    upload.refresh_from_db()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.interrupted and job.message == MESSAGE
    assert upload.status == UploadStatus.FAILED and MESSAGE in upload.problems[0]["message"]
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"  # not RUNNING for ever
    assert Path(upload.directory).is_dir()  # kept for the retry
    assert "Interrupted" in _status_cell(analyst.get("/data/").content.decode(), upload)
    page = analyst.get(f"/data/uploads/{upload.pk}/").content.decode()
    assert MESSAGE in page and "Retry the import" in page and "upload-progress.js" not in page
    assert analyst.get(f"/data/uploads/{upload.pk}/status.json").json()["finished"] is True

    response = analyst.post(f"/data/uploads/{upload.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == f"/data/uploads/{upload.pk}/"
    upload.refresh_from_db()
    job.refresh_from_db()
    assert upload.status == UploadStatus.QUEUED and upload.problems == [] and job.status == JobStatus.QUEUED
    assert "Waiting to start" in _status_cell(analyst.get("/data/").content.decode(), upload)

    run_worker()
    upload.refresh_from_db()
    job.refresh_from_db()
    assert upload.status == UploadStatus.DONE and upload.outcomes[0]["outcome"] == "added"
    assert job.status == JobStatus.DONE and job.attempts == 2 and not job.interrupted
    page = analyst.get(f"/data/uploads/{upload.pk}/").content.decode()
    assert "Success" in page and "Retry the import" not in page


def test_a_job_whose_worker_is_still_alive_is_left_running(analyst, policeuk_file, run_worker):
    upload = _post(analyst, policeuk_file)
    job = Job.objects.get()
    _crash_under(upload, job, worker_id="busy-worker", seen_seconds_ago=1)  # heartbeat fresh, on another host
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and not job.interrupted


def test_only_an_interrupted_import_can_be_retried(analyst, policeuk_file, run_worker):
    upload = _post(analyst, policeuk_file)
    run_worker()
    response = analyst.post(f"/data/uploads/{upload.pk}/retry/")
    assert response.status_code == 400 and "Only an interrupted import can be retried" in response.content.decode()
    assert Job.objects.get().attempts == 1


def test_a_retry_after_the_files_were_purged_says_so(analyst, policeuk_file, run_worker):
    import shutil

    upload = _post(analyst, policeuk_file)
    _crash_under(upload, Job.objects.get())
    run_worker()
    shutil.rmtree(upload.directory)
    response = analyst.post(f"/data/uploads/{upload.pk}/retry/")
    assert response.status_code == 400
    assert "The files of this upload are no longer kept: upload them again" in response.content.decode()


def test_the_worker_command_runs_the_queue(analyst, policeuk_file, run_worker):
    upload = _post(analyst, policeuk_file)
    out = io.StringIO()
    call_command("worker", "--batch", "--worker-id", "command-worker", stdout=out)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and "saferhub worker command-worker started" in out.getvalue()
    assert not WorkerHeartbeat.objects.exists()  # a worker that stopped says so


def test_healthz_answers_503_without_a_live_worker(client, database_queue, db):
    response = client.get("/healthz")
    assert response.status_code == 503 and "no job worker is running" in response.content.decode()
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="old", hostname="elsewhere", pid=1, started_at=now, seen_at=now - datetime.timedelta(minutes=5)
    )
    assert client.get("/healthz").status_code == 503  # a heartbeat too old is a worker gone
    WorkerHeartbeat.objects.create(worker_id="w", hostname="elsewhere", pid=1, started_at=now, seen_at=now)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content.decode().splitlines() == [
        "ok",
        "database: ok",
        "worker: ok",
    ]


def test_purge_deletes_files_of_uploads_that_never_ended_once_too_old(
    analyst, policeuk_file, run_worker, settings, tmp_path
):
    settings.SAFERHUB_HOME = tmp_path / "home"  # an uploads folder of this test's own
    upload = _post(analyst, policeuk_file)
    _crash_under(upload, Job.objects.get())
    run_worker()  # interrupted: its files are kept for a retry
    orphan = Path(settings.SAFERHUB_HOME) / "uploads" / "999999-0123456789ab"
    orphan.mkdir(parents=True, exist_ok=True)
    (orphan / "left.csv").write_bytes(b"x")
    waiting = _post_another(analyst, policeuk_file)  # queued: kept whatever its age
    Upload.objects.filter(pk__in=[upload.pk, waiting.pk]).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=30)
    )
    later = (timezone.now() + datetime.timedelta(days=settings.SAFERHUB_UPLOAD_RETENTION_DAYS + 1)).isoformat()

    out = io.StringIO()
    call_command("purge", "--dry-run", "--now", later, stdout=out)
    assert "Would delete 2 upload files" in out.getvalue()
    assert Path(upload.directory).is_dir() and orphan.is_dir()
    call_command("purge", "--now", later, stdout=io.StringIO())
    assert not Path(upload.directory).exists() and not orphan.exists()
    assert Path(waiting.directory).is_dir()


def _post_another(client, policeuk_file) -> Upload:
    with open(policeuk_file("2019-02-test-force-street.csv"), "rb") as f:
        client.post("/data/", {"kind": "policeuk", "files": f})
    return Upload.objects.order_by("-pk").first()


def test_purge_deletes_jobs_and_queue_results_that_ended_long_ago(analyst, policeuk_file, run_worker, settings):
    old = _post(analyst, policeuk_file)
    run_worker()
    waiting = _post_another(analyst, policeuk_file)
    finished = Job.objects.get(subject_id=old.pk)
    later = timezone.now() + datetime.timedelta(days=settings.SAFERHUB_JOB_RETENTION_DAYS + 1)
    out = io.StringIO()
    call_command("purge", "--dry-run", "--now", later.isoformat(), stdout=out)
    assert "Would delete 1 finished jobs" in out.getvalue() and "Would delete 1 job queue results" in out.getvalue()
    assert Job.objects.count() == 2
    call_command("purge", "--now", later.isoformat(), stdout=io.StringIO())
    assert list(Job.objects.values_list("subject_id", flat=True)) == [waiting.pk]  # waiting: kept
    assert not DBTaskResult.objects.filter(id=finished.task_id).exists()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
