"""/data/: upload police.uk files and partner spreadsheets; follow an import; see its result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from saferhub.accounts.permissions import require
from saferhub.domain.problems import InputError
from saferhub.jobs.health import worker_check
from saferhub.jobs.selectors import job_latest, jobs_latest
from saferhub.jobs.services import JobError, job_retry
from saferhub.partnerships.current import current_partnership
from saferhub.security.uploads import upload_refusal

from .forms import UploadForm
from .models import Upload, UploadStatus
from .services.uploads import upload_create, upload_start


@login_required
@require_http_methods(["GET", "POST"])
def data_page(request: HttpRequest) -> HttpResponse:
    require("performance.import", request.user, request=request)
    partnership = current_partnership(request)
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, refusal=upload_refusal(request))
        if partnership is None:
            form.add_error(None, "Create a partnership before uploading data")
        elif form.is_valid():
            try:
                upload = upload_create(
                    partnership=partnership,
                    kind=form.cleaned_data["kind"],
                    files=form.cleaned_data["files"],
                    user=request.user,
                    now=timezone.now(),
                )
            except InputError as e:
                for p in e.problems:
                    form.add_error("files", f"{p.file}: {p.message}")
            else:
                upload_start(upload=upload, now=timezone.now)
                return redirect("performance:upload", pk=upload.pk)
    uploads = (
        list(Upload.objects.filter(partnership=partnership).select_related("uploaded_by")[:20]) if partnership else []
    )
    jobs = jobs_latest("performance.upload", [u.pk for u in uploads])
    for u in uploads:
        u.interrupted = _interrupted(u, jobs.get(u.pk))
    return render(
        request,
        "performance/data.html",
        {"nav": "data", "partnership": partnership, "form": form, "uploads": uploads},
        status=400 if form.errors else 200,
    )


def _interrupted(upload: Upload, job) -> bool:
    return upload.status == UploadStatus.FAILED and job is not None and job.retryable


def _upload_or_404(request: HttpRequest, pk: int) -> Upload:
    upload = get_object_or_404(Upload, pk=pk)
    if upload.partnership_id != getattr(current_partnership(request), "pk", None):
        raise Http404("No such upload")
    return upload


@login_required
def upload_page(request: HttpRequest, pk: int, retry_error: str = "") -> HttpResponse:
    require("performance.import", request.user, request=request)
    upload = _upload_or_404(request, pk)
    job = job_latest(upload)
    counts: dict[str, int] = {}
    for o in upload.outcomes:
        for key in ("outcome", "value", "target"):
            if o.get(key):
                counts[o[key]] = counts.get(o[key], 0) + 1
    context = {
        "nav": "data",
        "upload": upload,
        "counts": counts,
        "job": job,
        "interrupted": _interrupted(upload, job),
        "retry_error": retry_error,
        # Waiting with no worker to take it: say so rather than "Waiting" for ever.
        "worker": worker_check() if not upload.finished else None,
    }
    return render(request, "performance/upload.html", context, status=400 if retry_error else 200)


@login_required
@require_POST
def upload_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Put an interrupted import back on the queue (its files were kept for this)."""
    require("performance.import", request.user, request=request)
    upload = _upload_or_404(request, pk)
    job = job_latest(upload)
    if job is None or not _interrupted(upload, job):
        return upload_page(request, pk, retry_error="Only an interrupted import can be retried: upload the files again")
    try:
        job_retry(job, actor=request.user)
    except JobError as e:
        return upload_page(request, pk, retry_error=str(e)[:1].upper() + str(e)[1:])
    return redirect("performance:upload", pk=upload.pk)


@login_required
def upload_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the upload page polls while an import runs."""
    require("performance.import", request.user, request=request)
    upload = _upload_or_404(request, pk)
    return JsonResponse(
        {
            "id": upload.pk,
            "status": upload.status,
            "status_label": upload.get_status_display(),
            "finished": upload.finished,
        }
    )
