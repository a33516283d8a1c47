"""What a result costs as an assessment grows: a curve, side by side with a floor.

Run with `make bench` (after benchmarks/run.py) or on its own:
`python benchmarks/scale.py [--sizes 1000,10000,50000]`. One closed assessment grows
to each size with realistic responses (eight teams, roles and perceived phases, every
scored question, comments on a quarter of the level answers, released, open answers,
a previous cycle of 1,000 responses); at each size it measures, in this process:

- the manager's dashboard (the whole view, in this process): cold (the cache
  emptied, as after a flush or on a new server: the stored result is read) and warm,
  with the peak Python memory (tracemalloc) of the cold one;
- the cold result (`selectors.assessment_result`, cache emptied) and what working
  it out again costs (the stored result gone too: what the task queue does after each
  released step, from the stored profiles), with its peak memory;
- the floor: a plain `values_list` read of the stored profiles;
- the result scored from every answer, as before the profiles were stored;
- a CPU yardstick (a fixed pure-Python loop), so that a slow machine can be told
  from a slow app.

Writes docs/scale.md.
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "im_assess.settings")
from benchmarks.load import production_env  # noqa: E402

# Production settings, as a server runs (DEBUG off: no query log, no debug pages).
SCRATCH = Path(tempfile.mkdtemp(prefix="im-assess-scale-"))
os.environ.update(production_env(SCRATCH))
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(SCRATCH / "scale.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.memory import serving_env, task_peak, worker_peaks  # noqa: E402
from benchmarks.yardstick import yardstick  # noqa: E402

TEAMS = 8
PASSWORD = "schaal-meten-2026"
COMMENT_SHARE = 4  # one level answer in four carries a comment


def grow(assessment, teams, questions, start: int, stop: int, rng: random.Random) -> None:
    """Responses number ``start`` to ``stop``, each answering every scored and context
    question, with comments and open answers, stored as submitting stores them."""
    from questionnaires.models import Answer, Response
    from questionnaires.services import response_scores_refresh
    from questionnaires.tokens import token_new

    now = timezone.now()
    for first in range(start, stop, 1000):
        batch = Response.objects.bulk_create(
            Response(
                assessment=assessment,
                team=teams[(first + i) % len(teams)],
                resume_token_hash=token_new()[1],
                submitted_at=now,
            )
            for i in range(min(1000, stop - first))
        )
        answers = []
        for response in batch:
            leaning = rng.randint(-1, 1)  # a respondent who sees things higher or lower
            for question, choices in questions:
                if question.kind == "text":
                    if rng.random() < 0.3:
                        answers.append(
                            Answer(response=response, question=question, text="Meer tijd.")
                        )
                    continue
                if question.kind in ("level", "likert") and rng.random() < 0.05:
                    answers.append(
                        Answer(response=response, question=question, special="dont_know")
                    )
                    continue
                index = min(len(choices) - 1, max(0, rng.randrange(len(choices)) + leaning))
                comment = ""
                if question.kind == "level" and rng.randrange(COMMENT_SHARE) == 0:
                    comment = f"Voorbeeld {rng.randrange(40)}"
                answers.append(
                    Answer(
                        response=response,
                        question=question,
                        choice=choices[index],
                        comment=comment,
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=5000)
    response_scores_refresh(assessment=assessment)


def csv_size(assessment) -> int:
    """The CSV download made, and dropped: its size in characters."""
    from questionnaires import exports

    return sum(map(len, exports.responses_csv_lines(assessment, delimiter=";", bom=True)))


def answer_floor(assessment) -> int:
    """The CSV's floor: a plain `values_list` read of the same answer rows (their six
    columns of plain ids and texts), written as they come by the standard library's
    `csv.writer`, in the same pieces."""
    from questionnaires import selectors
    from questionnaires.models import Answer, Response

    counted = selectors.counted_responses(Response.objects.filter(assessment=assessment))
    rows = Answer.objects.filter(response__in=counted.values("pk")).values_list(
        "response_id", "question_id", "choice_id", "special", "text", "comment"
    )
    return _written(rows)


def joined_floor(assessment) -> int:
    """For reference, what plain Django does for the same file: one `values_list` with
    the same columns (names by joins, as the ORM does them; all but the role), through
    `csv.writer`."""
    from questionnaires import selectors
    from questionnaires.models import Answer, Response

    counted = selectors.counted_responses(Response.objects.filter(assessment=assessment))
    rows = (
        Answer.objects.filter(response__in=counted.values("pk"))
        .order_by("response_id", "question_id")
        .values_list(
            "response_id",
            "response__submitted_at",
            "response__team__name",
            "question__code",
            "question__dimension__code",
            "question__phase__code",
            "question__kind",
            "choice__order",
            "special",
            "text",
            "comment",
        )
    )
    return _written(rows)


def _written(rows) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    size = 0
    for number, row in enumerate(rows.iterator(chunk_size=5000), start=1):
        writer.writerow(row)
        if number % 1000 == 0:
            size += len(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    return size + len(buffer.getvalue())


def timed(action):
    start = time.perf_counter()
    value = action()
    return (time.perf_counter() - start) * 1000, value


def peak_mib(action) -> float:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    from django.test import Client

    from questionnaires import scoring, selectors
    from questionnaires.models import (
        Assessment,
        MaturityModel,
        Membership,
        Organization,
        Question,
        ResponseScores,
        StoredResult,
        Team,
        User,
    )

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,50000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_maturity_model", verbosity=0)
    model = MaturityModel.objects.filter(is_published=True).latest("published_at")
    organization = Organization.objects.create(name="Schaal BV")
    teams = [Team.objects.create(organization=organization, name=f"Team {i}") for i in range(TEAMS)]
    questions = [
        (question, list(question.choices.order_by("order")))
        for question in Question.objects.filter(model=model).prefetch_related("choices")
    ]
    rng = random.Random(17)
    previous = Assessment.objects.create(
        organization=organization, maturity_model=model, title="Schaal 2025", status="closed"
    )
    grow(previous, teams, questions, 0, 1000, rng)
    assessment = Assessment.objects.create(
        organization=organization,
        maturity_model=model,
        title="Schaal",
        status="closed",
        previous=previous,
        comments_released=True,
    )
    manager = User.objects.create_user(email="manager@schaal.example", password="x")
    Membership.objects.create(user=manager, organization=organization, role=Membership.Role.MANAGER)
    consultant = User.objects.create_user(email="adviseur@schaal.example", password=PASSWORD)
    Membership.objects.create(
        user=consultant, organization=organization, role=Membership.Role.CONSULTANT
    )
    export = f"/workspace/assessments/{assessment.pk}/export"
    workdir = SCRATCH
    served_env = serving_env(
        workdir,
        {"DATABASE_URL": os.environ["DATABASE_URL"]}
        if os.environ.get("DATABASE_URL")
        else {"SQLITE_PATH": os.environ["SQLITE_PATH"]},
    )
    served = {}
    browser = Client()
    browser.force_login(manager)
    dashboard = f"/dashboard/{assessment.pk}/"

    def view():
        page = browser.get(dashboard, HTTP_ACCEPT_LANGUAGE="nl")
        assert page.status_code == 200, page.status_code
        return page

    rows = []
    have = 0
    for size in sizes:
        grow_ms, _ = timed(
            lambda have=have, size=size: grow(assessment, teams, questions, have, size, rng)
        )
        have = size

        def cold():
            cache.clear()
            return selectors.assessment_result(assessment)

        def again():
            cache.clear()
            StoredResult.objects.all().delete()
            return selectors.assessment_result(assessment)

        def view_cold():
            cache.clear()
            return view()

        again()  # the first read after growing also warms the database's pages
        again_ms = min(timed(again)[0] for _ in range(3))
        again_mib = peak_mib(again)
        cold_ms = min(timed(cold)[0] for _ in range(3))
        view_cold_ms = min(timed(view_cold)[0] for _ in range(3))
        view_mib = peak_mib(view_cold)
        view()
        view_warm_ms = sorted(timed(view)[0] for _ in range(9))[4]
        floor_ms = min(
            timed(
                lambda: list(
                    ResponseScores.objects.filter(response__assessment=assessment).values_list(
                        "response_id", "profile"
                    )
                )
            )[0]
            for _ in range(3)
        )

        def from_answers():
            before = scoring.score_assessment(selectors.assessment_scoring_input(previous))
            return scoring.score_assessment(
                selectors.assessment_scoring_input(assessment, previous=before)
            )

        raw_ms, raw = timed(from_answers)
        raw_mib = peak_mib(from_answers)
        assert raw == cold(), "the stored path must give exactly the result of every answer"
        rows.append(
            (
                size,
                view_cold_ms,
                view_mib,
                view_warm_ms,
                cold_ms,
                again_ms,
                again_mib,
                floor_ms,
                raw_ms,
                raw_mib,
                grow_ms,
                yardstick(),
            )
        )
        print(rows[-1], flush=True)
        built = {kind: task_peak(served_env, assessment.pk, kind) for kind in ("csv", "xlsx")}
        built["csv_ms"] = min(timed(lambda: csv_size(assessment))[0] for _ in range(2))
        built["csv_floor_ms"] = min(timed(lambda: answer_floor(assessment))[0] for _ in range(2))
        built["csv_joined_ms"] = timed(lambda: joined_floor(assessment))[0]
        pages = [
            ("dashboard", f"/dashboard/{assessment.pk}/"),
            ("JSON results", f"{export}/json/"),
            ("CSV file", f"/workspace/downloads/{built['csv']['id']}/file/"),
            ("Excel file", f"/workspace/downloads/{built['xlsx']['id']}/file/"),
        ]
        served[size] = (built, worker_peaks(served_env, workdir, pages, consultant.email, PASSWORD))
        print(served[size], flush=True)
    write(rows, served)


def write(rows, served) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# A result as the assessment grows",
        "",
        f"Measured {stamp} with `python benchmarks/scale.py` (part of `make bench`) on "
        f"{connection.vendor}, in-process with production settings (DEBUG off), 2 cores, "
        f"yardstick {rows[0][-1]:.0f} ms. One closed assessment grows to each size: "
        f"{TEAMS} teams, roles and perceived phases, every scored question, 5 % "
        '"don\'t know", a comment on a quarter of the level answers (released), open '
        "answers, a previous cycle of 1,000 responses. "
        "The *dashboard* is the manager's whole page (test client, in this process; "
        "memory is the peak of Python allocations, tracemalloc): *cold* with the "
        "in-process cache emptied (a new worker or server, a restart), so the stored "
        "result and the shared cache (the examples, the response rates) are read; *warm* "
        "from the in-process cache. *Result cold* is `selectors.assessment_result` with "
        "the cache emptied; "
        "*working it out* is the same with the stored result gone too (what the task "
        "queue does after each released step, from the stored profiles); its *floor* "
        "is a plain `values_list` read of the stored profiles. *From answers* scores "
        "every answer, as every cold result did before the profiles were stored (the "
        "two results are asserted equal). The yardstick is a fixed pure-Python loop: a "
        "slower machine shows in it first.",
        "",
        "| responses | dashboard cold ms | its peak MiB | dashboard warm ms | result cold ms "
        "| working it out ms | its peak MiB | floor ms | from answers ms "
        "| from answers peak MiB | adding them (and storing profiles) ms | yardstick ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (
        size,
        view_cold,
        view_mib,
        view_warm,
        cold,
        again,
        again_mib,
        floor,
        raw,
        raw_mib,
        grow,
        stick,
    ) in rows:
        lines.append(
            f"| {size:,} | {view_cold:.0f} | {view_mib:.0f} | {view_warm:.0f} | {cold:.0f} "
            f"| {again:.0f} | {again_mib:.0f} | {floor:.0f} | {raw:.0f} | {raw_mib:.0f} "
            f"| {grow:.0f} | {stick:.0f} |"
        )
    names = [peak.page for peak in next(iter(served.values()))[1]]
    lines += [
        "",
        "## Writing a large export, and a worker's memory while it serves one request",
        "",
        "An export of more than 400,000 CSV or 50,000 Excel rows is written by a task "
        "(`services.download_build`), here in a process of its own as a task worker "
        "runs it: its time, the file's size and the process's peak memory (VmHWM).",
        "",
        "Beside it, in this process, the CSV made (`exports.responses_csv_lines`) against "
        "its floor: a plain `values_list` read of the same answer rows (their six columns "
        "of ids and texts), written as they come by the standard library's `csv.writer` "
        "in the same pieces. For reference, *plain Django* writes the same columns from "
        "one `values_list` with the names by joins (all but the role).",
        "",
        "| responses | answer rows | CSV task: s · MB · peak MiB | Excel task: s · MB · peak MiB "
        "| CSV ms | floor ms | CSV / floor | plain Django ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, (built, _peaks) in served.items():
        csv_, xlsx = built["csv"], built["xlsx"]
        lines.append(
            f"| {size:,} | {csv_['rows']:,} "
            f"| {csv_['seconds']:.1f} · {csv_['megabytes']:.1f} · {csv_['peak_mib']:.0f} "
            f"| {xlsx['seconds']:.1f} · {xlsx['megabytes']:.1f} · {xlsx['peak_mib']:.0f} "
            f"| {built['csv_ms']:.0f} | {built['csv_floor_ms']:.0f} "
            f"| {built['csv_ms'] / built['csv_floor_ms']:.2f}× | {built['csv_joined_ms']:.0f} |"
        )
    lines += [
        "",
        "Then each page is served by a fresh gunicorn with one worker on the same database "
        "(`benchmarks/memory.py`; production settings, so an empty in-process cache: the "
        "dashboard reads the stored result), logged in as the consultant; the body is "
        "read and dropped as it streams. *Idle* is the worker's resident memory before "
        "the request, *peak* its high-water mark (VmHWM) after it.",
        "",
        "| responses | " + " | ".join(f"{name}: s · MB · idle → peak MiB" for name in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for size, (_built, peaks) in served.items():
        cells = [
            f"{peak.seconds:.1f} · {peak.megabytes:.1f} · {peak.idle_mib:.0f} → "
            f"{peak.peak_mib:.0f}" + ("" if peak.status == 200 else f" (status {peak.status})")
            for peak in peaks
        ]
        lines.append(f"| {size:,} | " + " | ".join(cells) + " |")
    lines += ["", "## Against the targets of issue #17", "", *verdicts(rows, served), ""]
    (ROOT / "docs" / "scale.md").write_text("\n".join(lines))


def verdicts(rows, served) -> list[str]:
    """One line per target, met or not, from the figures above."""
    smallest, largest = rows[0], rows[-1]
    peaks = [peak.peak_mib for _built, pages in served.values() for peak in pages]
    peaks += [
        built[kind]["peak_mib"] for built, _pages in served.values() for kind in ("csv", "xlsx")
    ]
    ratios = [built["csv_ms"] / built["csv_floor_ms"] for built, _pages in served.values()]
    checks = [
        (
            f"the dashboard cold ≤ 500 ms at {largest[0]:,} responses: {largest[1]:.0f} ms",
            largest[1] <= 500,
        ),
        (
            f"…and ≤ 2× its time at {smallest[0]:,}: {largest[1] / smallest[1]:.1f}×",
            largest[1] <= 2 * smallest[1],
        ),
        (
            "the warm dashboard ≤ 50 ms at every size: "
            + ", ".join(f"{row[3]:.0f}" for row in rows)
            + " ms",
            all(row[3] <= 50 for row in rows),
        ),
        (
            f"a worker's or task's peak memory ≤ 200 MiB: at most {max(peaks):.0f} MiB",
            max(peaks) <= 200,
        ),
        (
            "the CSV ≤ 1.5× its floor at every size: "
            + ", ".join(f"{ratio:.2f}×" for ratio in ratios),
            all(ratio <= 1.5 for ratio in ratios),
        ),
    ]
    return [f"- {'met' if met else '**not met**'}: {text}" for text, met in checks]


if __name__ == "__main__":
    main()
