"""Who is asking, and whether they have guessed too often.

Client addresses come from ``REMOTE_ADDR`` unless a reverse proxy is
configured: then only the entry that proxy appended to ``CLIENT_IP_HEADER``
counts (``CLIENT_IP_PROXY_COUNT`` hops from the right), never a value the
client could have written itself. Login lockout (django-axes) and the token
throttle below use the same function.

The token throttle counts bad survey tokens per address in ten-second
buckets and adds up the last seven: every failure of the last minute counts
(and one up to ten seconds older), so no minute boundary lets a burst through.
The count is shared by every worker and app server: in Redis when ``REDIS_URL``
is set (an atomic INCR), else in the database (`ThrottleBucket`, one conditional
UPDATE). A failure is counted first and the total of the minute decides, so
parallel requests cannot all pass a check before any of them is counted.
"""

import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from .models import ThrottleBucket

WINDOW_SECONDS = 60
BUCKET_SECONDS = 10
BUCKETS = WINDOW_SECONDS // BUCKET_SECONDS + 1  # the current, partly filled bucket too


def client_address(request: HttpRequest) -> str:
    header = settings.CLIENT_IP_HEADER
    if header:
        hops = [hop.strip() for hop in request.META.get(header, "").split(",") if hop.strip()]
        count = settings.CLIENT_IP_PROXY_COUNT
        if len(hops) >= count:
            candidate = hops[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR", "")


def lockout_address(request: HttpRequest) -> str | None:
    """The address for django-axes; None where a request has none (a login made in code)."""
    return client_address(request) or None


def _key(scope: str, address: str, bucket: int) -> str:
    return f"throttle:{scope}:{address}:{bucket}"


def _redis() -> bool:
    return bool(settings.REDIS_URL)


def _counts(scope: str, address: str) -> tuple[list[int], float]:
    """Failures per 10-second bucket, oldest first, over the last 60–70 seconds."""
    now = time.time()
    current = int(now // BUCKET_SECONDS)
    buckets = range(current - BUCKETS + 1, current + 1)
    if _redis():
        keys = [_key(scope, address, bucket) for bucket in buckets]
        found = cache.get_many(keys)
        return [found.get(key, 0) for key in keys], now
    rows = dict(
        ThrottleBucket.objects.filter(
            key=f"{scope}:{address}", bucket__gte=buckets[0], bucket__lte=buckets[-1]
        ).values_list("bucket", "count")
    )
    return [rows.get(bucket, 0) for bucket in buckets], now


def failures(scope: str, address: str) -> int:
    """The failures of the last minute."""
    return sum(_counts(scope, address)[0])


def retry_after(scope: str, address: str, limit: int) -> int:
    """Seconds until enough old failures have dropped out of the minute (at least one)."""
    counts, now = _counts(scope, address)
    into_bucket = now % BUCKET_SECONDS
    for dropped in range(1, BUCKETS + 1):
        if sum(counts[dropped:]) < limit:
            return max(1, math.ceil(dropped * BUCKET_SECONDS - into_bucket))
    return WINDOW_SECONDS + BUCKET_SECONDS


def record_failure(scope: str, address: str) -> int:
    """Count one failure, atomically for every worker and server, and return the
    failures of the last minute with this one."""
    bucket = int(time.time() // BUCKET_SECONDS)
    if _redis():
        key = _key(scope, address, bucket)
        timeout = WINDOW_SECONDS + 2 * BUCKET_SECONDS
        cache.add(key, 0, timeout=timeout)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
        return failures(scope, address)
    key = f"{scope}:{address}"
    with transaction.atomic():
        counted = ThrottleBucket.objects.filter(key=key, bucket=bucket).update(count=F("count") + 1)
        if not counted:
            try:
                with transaction.atomic():
                    ThrottleBucket.objects.create(key=key, bucket=bucket, count=1)
            except IntegrityError:  # another worker made the bucket meanwhile
                ThrottleBucket.objects.filter(key=key, bucket=bucket).update(count=F("count") + 1)
            # A new bucket: a good moment to forget the ones no minute needs any more.
            ThrottleBucket.objects.filter(bucket__lt=bucket - BUCKETS).delete()
    return failures(scope, address)


def login_name(request: HttpRequest, credentials: dict | None) -> str:
    """The account a login attempt is for, as the lockout counts it: one per address."""
    name = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(name).strip().lower()[:254]
