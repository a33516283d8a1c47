"""Counters that must hold across every worker and server: failures per ten seconds."""

from django.db import models


class ThrottleBucket(models.Model):
    """Failures of one kind from one address in one ten-second bucket (`throttle`).

    In the database so that every gunicorn worker and every app server counts the same
    failures; incremented with one conditional UPDATE, so parallel requests never lose one.
    """

    key = models.CharField(max_length=200)  # "<scope>:<address>"
    bucket = models.BigIntegerField()  # seconds since the epoch // 10
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "bucket"], name="unique_throttle_bucket"),
        ]
        indexes = [models.Index(fields=["bucket"])]

    def __str__(self) -> str:
        return f"{self.key} @ {self.bucket}: {self.count}"
