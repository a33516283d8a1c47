"""IM Assess benchmarks, side by side with a floor measured in the same run.

Run with `make bench`. Uses its own throw-away SQLite database (or the database
of DATABASE_URL, in a fresh test database), measures in-process with Django's
test client, and writes docs/benchmarks.md. Absolute times depend on the
machine; the ratios to the floor are what to compare.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "im_assess.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # the demo data and static files need it
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.yardstick import yardstick  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
DASHBOARD_RESPONSES = int(os.environ.get("BENCH_DASHBOARD_RESPONSES", "10000"))
EXPORT_RESPONSES = int(os.environ.get("BENCH_EXPORT_RESPONSES", "1000"))


def measure(action, repeat=REPEAT, warmup=3):
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def queries(action):
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def fill(assessment, count, team):
    """`count` submitted responses answering every scored and context question."""
    from questionnaires.models import Answer, Question, Response
    from questionnaires.tokens import token_new

    questions = list(
        Question.objects.filter(model=assessment.maturity_model)
        .exclude(kind="text")
        .prefetch_related("choices")
    )
    options = {q.pk: list(q.choices.all()) for q in questions}
    now = timezone.now()
    for start in range(0, count, 1000):
        batch = Response.objects.bulk_create(
            Response(
                assessment=assessment, team=team, resume_token_hash=token_new()[1], submitted_at=now
            )
            for _ in range(min(1000, count - start))
        )
        Answer.objects.bulk_create(
            (
                Answer(
                    response=r, question=q, choice=options[q.pk][(i + q.pk) % len(options[q.pk])]
                )
                for i, r in enumerate(batch)
                for q in questions
            ),
            batch_size=5000,
        )


def main() -> None:
    from questionnaires import reports, visuals
    from questionnaires.models import Assessment, Invitation, Response, User
    from questionnaires.services import (
        invitation_token,
        salt_new,
    )
    from questionnaires.tokens import token_for_salt, token_hash

    call_command("migrate", verbosity=0)
    call_command("load_maturity_model", verbosity=0)
    call_command("seed_demo", verbosity=0)
    demo = Assessment.objects.get(title="IM-scan EPD 2026")
    team = demo.organization.teams.first()
    rows = []

    def row(what, app, floor=None, target="", n_queries=""):
        ratio = f"{app[0] / floor[0]:.1f}×" if floor else ""
        rows.append(
            (
                what,
                f"{app[0]:.1f}",
                f"{app[1]:.1f}",
                f"{floor[0]:.1f}" if floor else "",
                ratio,
                target,
                str(n_queries),
            )
        )
        print(rows[-1], flush=True)

    with override_settings(ROOT_URLCONF="benchmarks.urls", ALLOWED_HOSTS=["testserver"]):
        client = Client()
        # A respondent with a session, on a page with five questions (D2).
        salt = salt_new()
        invitation = Invitation.objects.create(
            assessment=demo, team=team, token_salt=salt,
            token_hash=token_hash(token_for_salt("invitation", salt)),
        )  # fmt: skip
        client.get(f"/s/{invitation_token(invitation)}/")
        response = Response.objects.get(invitation=invitation)
        size = len(client.get("/survey/page/2/").content)
        floor_page = measure(lambda: client.get(f"/floor/page/2/?size={size}"))
        page = measure(lambda: client.get("/survey/page/2/"))
        row(
            "questionnaire page GET (one dimension)",
            page,
            floor_page,
            "≤ 2× floor, ≤ 10 queries",
            queries(lambda: client.get("/survey/page/2/")),
        )
        floor_save = measure(lambda: client.get(f"/floor/save/?response={response.pk}&count=5"))
        counter = {"n": 100}

        def plain_autosave():
            counter["n"] += 1
            client.post(
                "/floor/autosave/",
                f'{{"question": "D2.2", "value": "agree-{counter["n"] % 5 + 1}", '
                f'"sequence": {counter["n"]}}}',
                content_type="application/json",
            )

        def autosave():
            counter["n"] += 1
            client.post(
                "/survey/save/",
                f'{{"question": "D2.2", "value": "agree-{counter["n"] % 5 + 1}", '
                f'"sequence": {counter["n"]}}}',
                content_type="application/json",
            )

        row(
            "autosave POST (one answer)",
            measure(autosave),
            measure(plain_autosave),
            "≤ 2× floor",
            queries(autosave),
        )
        data = {
            "move": "next",
            "q-D2.1": "level-3",
            "q-D2.2": "agree-4",
            "q-D2.3": "agree-2",
            "q-D2.4": "agree-5",
            "q-D2.5": "dont_know",
            "comment-D2.1": "Voorbeeld",
        }
        page_save = measure(lambda: client.post("/survey/page/2/", data))
        row(
            "page save POST (five answers)",
            page_save,
            floor_save,
            "≤ 2× floor",
            queries(lambda: client.post("/survey/page/2/", data)),
        )

        def whole_questionnaire():
            salt = salt_new()
            fresh = Invitation.objects.create(
                assessment=demo, team=team, token_salt=salt,
                token_hash=token_hash(token_for_salt("invitation", salt)),
            )  # fmt: skip
            respondent = Client()
            total = 0.0
            steps = [("get", f"/s/{invitation_token(fresh)}/", None),
                     ("post", "/survey/", {"q-C1": "end_user", "q-C3": "IM-2.2"})]  # fmt: skip
            from questionnaires import selectors as sel

            outline = sel.survey_outline(demo.maturity_model)
            for number, _code, _ids in outline:
                page = sel.survey_page(demo.maturity_model, number, outline)
                answers = {"move": "next"}
                for q in page.questions:
                    first = q.choices.first()
                    answers[f"q-{q.code}"] = first.code if first else "Meer tijd"
                steps.append(("post", f"/survey/page/{number}/", answers))
            steps += [("get", "/survey/review/", None), ("post", "/survey/submit/", {})]
            for method, url, payload in steps:
                start = time.perf_counter()
                getattr(respondent, method)(url, payload) if payload is not None else getattr(
                    respondent, method
                )(url)
                total += (time.perf_counter() - start) * 1000
            return total

        whole = sorted(whole_questionnaire() for _ in range(8))
        row(
            "whole questionnaire, open → submit (server time)",
            (statistics.median(whole), whole[-1]),
            None,
            "≤ 300 ms",
        )

        # Dashboard over many responses.
        manager = User.objects.get(email="manager@demo.local")
        big = Assessment.objects.create(
            organization=demo.organization, maturity_model=demo.maturity_model,
            title="Benchmark", status="closed",
        )  # fmt: skip
        started = time.perf_counter()
        fill(big, DASHBOARD_RESPONSES, team)
        print(f"filled {DASHBOARD_RESPONSES} responses in {time.perf_counter() - started:.0f} s")
        viewer = Client()
        viewer.force_login(manager)
        start = time.perf_counter()
        viewer.get(f"/dashboard/{big.pk}/")
        cold = (time.perf_counter() - start) * 1000
        warm = measure(lambda: viewer.get(f"/dashboard/{big.pk}/"), repeat=5, warmup=1)
        row(
            f"dashboard, {DASHBOARD_RESPONSES:,} responses made in bulk (warm; the first "
            f"view, nothing stored or worked out yet: {cold:.0f} ms; docs/scale.md for more)",
            warm,
            None,
            "≤ 300 ms warm, ≤ 2 s cold",
            queries(lambda: viewer.get(f"/dashboard/{big.pk}/")),
        )
        export = Assessment.objects.create(
            organization=demo.organization, maturity_model=demo.maturity_model, title="Export"
        )
        fill(export, EXPORT_RESPONSES, team)
        consultant = Client()
        consultant.force_login(User.objects.get(email="consultant@demo.local"))

        def download():
            streamed = consultant.get(f"/workspace/assessments/{export.pk}/export/csv/")
            return b"".join(streamed.streaming_content)

        row(
            f"raw-answer CSV export, {EXPORT_RESPONSES:,} responses",
            measure(download, repeat=5, warmup=1),
            None,
            "≤ 1 s, constant queries",
            queries(download),
        )

        # The PDF report against a plain WeasyPrint document with the same page count:
        # full pages of running text, no stylesheet, no images (benchmarks/floor.py).
        import io
        import re

        from django.core.cache import caches
        from pypdf import PdfReader
        from weasyprint import HTML

        from benchmarks.floor import pdf_floor
        from questionnaires.performance import collector_paused

        def report():
            caches["reports"].clear()
            return reports.render_assessment_pdf(demo, language="nl")

        def plain_pdf(html):
            # As the report is laid out: with the cyclic garbage collector paused.
            with collector_paused():
                return HTML(string=html).write_pdf()

        pages = len(PdfReader(io.BytesIO(report())).pages)
        plain = pdf_floor(pages)
        floor_pdf = measure(lambda: plain_pdf(plain), repeat=5, warmup=1)
        row(f"PDF report of the demo ({pages} pages)", measure(report, repeat=5, warmup=1),
            floor_pdf, "≤ 3× floor (as many pages)")  # fmt: skip
        # For comparison: the report's own print HTML, with no stylesheet and no charts.
        bare = re.sub(r"<svg.*?</svg>", "", reports.report_html(demo, language="nl"), flags=re.S)
        bare_pages = len(HTML(string=bare).render().pages)
        row(
            f"(the report's own HTML, no stylesheet or charts: {bare_pages} pages)",
            measure(lambda: plain_pdf(bare), repeat=5, warmup=1),
            floor_pdf,
        )
        reports.render_assessment_pdf(demo, language="nl")
        row(
            "cached report download",
            measure(lambda: consultant.get(f"/dashboard/{demo.pk}/report.pdf?lang=nl"), repeat=10),
            None,
            "≤ 50 ms",
        )
        # The deck, cold (its charts kept, as after the report), beside python-pptx with
        # as many slides and the same pictures; then a download after a change of a
        # note, once the worker has rendered the report again (tasks.reports_refresh).
        import io as _io

        from pptx import Presentation

        from benchmarks.floor import plain_deck
        from questionnaires import slides, tasks

        def deck():
            caches["reports"].delete(reports.report_key(demo, language="nl") + ":deck")
            return slides.render_assessment_deck(demo, language="nl")

        made = Presentation(_io.BytesIO(deck()))
        images = [shape.image.blob for slide in made.slides for shape in slide.shapes
                  if shape.shape_type == 13]  # fmt: skip
        count = len(made.slides)
        floor_deck = measure(lambda: plain_deck(count, images), repeat=5, warmup=1)
        row(f"deck of the demo ({count} slides, charts kept)", measure(deck, repeat=5, warmup=1),
            floor_deck, "≤ 3× floor")  # fmt: skip
        from questionnaires.services import note_set

        note_set(assessment=demo, subject="summary", language="nl", text="Bench: een wijziging.",
                 actor=User.objects.get(email="consultant@demo.local"))  # fmt: skip
        tasks.reports_refresh.call(demo.pk)  # what the worker does after the change
        row(
            "report download after a change (the worker rendered it)",
            measure(lambda: consultant.get(f"/dashboard/{demo.pk}/report.pdf?lang=nl"), repeat=10),
            None,
            "≤ 50 ms",
        )
        # Each chart of the demo's story, drawn cold and kept (warm), beside the floor:
        # a bare matplotlib figure with one empty plot, saved as SVG.
        from benchmarks.floor import empty_plot_svg
        from questionnaires import presentation

        story = presentation.assessment_story(demo, reviewing=False)
        # The heatmap compares teams once an assessment has closed: the 2025 cycle's.
        closed = Assessment.objects.get(title="IM-scan EPD 2025")
        closed_story = presentation.assessment_story(closed, reviewing=False)
        floor_chart = measure(empty_plot_svg, repeat=10)
        row("(floor: Figure().savefig of an empty plot, SVG)", floor_chart, None, "")
        drawings = {
            "radar (laptop and report)": story["radar"],
            "radar (phone)": story["radar_phone"],
            "phase profile": story["phase_chart"],
            "distribution per dimension": story["distribution_chart"],
            "trend over the cycles": story["trend_chart"],
            "team heatmap (report)": visuals.heatmap_charts(closed_story, "nl")[0],
        }
        for name, drawing in drawings.items():

            def cold(drawing=drawing):
                drawing.chart.cache_clear()
                drawing.chart.svg(**drawing.data)

            row(f"chart: {name}, drawn", measure(cold, repeat=10), floor_chart, "≤ 3× floor")
            drawing.svg()
            row(f"chart: {name}, kept", measure(drawing.svg, repeat=50), None, "≤ 1 ms")

    write(rows, yardstick())


def write(rows, stick: float) -> None:
    header = ("what", "median ms", "p95 ms", "floor ms", "ratio", "target", "queries")
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `make bench` on "
        f"{connection.vendor}, in-process (Django test client, DEBUG on), {os.cpu_count()} cores. "
        "The floor is plain Django doing the same work in the same run "
        "(`benchmarks/floor.py`); compare ratios, not milliseconds. The machine's "
        f"yardstick (a fixed pure-Python loop, `benchmarks/yardstick.py`): {stick:.0f} ms.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
        "The PDF floor is a plain WeasyPrint document with exactly the report's page count: "
        "full A4 pages of running text, no stylesheet, no images (`benchmarks/floor.py`, "
        "`pdf_floor`; the page count is checked), laid out like the report with the cyclic garbage "
        "collector paused. The row in brackets renders the report's own "
        "print HTML without its stylesheet and charts, for comparison.",
        "",
        "Against gunicorn (200 respondents, bursts, kill -9, autosaves per second beside a raw "
        "WSGI floor): `make load`, in docs/load.md.",
        "",
    ]
    target = ROOT / "docs" / "benchmarks.md"
    target.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
