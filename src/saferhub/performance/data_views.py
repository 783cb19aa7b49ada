"""/data/: upload police.uk files and partner spreadsheets; follow an import; see its result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub.accounts.permissions import require

from .current import current_partnership
from .forms import UploadForm
from .models import Upload
from .services.uploads import upload_create, upload_start


@login_required
@require_http_methods(["GET", "POST"])
def data_page(request: HttpRequest) -> HttpResponse:
    require("performance.import", request.user, request=request)
    partnership = current_partnership(request)
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if partnership is None:
            form.add_error(None, "Create a partnership before uploading data")
        elif form.is_valid():
            upload = upload_create(partnership=partnership, kind=form.cleaned_data["kind"], files=form.cleaned_data["files"],
                                   user=request.user, now=timezone.now())
            upload_start(upload=upload, now=timezone.now)
            return redirect("performance:upload", pk=upload.pk)
    uploads = Upload.objects.filter(partnership=partnership).select_related("uploaded_by")[:20] if partnership else []
    return render(request, "performance/data.html", {"nav": "data", "partnership": partnership, "form": form, "uploads": uploads})


def _upload_or_404(request: HttpRequest, pk: int) -> Upload:
    upload = get_object_or_404(Upload, pk=pk)
    if upload.partnership_id != getattr(current_partnership(request), "pk", None):
        raise Http404("No such upload")
    return upload


@login_required
def upload_page(request: HttpRequest, pk: int) -> HttpResponse:
    require("performance.import", request.user, request=request)
    upload = _upload_or_404(request, pk)
    counts: dict[str, int] = {}
    for o in upload.outcomes:
        for key in ("outcome", "value", "target"):
            if o.get(key):
                counts[o[key]] = counts.get(o[key], 0) + 1
    return render(request, "performance/upload.html", {"nav": "data", "upload": upload, "counts": counts})


@login_required
def upload_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the upload page polls while an import runs."""
    require("performance.import", request.user, request=request)
    upload = _upload_or_404(request, pk)
    return JsonResponse({"id": upload.pk, "status": upload.status, "status_label": upload.get_status_display(),
                         "finished": upload.finished})
