"""Who is asking, and whether they have guessed too often.

Client addresses come from ``REMOTE_ADDR`` unless a reverse proxy is
configured: then only the entry that proxy appended to ``CLIENT_IP_HEADER``
counts (``CLIENT_IP_PROXY_COUNT`` hops from the right), never a value the
client could have written itself. Login lockout (django-axes) and the token
throttle below use the same function.

The token throttle counts bad survey tokens per address in ten-second
buckets and adds up the last seven: every failure of the last minute counts
(and one up to ten seconds older), so no minute boundary lets a burst through. It lives in the
Django cache, so several app servers need a shared cache (docs/deployment.md).
"""

import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

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


def _counts(scope: str, address: str) -> tuple[list[int], float]:
    """Failures per 10-second bucket, oldest first, over the last 60–70 seconds."""
    now = time.time()
    current = int(now // BUCKET_SECONDS)
    keys = [_key(scope, address, bucket) for bucket in range(current - BUCKETS + 1, current + 1)]
    found = cache.get_many(keys)
    return [found.get(key, 0) for key in keys], now


def is_limited(scope: str, address: str, limit: int) -> bool:
    """True once ``limit`` failures fell within the last minute."""
    counts, _now = _counts(scope, address)
    return sum(counts) >= limit


def retry_after(scope: str, address: str, limit: int) -> int:
    """Seconds until enough old failures have dropped out of the minute (at least one)."""
    counts, now = _counts(scope, address)
    into_bucket = now % BUCKET_SECONDS
    for dropped in range(1, BUCKETS + 1):
        if sum(counts[dropped:]) < limit:
            return max(1, math.ceil(dropped * BUCKET_SECONDS - into_bucket))
    return WINDOW_SECONDS + BUCKET_SECONDS


def record_failure(scope: str, address: str) -> None:
    key = _key(scope, address, int(time.time() // BUCKET_SECONDS))
    timeout = WINDOW_SECONDS + 2 * BUCKET_SECONDS
    cache.add(key, 0, timeout=timeout)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)


def login_name(request: HttpRequest, credentials: dict | None) -> str:
    """The account a login attempt is for, as the lockout counts it: one per address."""
    name = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(name).strip().lower()[:254]
