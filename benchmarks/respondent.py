"""The respondent's page and autosave through gunicorn, beside fair floors on the same
server (part of `make load`).

One gunicorn (2 workers × 4 threads, production settings, with the floor views of
`benchmarks/floor.py` added) serves, in turn, to 1 and then 4 clients that each keep
one connection alive and ask as fast as they get answers, for a few seconds each:

- our questionnaire page (`/survey/page/2/`, five questions) and its floor, a plain
  view that renders a hand-written template of the same HTML size from the same rows;
- our autosave (one answer) and its floor, a plain view that validates and stores one
  answer row;
- for reference only, a view that returns a fixed string.

Each client is a respondent of its own (its link opened, the page seen), so the
autosaves are real saves of real sessions.
"""

import statistics
import threading
import time
from http.client import HTTPConnection, HTTPException

from benchmarks.load import (
    FormReader,
    Respondent,
    Server,
    free_port,
    postgres_database,
    prepare,
)

PAGE = "/survey/page/2/"


class Client:
    """One respondent on one kept-alive connection."""

    def __init__(self, port: int, cookies: dict[str, str], options: list[tuple[str, list[str]]]):
        self.port = port
        self.cookies = cookies
        self.options = options
        self.sequence = 1000
        self.connection = HTTPConnection("127.0.0.1", port, timeout=30)

    def ask(self, method: str, path: str) -> int:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "Accept-Language": "nl",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if method == "POST":
            self.sequence += 1
            code, values = self.options[self.sequence % len(self.options)]
            value = values[self.sequence % len(values)]
            body = f'{{"question": "{code}", "value": "{value}", "sequence": {self.sequence}}}'
            headers["Content-Type"] = "application/json"
            headers["X-CSRFToken"] = self.cookies.get("__Host-csrftoken", "")
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                response.read()
                return response.status
            except (OSError, HTTPException):  # the server closed the kept connection
                self.connection.close()
                self.connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def _respondent(port: int, token: str, seed: int) -> Client:
    respondent = Respondent(port, token, f"r{seed}@load.example", seed=seed)
    respondent.request("GET", f"/s/{token}/")
    respondent.answer_page("/survey/")
    status, _location, text = respondent.request("GET", PAGE)
    if status != 200:
        raise SystemExit(f"{PAGE} → {status}")
    form = FormReader()
    form.feed(text)
    options = [
        (name[2:], [v for v in values if v not in ("", "dont_know", "not_applicable")])
        for name, values in form.radios.items()
        if name.startswith("q-")
    ]
    return Client(port, dict(respondent.cookies), [(c, v) for c, v in options if v])


def _hammer(clients: list[Client], method: str, path: str, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def run(client: Client) -> None:
        mine, stop = [], time.monotonic() + seconds
        while time.monotonic() < stop:
            start = time.perf_counter()
            status = client.ask(method, path)
            mine.append(time.perf_counter() - start)
            if status != 200:
                with lock:
                    errors.append(f"{method} {path} → {status}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "per_second": round(len(latencies) / seconds, 1),
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
        "errors": errors[:5],
    }


def respondent_requests(database: str = "sqlite", seconds: float = 8) -> list[dict]:
    """For 1 and 4 clients: our page and autosave beside their floors, and the fixed
    string; one row per case and number of clients."""
    workdir, env, prepared = prepare(database, 4)
    env = env | {"DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    port = free_port()
    server = Server(env, port, workdir, workers=2, threads=4)
    server.start()
    rows = []
    clients: list[Client] = []
    try:
        for index, token in enumerate(prepared["tokens"]):
            clients.append(_respondent(port, token, index))
        size = _size(clients[0], PAGE)
        cases = [
            ("questionnaire page GET", "GET", PAGE, f"/floor/page/2/?size={size}"),
            ("autosave POST (one answer)", "POST", "/survey/save/", "/floor/autosave/"),
        ]
        for count in (1, 4):
            chosen = clients[:count]
            fixed = _hammer(chosen, "GET", "/floor/fixed/", seconds)
            for label, method, ours, floor in cases:
                mine = _hammer(chosen, method, ours, seconds)
                plain = _hammer(chosen, method, floor, seconds)
                rows.append(
                    {
                        "database": database,
                        "case": label,
                        "clients": count,
                        "ours": mine,
                        "floor": plain,
                        "fixed": fixed,
                        "ratio": round(plain["per_second"] / mine["per_second"], 2),
                        "ok": not (mine["errors"] or plain["errors"] or fixed["errors"]),
                    }
                )
                print(rows[-1], flush=True)
    finally:
        for client in clients:
            client.connection.close()
        server.stop()
        if database == "postgres":
            postgres_database(env, create=False)
    return rows


def _size(client: Client, path: str) -> int:
    client.connection.request(
        "GET",
        path,
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())},
    )
    response = client.connection.getresponse()
    return len(response.read())


def markdown(rows: list[dict]) -> list[str]:
    lines = [
        "## The respondent's page and autosave, beside fair floors",
        "",
        "`benchmarks/respondent.py`: the same gunicorn (2 workers × 4 threads) serves 1, then",
        "4 clients, each a respondent of its own on one kept-alive connection, asking as",
        "fast as they are answered. The page's floor renders a hand-written template of the",
        "same HTML size from the same rows; the autosave's floor validates and stores one",
        "answer row (`benchmarks/floor.py`); the fixed string is for reference only.",
        "*Ratio* is the floor's requests per second over ours (target ≤ 2).",
        "",
        "| database | case | clients | ours req/s | ours p95 ms | floor req/s | floor p95 ms "
        "| ratio | fixed string req/s | result |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['database']} | {r['case']} | {r['clients']} | {r['ours']['per_second']} "
            f"| {r['ours']['p95_ms']} | {r['floor']['per_second']} | {r['floor']['p95_ms']} "
            f"| {r['ratio']}× | {r['fixed']['per_second']} "
            f"| {'ok' if r['ok'] and r['ratio'] <= 2 else 'FAILED'} |"
        )
    return [*lines, ""]
