"""Large exports of the raw answers: prepared by a task, followed on a page that
shows how far it is, then downloaded (`services.download_request`). A small export
is downloaded at once by `assessments.assessment_export`."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ... import access, exports, services, tasks
from ...models import Assessment, DownloadChunk, PreparedDownload

TITLES = {
    PreparedDownload.Kind.CSV: gettext_lazy("Raw answers (CSV)"),
    PreparedDownload.Kind.CSV_SEMICOLON: gettext_lazy("Raw answers (CSV, semicolons)"),
    PreparedDownload.Kind.XLSX: gettext_lazy("Raw answers (Excel)"),
}
KINDS = {
    ("csv", False): PreparedDownload.Kind.CSV,
    ("csv", True): PreparedDownload.Kind.CSV_SEMICOLON,
    ("xlsx", False): PreparedDownload.Kind.XLSX,
}


def prepare_page(request: HttpRequest, assessment: Assessment, fmt: str, rows: int, name: str):
    """The page that offers to prepare a large export instead of making the browser wait."""
    return render(
        request,
        "workspace/download_prepare.html",
        {
            "assessment": assessment,
            "fmt": fmt,
            "rows": rows,
            "semicolon": request.GET.get("delimiter") == "semicolon",
            "in_progress": request.GET.get("responses") == "all",
            "name": name,
        },
    )


@require_POST
@access.consultant_required
def download_prepare(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    assessment = access.assessment_for_consultant(request.user, pk)
    kind = KINDS.get((fmt, request.POST.get("delimiter") == "semicolon"))
    if kind is None:
        raise Http404
    in_progress = request.POST.get("responses") == "all"
    name = exports.export_name(assessment, in_progress=in_progress)
    download, new = services.download_request(
        assessment=assessment,
        kind=kind,
        in_progress=in_progress,
        language=(get_language() or "nl")[:2],
        filename=f"{name}-answers.{'xlsx' if fmt == 'xlsx' else 'csv'}",
        actor=request.user,
    )
    if new:
        tasks.download_start(download)
    else:
        messages.info(request, _("This file is being written already: here is how far it is."))
    return redirect("download-status", download.pk)


def _download(request: HttpRequest, download_id) -> PreparedDownload:
    """The prepared download, for a consultant of its organisation only (others: 404)."""
    return get_object_or_404(
        PreparedDownload.objects.select_related("assessment").filter(
            assessment__organization__in=access.consultant_organizations(request.user)
        ),
        pk=download_id,
    )


@require_GET
@never_cache
@access.consultant_required
def download_status(request: HttpRequest, download_id) -> HttpResponse:
    download = _download(request, download_id)
    return render(
        request,
        "workspace/download_status.html",
        {
            "download": download,
            "assessment": download.assessment,
            "percent": round(100 * download.share_done),
            "fmt": "xlsx" if download.kind == PreparedDownload.Kind.XLSX else "csv",
            "title": _("%(file)s of “%(assessment)s”")
            % {"file": TITLES[download.kind], "assessment": download.assessment.title},
            "waiting": download.waiting,
        },
    )


@require_GET
@access.consultant_required
def download_file(request: HttpRequest, download_id) -> HttpResponse:
    download = _download(request, download_id)
    if download.status != PreparedDownload.Status.READY:
        messages.info(request, _("The file is not ready yet."))
        return redirect("download-status", download.pk)
    chunks = (
        DownloadChunk.objects.filter(download=download)
        .order_by("number")
        .values_list("data", flat=True)
        .iterator(chunk_size=1)
    )
    content_type = (
        exports.XLSX_CONTENT_TYPE
        if download.kind == PreparedDownload.Kind.XLSX
        else "text/csv; charset=utf-8"
    )
    response = StreamingHttpResponse((bytes(chunk) for chunk in chunks), content_type=content_type)
    response["Content-Length"] = str(download.size)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["Cache-Control"] = "no-store"
    return response
