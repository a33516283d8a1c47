"""A small version of the load and crash test, against a real gunicorn (issue 8, 4 and 5).

benchmarks/load.py does the full runs (200 respondents over 60 s, a burst of 200
within 5 s, kill -9 mid-way); here 24 respondents show the same guarantees in a
few seconds, on the database this suite runs on (SQLite, or PostgreSQL when
DATABASE_URL is set): no server error, every acknowledged save stored, every
respondent submitted once, no token in the server's log.
"""

import http.server
import os
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import load

DATABASE = "postgres" if os.environ.get("DATABASE_URL") else "sqlite"


@pytest.fixture(autouse=True)
def _postgres_server(monkeypatch):
    if DATABASE == "postgres":
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        monkeypatch.setenv("LOAD_POSTGRES_URL", url)


def _assert_ok(report):
    assert report["server_errors"] == 0, report
    assert report["client_errors"] == [], report
    assert report["lost_saves"] == [], report
    assert report["submitted"] == report["respondents"], report
    assert report["responses"] == report["respondents"], report
    assert report["integrity"] in {"ok", "n/a"}, report
    assert not report["token_in_log"] and report["access_log_redacted"], report
    assert report["ok"]


def test_spread_load_on_gunicorn():
    report = load.run(respondents=24, duration=4, database=DATABASE, clients=8, quiet=True)
    _assert_ok(report)
    assert report["acknowledged_saves"] >= 24 * 20  # three context answers, five pages


def test_kill_9_mid_load_loses_no_acknowledged_save():
    report = load.run(
        respondents=24, duration=6, database=DATABASE, clients=8, kill=True, quiet=True
    )
    _assert_ok(report)


def test_a_submit_run_again_after_it_had_landed_is_no_error():
    # When the server dies after it took a submit but before the client heard so, the
    # client runs the submit again (as in the kill -9 run): the review page now leads to
    # the thanks page, and submitting from there once more is harmless.
    workdir, env, prepared = load.prepare(DATABASE, 1)
    server = load.Server(env, load.free_port(), workdir, workers=1, threads=2)
    server.start()
    try:
        respondent = load.Respondent(server.port, prepared["tokens"][0], "r@load.example", 0)
        outcome = respondent.run()
        respondent.submit()
    finally:
        server.stop()
        if DATABASE == "postgres":
            load.postgres_database(env, create=False)
        shutil.rmtree(workdir, ignore_errors=True)
    assert outcome.submitted
    assert outcome.errors == []
    assert all(status < 500 for status in outcome.statuses)


def test_an_answer_cut_off_by_the_server_going_down_is_tried_again():
    # kill -9 can land while the server writes an answer: the client then reads fewer
    # bytes than announced. That is the server being away, like a refused connection,
    # and the client tries again instead of giving up.
    answers = []

    class CutOff(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            # Counted before answering: the client may be done reading before this
            # thread would get past the write.
            first = not answers
            answers.append(self.path)
            body = b"<p>ok</p>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body) + (1000 if first else 0)))
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CutOff)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        respondent = load.Respondent(server.server_address[1], "token", "r@load.example", 0)
        status, _location, text = respondent.retrying(
            lambda: respondent.request("GET", "/page/"), deadline=time.monotonic() + 10
        )
    finally:
        server.shutdown()
        server.server_close()
    assert (status, text) == (200, "<p>ok</p>")
    assert answers == ["/page/", "/page/"]
    assert respondent.outcome.retries == 1
    assert respondent.outcome.statuses == [200]


def test_the_respondents_page_and_autosave_are_measured_beside_their_floors():
    from benchmarks.respondent import respondent_requests

    rows = respondent_requests(database=DATABASE, seconds=0.5)
    assert [(row["case"], row["clients"]) for row in rows] == [
        ("questionnaire page GET", 1),
        ("autosave POST (one answer)", 1),
        ("questionnaire page GET", 4),
        ("autosave POST (one answer)", 4),
    ]
    for row in rows:
        assert row["ok"], row  # every request of ours, of the floors and the fixed string: 200
        assert row["ours"]["per_second"] > 0 and row["floor"]["per_second"] > 0
