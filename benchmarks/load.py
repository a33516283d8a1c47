"""Load, burst and crash test against a real gunicorn, on SQLite or PostgreSQL.

    python benchmarks/load.py                       # 200 respondents over 60 s, SQLite
    python benchmarks/load.py --database postgres   # the same on PostgreSQL
    python benchmarks/load.py --burst               # 200 respondents starting within 5 s
    python benchmarks/load.py --kill                # kill -9 the server half-way, restart
    python benchmarks/load.py --saves               # autosaves/s with 4 concurrent clients
    python benchmarks/load.py --all                 # all of it, both databases: docs/load.md

Each respondent opens a personal link, starts, saves the twelve topic pages,
submits and submits again, like a browser without JavaScript (page posts with
the CSRF token; cookies kept). A bounded pool of client threads on loopback does
the work; arrivals are spread over the duration. Afterwards the database is read
directly: every page save the server acknowledged (a redirect) must be stored,
every respondent must have submitted exactly once, no request may have had a 5xx
and no survey token may appear in the server's logs. With --kill the server is
killed with SIGKILL mid-way and started again; clients retry what was not
acknowledged; SQLite's integrity check must pass.

Exit status 0 when every check holds. `make load` runs the three SQLite
scenarios; tests/test_load.py runs a small version inside `make test`.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection, HTTPException
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # benchmarks.* when run as a script
PYTHON = sys.executable
PAGES = 12  # every topic page: a submission needs every level statement answered


# --- The server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(workdir: Path) -> dict[str, str]:
    """The settings a production server runs with (DEBUG off, no HTTPS on loopback)."""
    return {
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "load-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
    }


def server_env(database: str, workdir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SQLITE_PATH", "DJANGO_DEBUG"}
    }
    env |= production_env(workdir) | {"PYTHONPATH": str(ROOT)}
    if database == "postgres":
        name = f"im_assess_load_{os.getpid()}"
        base = os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + name
        env["LOAD_POSTGRES_ADMIN_URL"] = base
        env["LOAD_POSTGRES_NAME"] = name
    else:
        env["SQLITE_PATH"] = str(workdir / "load.sqlite3")
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def postgres_database(env: dict, create: bool) -> None:
    import psycopg

    with psycopg.connect(
        env["LOAD_POSTGRES_ADMIN_URL"].replace("postgres://", "postgresql://"), autocommit=True
    ) as connection:
        name = env["LOAD_POSTGRES_NAME"]
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


class Server:
    def __init__(
        self,
        env: dict,
        port: int,
        workdir: Path,
        workers: int,
        threads: int,
        app: str = "im_assess.wsgi",
    ):
        self.app = app
        self.env = env | {
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
        }
        self.port = port
        self.log = workdir / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "-c",
                    str(ROOT / "im_assess" / "gunicorn.conf.py"),
                    self.app,
                ],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill -9 takes every worker
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            connection = HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                connection.request("GET", "/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
            finally:
                connection.close()
        raise SystemExit(f"gunicorn did not start; see {self.log}")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


# --- Preparing and checking the database (run in a child with Django set up) ---------------

PREPARE = """
import json, sys
import django
django.setup()
from questionnaires.models import Assessment, Invitation, MaturityModel, Organization, Team
from questionnaires.tokens import salt_new, token_for_salt, token_hash
count = int(sys.argv[1])
model = MaturityModel.objects.filter(is_published=True).latest("published_at")
organization = Organization.objects.create(name="Load test")
team = Team.objects.create(organization=organization, name="Workshop")
assessment = Assessment.objects.create(
    organization=organization, maturity_model=model, title="Load", status="open"
)
tokens = []
for number in range(count):
    salt = salt_new()
    token = token_for_salt("invitation", salt)
    Invitation.objects.create(
        assessment=assessment, team=team, token_salt=salt, token_hash=token_hash(token),
        email=f"respondent{number}@load.example",
    )
    tokens.append(token)
print(json.dumps({"assessment": assessment.pk, "tokens": tokens}))
"""

VERIFY = """
import json, sys
import django
django.setup()
from django.db import connection
from questionnaires.models import Answer, Response
assessment = int(sys.argv[1])
rows = Answer.objects.filter(response__assessment_id=assessment).values_list(
    "response__invitation__email", "question__code", "choice__code", "special"
)
stored = {}
for email, code, choice, special in rows:
    stored.setdefault(email, {})[code] = choice or special
submitted = Response.objects.filter(assessment_id=assessment, submitted_at__isnull=False)
integrity = "n/a"
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        integrity = cursor.fetchone()[0]
print(json.dumps({
    "stored": stored,
    "submitted": list(submitted.values_list("invitation__email", flat=True)),
    "responses": Response.objects.filter(assessment_id=assessment).count(),
    "integrity": integrity,
}))
"""


def prepare(database: str, respondents: int) -> tuple[Path, dict, dict]:
    """A fresh database with the model and one invitation per respondent."""
    workdir = Path(tempfile.mkdtemp(prefix="im-assess-load-"))
    env = server_env(database, workdir)
    if database == "postgres":
        postgres_database(env, create=True)
    for step in (
        ["migrate", "--no-input"],
        ["load_maturity_model"],
        ["collectstatic", "--no-input"],
    ):
        manage(env, *step)
    return workdir, env, in_django(env, PREPARE, str(respondents))


def in_django(env: dict, script: str, *args: str) -> dict:
    result = subprocess.run(
        [PYTHON, "-c", script, *args],
        env=env | {"DJANGO_SETTINGS_MODULE": "im_assess.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- The respondents -----------------------------------------------------------------------


class FormReader(HTMLParser):
    """The inputs of the questionnaire form: the CSRF token, radio groups, text areas."""

    def __init__(self):
        super().__init__()
        self.csrf = ""
        self.radios: dict[str, list[str]] = {}
        self.textareas: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name") or ""
        if tag == "input" and name == "csrfmiddlewaretoken":
            self.csrf = attributes.get("value") or ""
        elif tag == "input" and attributes.get("type") == "radio" and name:
            self.radios.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "textarea" and name.startswith("q-"):
            self.textareas.append(name)


class Unavailable(Exception):
    """The server is not there (killed, restarting): try again."""


@dataclass
class Outcome:
    email: str
    acknowledged: dict[str, str] = field(default_factory=dict)
    submitted: bool = False
    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retries: int = 0


class Respondent:
    def __init__(self, port: int, token: str, email: str, seed: int):
        self.port = port
        self.token = token
        self.cookies: dict[str, str] = {}
        self.outcome = Outcome(email=email)
        self.random = random.Random(seed)

    def request(
        self, method: str, path: str, form: dict | None = None, payload: dict | None = None
    ) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "nl"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        if payload is not None:
            body = json.dumps(payload)
            headers["Content-Type"] = "application/json"
            # Production settings name it __Host-csrftoken (HTTPS-only in a browser).
            csrf = self.cookies.get("__Host-csrftoken") or self.cookies.get("csrftoken", "")
            headers["X-CSRFToken"] = csrf
            headers["Referer"] = f"http://127.0.0.1:{self.port}/survey/page/1/"
        start = time.perf_counter()
        try:
            connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, HTTPException) as error:
            # Refused, reset, or cut off half-way through the answer (IncompleteRead):
            # the server went down while it answered; what it said does not count.
            raise Unavailable(repr(error)) from error
        finally:
            connection.close()
        self.outcome.latencies.append(time.perf_counter() - start)
        self.outcome.statuses.append(response.status)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                name, _, cookie = pair.partition("=")
                self.cookies[name.strip()] = cookie.strip().strip('"')
        if response.status >= 500:
            self.outcome.errors.append(f"{method} {path} → {response.status}")
        location = response.getheader("Location") or ""
        return response.status, location, text

    def retrying(self, action, deadline: float):
        while True:
            try:
                return action()
            except Unavailable:
                if time.monotonic() > deadline:
                    raise
                self.outcome.retries += 1
                time.sleep(0.5)

    def answer_page(self, path: str) -> None:
        def attempt():
            status, _location, text = self.request("GET", path)
            if status != 200:
                self.outcome.errors.append(f"GET {path} → {status}")
                return
            form = FormReader()
            form.feed(text)
            data = {"csrfmiddlewaretoken": form.csrf, "move": "next"}
            chosen = {}
            for name, values in form.radios.items():
                if name.startswith("q-"):
                    choice = self.random.choice([v for v in values if v] or [""])
                    data[name] = chosen[name] = choice
            for name in form.textareas:
                data[name] = "Meer tijd voor oefenen."
            status, location, _text = self.request("POST", path, data)
            if status == 302 and "/survey/" in location:
                self.outcome.acknowledged.update(chosen)  # the server said: saved
            else:
                self.outcome.errors.append(f"POST {path} → {status}")

        self.retrying(attempt, time.monotonic() + 120)

    def run(self) -> Outcome:
        deadline = time.monotonic() + 120
        link = f"/s/{self.token}/"
        status, _location, _text = self.retrying(lambda: self.request("GET", link), deadline)
        if status != 302:
            self.outcome.errors.append(f"link → {status}")
            return self.outcome
        self.answer_page("/survey/")
        for number in range(1, PAGES + 1):
            self.answer_page(f"/survey/page/{number}/")

        self.retrying(self.submit, deadline)
        return self.outcome

    def submit(self) -> None:
        """Submit, then submit again as a double click or a reload would; run again after
        the server went down half-way, it finds the submit that had landed."""
        status, location, text = self.request("GET", "/survey/review/")
        if status == 302 and location.endswith("/survey/thanks/"):
            # A retry: the server went down after it had taken the submit, and now
            # sends the review to the thanks page (whose forms carry a CSRF token).
            self.outcome.submitted = True
            status, location, text = self.request("GET", "/survey/thanks/")
        form = FormReader()
        form.feed(text)
        token = {"csrfmiddlewaretoken": form.csrf}
        status, location, _ = self.request("POST", "/survey/submit/", token)
        if status == 302 and location.endswith("/survey/thanks/"):
            self.outcome.submitted = True
        else:
            self.outcome.errors.append(f"submit → {status}")
        # A second submit (a double click, a reload) must be harmless.
        again, again_location, _ = self.request("POST", "/survey/submit/", token)
        if again != 302 or not again_location.endswith("/survey/thanks/"):
            self.outcome.errors.append(f"second submit → {again}")

    def autosave_for(self, seconds: float) -> int:
        """Open the link, then save answers of page 1 one by one, as the page's script does."""
        self.request("GET", f"/s/{self.token}/")
        self.answer_page("/survey/")
        status, _location, text = self.request("GET", "/survey/page/1/")
        form = FormReader()
        form.feed(text)
        options = [(name[2:], values) for name, values in form.radios.items() if name[:2] == "q-"]
        saved, sequence = 0, 0
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            code, values = options[sequence % len(options)]
            sequence += 1
            payload = {"question": code, "sequence": sequence, "value": values[sequence % 6]}
            status, _location, _text = self.request("POST", "/survey/save/", payload=payload)
            if status == 200:
                saved += 1
            else:
                self.outcome.errors.append(f"autosave → {status}")
        return saved


def raw_wsgi_requests_per_second(env: dict, workdir: Path, *, clients: int, seconds: float):
    """The floor: a bare WSGI app on the same gunicorn, with the same client threads."""
    port = free_port()
    server = Server(
        env | {"PYTHONPATH": str(ROOT / "benchmarks")}, port, workdir, 2, 4, app="rawwsgi:app"
    )
    server.start()

    def hammer(_index: int) -> int:
        done, stop = 0, time.monotonic() + seconds
        connection = HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            while time.monotonic() < stop:
                connection.request("GET", "/")
                connection.getresponse().read()
                done += 1
        finally:
            connection.close()
        return done

    try:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            total = sum(pool.map(hammer, range(clients)))
    finally:
        server.stop()
    return round(total / seconds, 1)


def saves_per_second(
    *, clients: int = 4, seconds: float = 15, database: str = "sqlite", quiet: bool = False
) -> dict:
    """Sustained autosaves per second with `clients` concurrent respondents."""
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    workdir, env, prepared = prepare(database, clients)
    port = free_port()
    server = Server(env, port, workdir, workers=2, threads=4)
    server.start()
    respondents = [
        Respondent(port, token, f"respondent{index}@load.example", seed=index)
        for index, token in enumerate(prepared["tokens"])
    ]
    try:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            counts = list(pool.map(lambda r: r.autosave_for(seconds), respondents))
    finally:
        server.stop()
    if database == "postgres":
        postgres_database(env, create=False)
    latencies = sorted(value for r in respondents for value in r.outcome.latencies)
    floor = raw_wsgi_requests_per_second(env, workdir, clients=clients, seconds=seconds)
    report = {
        "database": database,
        "raw_wsgi_requests_per_second": floor,
        "clients": clients,
        "seconds": seconds,
        "saves": sum(counts),
        "saves_per_second": round(sum(counts) / seconds, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
        "errors": [e for r in respondents for e in r.outcome.errors][:10],
    }
    report["ok"] = not report["errors"]
    say(json.dumps(report, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)
    return report


# --- The run -------------------------------------------------------------------------------


def run(
    *,
    respondents: int = 200,
    duration: float = 60,
    database: str = "sqlite",
    burst: bool = False,
    kill: bool = False,
    clients: int = 24,
    workers: int = 2,
    threads: int = 4,
    quiet: bool = False,
) -> dict:
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    workdir, env, prepared = prepare(database, respondents)
    port = free_port()
    server = Server(env, port, workdir, workers, threads)
    server.start()
    spread = 5.0 if burst else duration
    say(f"{respondents} respondents over {spread:.0f} s, {database}, gunicorn {workers}×{threads}")
    started = time.monotonic()
    killer = None
    if kill:

        def kill_and_restart():
            time.sleep(spread / 2)
            say("kill -9 the server")
            server.kill()
            time.sleep(1)
            server.start()
            say("server back")

        killer = threading.Thread(target=kill_and_restart)
        killer.start()

    def one(index: int) -> Outcome:
        delay = started + spread * index / respondents - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        token = prepared["tokens"][index]
        respondent = Respondent(port, token, f"respondent{index}@load.example", seed=index)
        try:
            return respondent.run()
        except Unavailable as error:
            respondent.outcome.errors.append(f"gave up: {error}")
            return respondent.outcome

    try:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            outcomes = list(pool.map(one, range(respondents)))
        if killer:
            killer.join()
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    checked = in_django(env, VERIFY, str(prepared["assessment"]))
    log_text = server.log.read_text()
    if database == "postgres":
        postgres_database(env, create=False)
    latencies = sorted(value for o in outcomes for value in o.latencies)
    statuses = [s for o in outcomes for s in o.statuses]
    lost = []
    for outcome in outcomes:
        stored = checked["stored"].get(outcome.email, {})
        for name, choice in outcome.acknowledged.items():
            if stored.get(name.removeprefix("q-")) != choice:
                lost.append(f"{outcome.email} {name}")
    report = {
        "database": database,
        "scenario": "kill" if kill else "burst" if burst else "spread",
        "respondents": respondents,
        "seconds": round(elapsed, 1),
        "requests": len(statuses),
        "server_errors": sum(1 for s in statuses if s >= 500),
        "client_errors": [e for o in outcomes for e in o.errors][:20],
        "acknowledged_saves": sum(len(o.acknowledged) for o in outcomes),
        "lost_saves": lost[:20],
        "submitted": len(checked["submitted"]),
        "responses": checked["responses"],
        "retries": sum(o.retries for o in outcomes),
        "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1) if latencies else None,
        "requests_per_second": round(len(statuses) / elapsed, 1),
        "integrity": checked["integrity"],
        "token_in_log": any(token in log_text for token in prepared["tokens"]),
        "access_log_redacted": "/s/[token]/" in log_text,
    }
    report["ok"] = (
        report["server_errors"] == 0
        and not report["client_errors"]
        and not report["lost_saves"]
        and report["submitted"] == respondents
        and report["responses"] == respondents
        and report["integrity"] in {"ok", "n/a"}
        and not report["token_in_log"]
        and report["access_log_redacted"]
    )
    say(json.dumps(report, indent=2))
    if report["ok"]:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        say(f"kept for inspection: {workdir}")
    return report


def postgres_reachable() -> bool:
    try:
        import psycopg

        base = os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        with psycopg.connect(base.replace("postgres://", "postgresql://"), connect_timeout=3):
            return True
    except Exception:  # any failure means: not available here
        return False


def write_markdown(
    reports: list[dict],
    path: Path,
    saves: list[dict] | None = None,
    respondent_rows: list[dict] | None = None,
    stick: float | None = None,
) -> None:
    from benchmarks.respondent import markdown

    lines = [
        "# Load, burst and crash test",
        "",
        f"`make load` on {time.strftime('%Y-%m-%d')}: gunicorn (2 workers × 4 threads, gthread),",
        "a bounded pool of 24 client threads on loopback, each respondent opening a link,",
        f"starting, saving {PAGES} pages, submitting and submitting again. Every acknowledged",
        "save was then read back from the database. 2 cores; client and server share them.",
        "The machine's yardstick (a fixed pure-Python loop, `benchmarks/yardstick.py`; higher",
        f"is slower): {stick:.0f} ms before the run." if stick is not None else "",
        "",
        "| database | scenario | respondents | seconds | requests | req/s | median ms | p95 ms"
        " | 5xx | lost saves | submitted | retries | integrity | result |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        lines.append(
            f"| {r['database']} | {r['scenario']} | {r['respondents']} | {r['seconds']} "
            f"| {r['requests']} | {r['requests_per_second']} | {r['median_ms']} | {r['p95_ms']} "
            f"| {r['server_errors']} | {len(r['lost_saves'])} | {r['submitted']} "
            f"| {r['retries']} | {r['integrity']} | {'ok' if r['ok'] else 'FAILED'} |"
        )
    lines += [
        "",
        "Scenarios: *spread* = arrivals evenly over 60 s; *burst* = all 200 arrive within 5 s;",
        "*kill* = spread, with the whole server killed by SIGKILL after 30 s and started",
        "again; clients retry what was not acknowledged (the retries column).",
        "",
    ]
    if saves:
        lines += [
            "## Autosave throughput",
            "",
            "Four respondents saving answers one by one, as the page's script does, for",
            "15 s each, against the same gunicorn (2 workers × 4 threads, 2 cores).",
            "",
            "The floor is a bare WSGI app (`benchmarks/rawwsgi.py`) on the same gunicorn,",
            "hit by the same four client threads (one keep-alive connection each).",
            "",
            "| database | clients | saves | saves/s | p95 ms | raw WSGI req/s | target |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in saves:
            lines.append(
                f"| {r['database']} | {r['clients']} | {r['saves']} | {r['saves_per_second']} "
                f"| {r['p95_ms']} | {r['raw_wsgi_requests_per_second']} | ≥ 150 saves/s |"
            )
        lines.append("")
    if respondent_rows:
        lines += markdown(respondent_rows)
    path.write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--burst", action="store_true")
    parser.add_argument("--kill", action="store_true")
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--saves", action="store_true", help="autosaves per second with 4 concurrent clients"
    )
    parser.add_argument(
        "--respondent",
        action="store_true",
        help="the respondent's page and autosave beside their floors, 1 and 4 clients",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="spread, burst and kill on SQLite and (when reachable) PostgreSQL; "
        "writes docs/load.md",
    )
    arguments = parser.parse_args()
    from benchmarks.respondent import respondent_requests
    from benchmarks.yardstick import yardstick

    if arguments.all:
        stick = yardstick()
        databases = ["sqlite"] + (["postgres"] if postgres_reachable() else [])
        reports = [
            run(respondents=arguments.respondents, duration=arguments.duration, database=db,
                burst=scenario == "burst", kill=scenario == "kill")
            for db in databases
            for scenario in ("spread", "burst", "kill")
        ]  # fmt: skip
        saves = [saves_per_second(database=db) for db in databases]
        pages = [row for db in databases for row in respondent_requests(database=db)]
        write_markdown(reports, ROOT / "docs" / "load.md", saves, pages, stick)
        return 0 if all(r["ok"] for r in reports + saves + pages) else 1
    if arguments.respondent:
        rows = respondent_requests(database=arguments.database)
        return 0 if all(row["ok"] for row in rows) else 1
    if arguments.saves:
        return 0 if saves_per_second(database=arguments.database)["ok"] else 1
    report = run(
        respondents=arguments.respondents,
        duration=arguments.duration,
        database=arguments.database,
        burst=arguments.burst,
        kill=arguments.kill,
        clients=arguments.clients,
        workers=arguments.workers,
        threads=arguments.threads,
    )
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
