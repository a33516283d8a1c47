"""Large exports of the raw answers, written by a task (`tasks.download_build`) in
chunks in the database and downloaded when ready, so that no request waits for
minutes (docs/scale.md: the Excel file of 50,000 responses takes minutes to write)."""

import logging
import tempfile

from django.utils import timezone

from .. import exports
from ..models import (
    KEPT_FOR,
    STALLED_AFTER,
    Assessment,
    DownloadChunk,
    PreparedDownload,
    User,
)

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 20


def download_request(
    *,
    assessment: Assessment,
    kind: str,
    in_progress: bool,
    language: str,
    filename: str,
    actor: User | None,
) -> tuple[PreparedDownload, bool]:
    """A new prepared download, queued, and True; downloads older than a day are
    discarded. The same file asked again while it is being written (a double click, a
    second tab) is that one, and False: not a second run of minutes."""
    PreparedDownload.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    waiting = PreparedDownload.objects.filter(
        assessment=assessment,
        kind=kind,
        in_progress=in_progress,
        status__in=[PreparedDownload.Status.QUEUED, PreparedDownload.Status.RUNNING],
        created_at__gte=timezone.now() - STALLED_AFTER,
    ).first()
    if waiting is not None:
        return waiting, False
    download = PreparedDownload.objects.create(
        assessment=assessment,
        requested_by=actor,
        kind=PreparedDownload.Kind(kind),
        in_progress=in_progress,
        language=language,
        filename=filename,
        rows_total=exports.rows_count(assessment, in_progress=in_progress),
    )
    return download, True


def download_build(*, download: PreparedDownload) -> None:
    """Write the file in chunks, telling its progress as it goes; a failure is marked
    (the consultant can ask again) and logged."""
    PreparedDownload.objects.filter(pk=download.pk).update(
        status=PreparedDownload.Status.RUNNING, rows_done=0
    )
    DownloadChunk.objects.filter(download=download).delete()
    writer = _ChunkWriter(download)
    try:
        if download.kind == PreparedDownload.Kind.XLSX:
            with tempfile.TemporaryFile() as workbook:
                exports.responses_xlsx_write(
                    workbook,
                    download.assessment,
                    in_progress=download.in_progress,
                    progress=writer.progress,
                )
                workbook.seek(0)
                while data := workbook.read(CHUNK_BYTES):
                    writer.write(data)
        else:
            lines = exports.responses_csv_lines(
                download.assessment,
                chunk=CSV_PIECE_ROWS,
                in_progress=download.in_progress,
                delimiter=";" if download.kind == PreparedDownload.Kind.CSV_SEMICOLON else ",",
                bom=True,
            )
            for number, piece in enumerate(lines, start=1):
                writer.write(piece.encode())
                if number % 10 == 0:
                    writer.progress(number * CSV_PIECE_ROWS)
        writer.close()
    except Exception:
        logger.exception("preparing download %s failed", download.pk)
        DownloadChunk.objects.filter(download=download).delete()
        PreparedDownload.objects.filter(pk=download.pk).update(
            status=PreparedDownload.Status.FAILED, finished_at=timezone.now()
        )
        return
    PreparedDownload.objects.filter(pk=download.pk).update(
        status=PreparedDownload.Status.READY,
        size=writer.size,
        rows_done=download.rows_total,
        finished_at=timezone.now(),
    )


CSV_PIECE_ROWS = 1000


class _ChunkWriter:
    """Gathers bytes into chunks of CHUNK_BYTES, each stored as it fills."""

    def __init__(self, download: PreparedDownload) -> None:
        self.download = download
        self.buffer = bytearray()
        self.number = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        self.buffer += data
        self.size += len(data)
        while len(self.buffer) >= CHUNK_BYTES:
            self._store(bytes(self.buffer[:CHUNK_BYTES]))
            del self.buffer[:CHUNK_BYTES]

    def close(self) -> None:
        if self.buffer:
            self._store(bytes(self.buffer))
            self.buffer.clear()

    def progress(self, rows: int) -> None:
        PreparedDownload.objects.filter(pk=self.download.pk).update(
            rows_done=min(rows, self.download.rows_total)
        )

    def _store(self, data: bytes) -> None:
        self.number += 1
        DownloadChunk.objects.create(download=self.download, number=self.number, data=data)


def downloads_discard(*, assessment: Assessment) -> None:
    """Discard every prepared download of the assessment (a response was erased: no
    file may still hold its answers)."""
    PreparedDownload.objects.filter(assessment=assessment).delete()
