"""Work that can leave the request: the PDF report, bulk e-mail, storing scores,
working out a result and writing a large export.

With TASK_BACKEND=immediate (the default) a task runs at once, inside the
request that asked for it: one server, nothing else to run. With
TASK_BACKEND=database it is queued and ``manage.py db_worker`` (django-tasks-db)
runs it; the request returns at once and the page says the work is under way.
Views call the ``*_start`` helpers and look at the result they get back:
finished means done, otherwise it is queued.

Task arguments are plain ids and strings (they are stored as JSON); a task
fetches its objects again, so it works on what is in the database when it runs.
"""

from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from . import presentation, reports, selectors, services, slides, visuals
from .models import Assessment, PreparedDownload, User

JOB_SECONDS = 10 * 60


def _assessment(assessment_id: int) -> Assessment:
    return Assessment.objects.select_related("organization", "maturity_model", "previous").get(
        pk=assessment_id
    )


def _actor(actor_id: int | None) -> User | None:
    return User.objects.filter(pk=actor_id).first() if actor_id else None


@task()
def report_render(assessment_id: int, language: str) -> int:
    """Render the PDF into the shared report cache; returns its size in bytes."""
    return len(reports.render_assessment_pdf(_assessment(assessment_id), language=language))


@task()
def reports_refresh(assessment_id: int) -> int:
    """Render the report and the deck in every language of the assessment into the
    shared cache, so that the next download is served from it; returns how many files
    were asked for (those already made for the current inputs cost a look each)."""
    cache.delete(_reports_marker(assessment_id))  # a change from now on queues a new run
    assessment = _assessment(assessment_id)
    made = 0
    for language in assessment.languages:
        try:
            reports.render_assessment_pdf(assessment, language=language)
            slides.render_assessment_deck(assessment, language=language)
        except reports.ReportError:  # too few responses yet: nothing to render
            return made
        made += 2
    return made


def reports_refresh_start(assessment: Assessment) -> None:
    """After a change the report shows (a new step of results, a note, the plan, the
    sections, released comments): queue rendering it again, once while a run waits.
    Without a queue nothing: the next download renders it."""
    if queued() and cache.add(_reports_marker(assessment.pk), True, JOB_SECONDS):
        reports_refresh.enqueue(assessment.pk)


def _reports_marker(assessment_id: int) -> str:
    return f"im-assess:reports-job:{assessment_id}"


@task()
def invitations_send(assessment_id: int, base_url: str, actor_id: int | None) -> dict:
    """E-mail every invitation not sent yet: {"sent": n}, or {"error": why}."""
    try:
        sent = services.invitations_send(
            assessment=_assessment(assessment_id), base_url=base_url, actor=_actor(actor_id)
        )
    except ValidationError as error:
        return {"error": " ".join(error.messages)}
    return {"sent": sent}


@task()
def reminders_send(assessment_id: int, group: str, base_url: str, actor_id: int | None) -> dict:
    """Remind one group: {"sent": n}, or {"error": why} (e.g. reminded too recently)."""
    try:
        sent = services.reminders_send(
            assessment=_assessment(assessment_id),
            group=group,
            base_url=base_url,
            actor=_actor(actor_id),
        )
    except ValidationError as error:
        return {"error": " ".join(error.messages)}
    return {"sent": sent}


@task()
def scores_refresh(assessment_id: int) -> int:
    """Store every response's profile that is missing or stale (the settings changed),
    then work out the result once, so that no manager waits for it; returns how many
    profiles were stored."""
    assessment = _assessment(assessment_id)
    stored = services.response_scores_refresh(assessment=assessment)
    selectors.assessment_result(assessment)
    return stored


@task()
def result_refresh(assessment_id: int) -> int:
    """Work out and store the result of what is released now, and the respondents' own
    words of it, unless they are kept already (then this is a few cheap looks); returns
    the result's number of respondents."""
    cache.delete(_refresh_marker(assessment_id))  # a later step queues a new run
    assessment = _assessment(assessment_id)
    released = selectors.release(assessment)
    # The examples and open answers of the step too, so no manager waits for those.
    selectors.released_comments(assessment, released=released)
    selectors.released_open_answers(assessment, released=released)
    respondents = selectors.assessment_result(assessment, released=released).respondents
    # And its charts in every language of the assessment (≈ 0.1 s each, cold).
    for language in assessment.languages:
        with translation.override(language):
            visuals.draw_all(presentation.assessment_story(assessment, reviewing=False))
    reports_refresh_start(assessment)
    return respondents


@task()
def download_build(download_id: str) -> str:
    """Write a prepared download (`services.download_build`); returns its status."""
    download = PreparedDownload.objects.select_related("assessment__maturity_model").get(
        pk=download_id
    )
    services.download_build(download=download)
    return PreparedDownload.objects.values_list("status", flat=True).get(pk=download_id)


def download_start(download: PreparedDownload) -> None:
    """Queue writing the download (without a queue it is written here and now)."""
    download_build.enqueue(str(download.pk))


def queued() -> bool:
    """Whether tasks run in a worker (a queue), not in the request that starts them."""
    return not isinstance(task_backends["default"], ImmediateBackend)


def result_refresh_start(assessment: Assessment) -> None:
    """Queue `result_refresh` after a submission or when a view found the stored result
    older than what is released, once while a run waits; nothing without a queue (the
    next view works the result out itself)."""
    if queued() and cache.add(_refresh_marker(assessment.pk), True, JOB_SECONDS):
        result_refresh.enqueue(assessment.pk)


def _refresh_marker(assessment_id: int) -> str:
    return f"im-assess:result-job:{assessment_id}"


def report_start(assessment: Assessment, language: str):
    """Start rendering the report unless that is already under way; returns the result.

    A marker in the shared cache names the queued job, so a consultant who
    reloads the waiting page does not queue the same report again.
    """
    marker = f"im-assess:report-job:{assessment.pk}:{language}"
    jobs = caches["reports"]
    job_id = jobs.get(marker)
    if job_id is not None:
        try:
            result = report_render.get_result(job_id)
        except Exception:  # the result was pruned or belongs to another backend
            result = None
        if result is not None and result.status in (
            TaskResultStatus.READY,
            TaskResultStatus.RUNNING,
        ):
            return result
    result = report_render.enqueue(assessment.pk, language)
    if not result.is_finished:
        jobs.set(marker, str(result.id), JOB_SECONDS)
    else:
        jobs.delete(marker)
    return result


def succeeded(result) -> bool:
    return result.status == TaskResultStatus.SUCCESSFUL
