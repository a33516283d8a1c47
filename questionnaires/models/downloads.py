"""Prepared downloads: a large export of the raw answers is written by a task, in
chunks in the database (every app server and worker reads the same rows), and
downloaded when it is ready."""

import uuid
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import User
from .engagements import Assessment

KEPT_FOR = timedelta(days=1)
# A download still queued or being written after this long is taken for lost (its
# worker stopped): it no longer stands in the way of asking again.
STALLED_AFTER = timedelta(minutes=30)


class PreparedDownload(models.Model):
    """One export being written or ready: its progress, and then its file in
    `DownloadChunk` rows. Kept a day; erasing a response discards its assessment's."""

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        CSV_SEMICOLON = "csv-semicolon", _("CSV (semicolons)")
        XLSX = "xlsx", "Excel"

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being written")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="downloads")
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    in_progress = models.BooleanField(default=False)
    language = models.CharField(max_length=5, default="nl")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    filename = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("prepared download")
        verbose_name_plural = _("prepared downloads")
        indexes = [models.Index(fields=["assessment", "created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} · {self.status}"

    @property
    def stalled(self) -> bool:
        """Queued or being written for longer than STALLED_AFTER: taken for lost."""
        waiting = self.status in (self.Status.QUEUED, self.Status.RUNNING)
        return waiting and self.created_at < timezone.now() - STALLED_AFTER

    @property
    def waiting(self) -> bool:
        """Queued or being written, and not lost: its page looks again by itself."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING) and not self.stalled

    @property
    def share_done(self) -> float:
        """How far along, 0–1 (an estimate of the rows until it is ready)."""
        if self.status == self.Status.READY:
            return 1.0
        return min(1.0, self.rows_done / self.rows_total) if self.rows_total else 0.0


class DownloadChunk(models.Model):
    """One piece (at most 1 MiB) of a prepared download's file, in order."""

    download = models.ForeignKey(PreparedDownload, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["download", "number"], name="unique_download_chunk")
        ]

    def __str__(self) -> str:
        return f"{self.download_id} · {self.number}"


class IssuedReport(models.Model):
    """A report the consultant issued as final ("definitief"), kept as issued: a later
    change makes a new version, and this one stays downloadable."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="issued_reports"
    )
    language = models.CharField(max_length=2)
    version = models.PositiveSmallIntegerField()
    pdf = models.BinaryField()
    # The report cache key of the inputs it was made from: equal to today's key means
    # nothing has changed since it was issued.
    inputs = models.CharField(max_length=100)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["assessment", "-version", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "language", "version"], name="unique_issued_report"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.language})"
