"""A worker's peak memory while it serves one request, measured in the serving process.

`benchmarks/scale.py` calls these at every size. `task_peak` writes a prepared
download (CSV or Excel) in a process of its own, as a task worker does, and reports
its time and high-water mark. `worker_peaks` then takes each page (the dashboard, the
JSON results, the prepared files): it starts a fresh gunicorn with one worker on the
same database, logs in as a real browser does, reads the worker's resident memory
(VmRSS) once it is idle, fetches the page, reading and dropping the body as it
streams, and reads the worker's high-water mark (VmHWM). The test client would
buffer a streamed body in the measuring process; this does not.
"""

import re
import time
import urllib.parse
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException
from pathlib import Path

from benchmarks.load import Server, free_port, in_django, manage, server_env

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Peak:
    page: str
    status: int
    megabytes: float  # the body's size
    seconds: float
    idle_mib: float  # the worker's resident memory before the request
    peak_mib: float  # its high-water mark after it


def serving_env(workdir: Path, database_env: dict) -> dict:
    """The production settings of `benchmarks/load.py`, on the measured database."""
    env = server_env("sqlite", workdir)
    env.pop("SQLITE_PATH", None)
    env |= database_env
    manage(env, "collectstatic", "--no-input")
    return env


BUILD = """
import json, resource, sys, time
import django
django.setup()
from questionnaires import services
from questionnaires.models import Assessment, PreparedDownload
assessment = Assessment.objects.get(pk=int(sys.argv[1]))
download, _new = services.download_request(
    assessment=assessment, kind=sys.argv[2], in_progress=False, language="nl",
    filename="scale", actor=None,
)
start = time.perf_counter()
services.download_build(download=download)
seconds = time.perf_counter() - start
download.refresh_from_db()
with open("/proc/self/status") as status:
    peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
print(json.dumps({"id": str(download.pk), "status": download.status, "seconds": seconds,
                  "megabytes": download.size / 2**20, "rows": download.rows_total,
                  "peak_mib": peak}))
"""


def task_peak(env: dict, assessment_id: int, kind: str) -> dict:
    """Write a prepared download of ``kind`` in a process of its own, as a task worker
    does: its id, status, seconds, size, rows and the process's peak memory."""
    return in_django(env, BUILD, str(assessment_id), kind)


def worker_peaks(
    env: dict, workdir: Path, pages: list[tuple[str, str]], email: str, password: str
) -> list[Peak]:
    peaks = []
    for page, path in pages:
        port = free_port()
        server = Server(env, port, workdir, workers=1, threads=1)
        server.start()
        try:
            cookies = _log_in(port, email, password)
            worker = _worker_pid(server.process.pid)
            idle = _status_mib(worker, "VmRSS")
            start = time.perf_counter()
            status, size = _fetch(port, path, cookies)
            seconds = time.perf_counter() - start
            peaks.append(
                Peak(page, status, size / 2**20, seconds, idle, _status_mib(worker, "VmHWM"))
            )
        finally:
            server.stop()
    return peaks


def _request(port: int, method: str, path: str, cookies: dict, body: str | None = None):
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    return connection, connection.getresponse()


def _remember(response, cookies: dict) -> None:
    # Secure cookies are sent back over plain HTTP here on purpose: this is the server's
    # own loopback, measured, not a browser.
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]


def _log_in(port: int, email: str, password: str) -> dict:
    cookies: dict = {}
    connection, response = _request(port, "GET", "/login/", cookies)
    page = response.read().decode()
    connection.close()
    _remember(response, cookies)
    token = CSRF_FIELD.search(page)
    if token is None:
        raise SystemExit("no login form")
    form = urllib.parse.urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    connection, response = _request(port, "POST", "/login/", cookies, form)
    response.read()
    connection.close()
    _remember(response, cookies)
    if response.status != 302:
        raise SystemExit(f"logging in gave {response.status}")
    return cookies


def _fetch(port: int, path: str, cookies: dict) -> tuple[int, int]:
    """The status and the body's size; status 0 when the worker died on the way (the
    timeout killed it)."""
    connection, response = _request(port, "GET", path, cookies)
    size = 0
    try:
        while chunk := response.read(1 << 16):
            size += len(chunk)
    except (OSError, HTTPException):
        return 0, size
    finally:
        connection.close()
    return response.status, size


def _worker_pid(master: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("gunicorn started no worker")


def _status_mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no {field} for {pid}")
