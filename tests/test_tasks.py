"""PDF reports and bulk e-mail: at once without a queue, through it with one (issue 9).

The default backend runs a task inside the request. With the database backend
(django-tasks-db) the request only queues the work, the page says so, and
`manage.py db_worker` does it; the report cache is shared, so the PDF a worker
made is the one the next request downloads.
"""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from questionnaires import reports
from questionnaires.models import Invitation
from questionnaires.tokens import salt_new, token_for_salt, token_hash
from tests.worlds import build_world

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def world(im_model):
    world = build_world(im_model, "A", "TAAK")
    for number in range(3):
        salt = salt_new()
        Invitation.objects.create(
            assessment=world.assessment,
            team=world.teams[0],
            token_salt=salt,
            token_hash=token_hash(token_for_salt("invitation", salt)),
            email=f"persoon{number}@klant.nl",
        )
    return world


@pytest.fixture
def queue(settings):
    settings.TASKS = QUEUE  # django-tasks resets its backends when TASKS changes
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"


def _work():
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO())


def _consultant(client, world):
    client.force_login(world.consultant)
    return client


# --- Without a queue: everything happens in the request ---------------------------------


def test_report_is_rendered_in_the_request_without_a_queue(client, world):
    url = reverse("report-pdf", args=[world.assessment.pk]) + "?lang=nl"
    response = _consultant(client, world).get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert DBTaskResult.objects.count() == 0


def test_invitations_are_sent_in_the_request_without_a_queue(client, world):
    url = reverse("invitations-send", args=[world.assessment.pk])
    page = _consultant(client, world).post(url, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    # The world's own invitation was made outside the app (no salt): no link to send.
    assert len(mail.outbox) == 3
    assert "3 uitnodigingen verstuurd" in page.text


# --- With a queue: the request queues, the worker works --------------------------------


# The worker closes its database connection when it is done, as a real worker does;
# these tests therefore commit (transaction=True) instead of running inside one.
QUEUED = pytest.mark.django_db(transaction=True)


@QUEUED
def test_report_is_queued_then_rendered_by_the_worker(client, world, queue):
    url = reverse("report-pdf", args=[world.assessment.pk]) + "?lang=nl"
    client = _consultant(client, world)
    waiting = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert waiting.status_code == 202
    assert "Het rapport wordt gemaakt" in waiting.text
    assert '<meta http-equiv="refresh"' in waiting.text
    assert reports.cached_report(world.assessment, language="nl") is None
    # Looking again before the worker ran queues nothing new.
    assert client.get(url).status_code == 202
    assert DBTaskResult.objects.count() == 1
    _work()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    ready = client.get(url)
    assert ready.status_code == 200
    assert ready.content.startswith(b"%PDF")
    assert ready.content == reports.cached_report(world.assessment, language="nl")


@QUEUED
def test_a_failed_report_job_says_so_and_can_be_tried_again(client, world, queue, monkeypatch):
    url = reverse("report-pdf", args=[world.assessment.pk]) + "?lang=en"
    client = _consultant(client, world)
    assert client.get(url).status_code == 202

    def broken(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(reports, "render_assessment_pdf", broken)
    _work()
    assert DBTaskResult.objects.get().status == "FAILED"
    # The failed job is not waited for: the next look queues a new one.
    assert client.get(url).status_code == 202
    assert DBTaskResult.objects.count() == 2
    monkeypatch.undo()
    _work()
    assert client.get(url).status_code == 200


@QUEUED
def test_invitations_are_queued_then_sent_by_the_worker(client, world, queue):
    url = reverse("invitations-send", args=[world.assessment.pk])
    page = _consultant(client, world).post(url, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    assert "op de achtergrond verstuurd" in page.text
    assert mail.outbox == []
    _work()
    assert len(mail.outbox) == 3
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 3


@QUEUED
def test_a_large_dashboard_shows_its_last_result_while_the_worker_works_out_the_next(
    client, world, queue, monkeypatch
):
    from questionnaires import selectors, services
    from tests.factories import ResponseFactory, answer_every_level_statement

    assessment = world.assessment
    url = reverse("assessment-dashboard", args=[assessment.pk])
    client.force_login(world.manager)
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")  # nothing stored yet: worked out here
    assert first.status_code == 200
    assert 'id="result-updating"' not in first.text
    shown = first.context["result"].respondents
    monkeypatch.setattr(selectors.results, "INLINE_RESPONDENTS", shown)  # "large"
    for _ in range(assessment.anonymity_threshold):  # one whole step more
        response = ResponseFactory(assessment=assessment, team=world.teams[0])
        answer_every_level_statement(response, choose=True)
        services.response_submit(response=response)
    waiting = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert waiting.context["result"].respondents == shown  # at once, not worked out
    assert 'id="result-updating"' in waiting.text
    assert f"Deze cijfers gaan over {shown} reacties" in waiting.text
    client.get(url)  # looking again queues nothing new
    assert DBTaskResult.objects.count() == 1
    _work()
    # The new step's result, then (queued by it) its report and deck in each language.
    jobs = dict(DBTaskResult.objects.values_list("task_path", "status"))
    assert {path.rsplit(".", 1)[1]: status for path, status in jobs.items()} == {
        "result_refresh": "SUCCESSFUL", "reports_refresh": "SUCCESSFUL",
    }  # fmt: skip
    ready = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert 'id="result-updating"' not in ready.text
    assert ready.context["result"].respondents == shown + assessment.anonymity_threshold


@QUEUED
def test_a_submission_queues_working_out_the_result(client, world, queue):
    from questionnaires.access import RESPONSE_SESSION_KEY
    from questionnaires.models import Response
    from tests.factories import answer_every_level_statement

    client.get(reverse("survey-enter", args=[world.tokens["invitation"]]))
    response = Response.objects.get(pk=client.session[RESPONSE_SESSION_KEY])
    answer_every_level_statement(response, choose=True)
    assert client.post(reverse("survey-submit"))["Location"] == reverse("survey-thanks")
    (job,) = DBTaskResult.objects.all()
    assert job.task_path.endswith("result_refresh")
    _work()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@QUEUED
def test_the_worker_draws_the_charts_so_the_dashboard_reads_them(client, world, queue, monkeypatch):
    from django.core.cache import cache

    from questionnaires import charts, tasks

    tasks.result_refresh.enqueue(world.assessment.pk)
    _work()
    # A web worker that has drawn nothing itself: every chart is in the shared cache.
    cache.clear()
    for chart in charts.ALL:
        chart.cache_clear()
        monkeypatch.setattr(chart, "svg", lambda **_: pytest.fail("drawn by the request"))
    client.force_login(world.manager)
    for language in world.assessment.languages:
        page = client.get(reverse("assessment-dashboard", args=[world.assessment.pk]),
                          HTTP_ACCEPT_LANGUAGE=language)  # fmt: skip
        assert page.status_code == 200
        assert page.text.count("<svg") >= 4


@QUEUED
def test_a_large_export_is_written_by_the_worker_while_its_page_shows_progress(
    client, world, queue, monkeypatch
):
    from questionnaires import exports
    from questionnaires.models import PreparedDownload

    monkeypatch.setitem(exports.DIRECT_ROWS, "xlsx", 1)
    client = _consultant(client, world)
    prepare = reverse("download-prepare", args=[world.assessment.pk, "xlsx"])
    waiting = client.post(prepare, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    assert '<meta http-equiv="refresh"' in waiting.text
    assert "Wacht op een werker" in waiting.text
    download = PreparedDownload.objects.exclude(pk=world.download.pk).get()
    assert download.status == PreparedDownload.Status.QUEUED
    _work()
    download.refresh_from_db()
    assert download.status == PreparedDownload.Status.READY
    ready = client.get(reverse("download-status", args=[download.pk]))
    assert reverse("download-file", args=[download.pk]) in ready.text
    file = client.get(reverse("download-file", args=[download.pk]))
    assert b"".join(file.streaming_content).startswith(b"PK")  # a zip: the workbook


@QUEUED
def test_asking_again_for_a_file_being_written_follows_that_one(client, world, queue, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from questionnaires import exports
    from questionnaires.models import PreparedDownload

    monkeypatch.setitem(exports.DIRECT_ROWS, "csv", 1)
    client = _consultant(client, world)
    prepare = reverse("download-prepare", args=[world.assessment.pk, "csv"])
    first = client.post(prepare)
    again = client.post(prepare, follow=True, HTTP_ACCEPT_LANGUAGE="nl")  # a double click
    assert "wordt al geschreven" in again.text
    (download,) = PreparedDownload.objects.exclude(pk=world.download.pk)
    assert first["Location"] == reverse("download-status", args=[download.pk])
    assert DBTaskResult.objects.count() == 1
    # A worker that stopped half-way: after half an hour it is taken for lost.
    PreparedDownload.objects.filter(pk=download.pk).update(
        created_at=timezone.now() - timedelta(minutes=31)
    )
    lost = client.get(reverse("download-status", args=[download.pk]), HTTP_ACCEPT_LANGUAGE="nl")
    assert '<meta http-equiv="refresh"' not in lost.text
    assert f'action="{prepare}"' in lost.text  # ask again
    client.post(prepare)
    assert PreparedDownload.objects.exclude(pk=world.download.pk).count() == 2
    assert DBTaskResult.objects.count() == 2


@QUEUED
def test_after_a_note_the_worker_renders_the_report_and_deck_again(client, world, queue,
                                                                   monkeypatch):  # fmt: skip
    from questionnaires import reports, slides
    from questionnaires.models import ConsultantNote

    client = _consultant(client, world)
    url = reverse("assessment-notes", args=[world.assessment.pk])
    client.post(url, {"summary|nl": "Een nieuwe samenvatting."})
    client.post(url, {"summary|nl": "Een nieuwe samenvatting, beter."})  # one run waits
    jobs = DBTaskResult.objects.filter(task_path__endswith="reports_refresh")
    assert jobs.count() == 1
    _work()
    assert jobs.get().status == "SUCCESSFUL"
    assert ConsultantNote.objects.get(assessment=world.assessment, language="nl",
                                      subject="summary").text.endswith("beter.")  # fmt: skip
    # Every download is now served from the cache: nothing is rendered in the request.
    monkeypatch.setattr(reports, "_pdf", lambda *_a: pytest.fail("rendered in the request"))
    monkeypatch.setattr(slides, "_deck", lambda *_a: pytest.fail("rendered in the request"))
    for language in world.assessment.languages:
        pdf = client.get(reverse("report-pdf", args=[world.assessment.pk]) + f"?lang={language}")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        deck = client.get(reverse("report-deck", args=[world.assessment.pk]) + f"?lang={language}")
        assert deck.status_code == 200 and deck.content.startswith(b"PK")
