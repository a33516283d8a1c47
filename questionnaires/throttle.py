"""Who is asking, and whether they have guessed too often.

Client addresses come from ``REMOTE_ADDR`` unless a reverse proxy is
configured: then only the entry that proxy appended to ``CLIENT_IP_HEADER``
counts (``CLIENT_IP_PROXY_COUNT`` hops from the right), never a value the
client could have written itself. Login lockout (django-axes) and the token
throttle below use the same function.

Logins: django-axes locks an account at one address after five wrong passwords;
`AccountPauseBackend` pauses the account everywhere once all addresses together
have given ``LOGIN_ACCOUNT_FAILURE_LIMIT`` wrong ones (`services.login_pause_lift`
ends a pause early).

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
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone

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


def login_name(request: HttpRequest | None, credentials: dict | None) -> str:
    """The account a login attempt is for, as the lockout counts it: one per address."""
    name = (credentials or {}).get("username")
    if not name and request is not None:
        name = request.POST.get("username", "")
    return str(name or "").strip().lower()[:254]


def _failures_per_account(names: list[str]) -> dict[str, int]:
    """Wrong passwords per account over the cool-off time, from every address together:
    django-axes keeps one row per account and address, shared by every worker and server
    through the database, each with its count since the last success there."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(username__in=names, attempt_time__gte=since)
        .values("username")
        .annotate(n=Sum("failures_since_start"))
    )
    return {row["username"]: row["n"] or 0 for row in rows}


def account_failures(name: str) -> int:
    return _failures_per_account([name]).get(name, 0)


def paused_accounts(names: list[str]) -> set[str]:
    """Which of these accounts are paused, in one query (for a list of managers)."""
    limit = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    return {name for name, n in _failures_per_account(names).items() if n >= limit}


def account_paused(name: str) -> bool:
    """Whether an account has had too many wrong passwords from all addresses together
    (``LOGIN_ACCOUNT_FAILURE_LIMIT``): then it waits everywhere, even for the right one."""
    return name in paused_accounts([name])


class AccountPauseBackend:
    """Refuses every login to an account that is paused (`account_paused`), before a
    password is checked, and shows the lockout page: guessing one account's password
    from many addresses stops as it does from one. It logs no one in itself."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, **kwargs):
        if request is None or not username:
            return None
        name = login_name(request, {"username": username})
        if not account_paused(name):
            return None
        request.axes_locked_out = True  # type: ignore[attr-defined]
        request.axes_credentials = {"username": name}  # type: ignore[attr-defined]
        request.account_paused = True  # type: ignore[attr-defined]
        raise PermissionDenied("this account is paused after too many wrong passwords")
