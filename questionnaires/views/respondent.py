"""The respondent's questionnaire: link → welcome → one page per dimension → review → thanks.

Token URLs only bind the session and redirect, so the token never sits in the
address bar of a questionnaire page or in a Referer header.
"""

import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.signing import BadSignature
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import access, presentation, selectors, services, tasks, throttle
from ..forms import AnswersForm, TeamChoiceForm, answer_field_name, comment_field_name
from ..models import Assessment, Question, Response

RESUME_COOKIE = "im_assess_resume_{}"
RESUME_COOKIE_AGE = 60 * 60 * 24 * 120  # four months: longer than any assessment runs
# Autosave numbers count saves of one response: far below this in any honest use.
MAX_SEQUENCE = 2**31 - 1


def _language_for(assessment: Assessment) -> str:
    current = translation.get_language() or "nl"
    offered = assessment.languages or ["nl"]
    return current if current in offered else offered[0]


def _closed_page(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    return render(request, "survey/closed.html", {"assessment": assessment}, status=410)


def _window_page(request: HttpRequest, assessment: Assessment) -> HttpResponse | None:
    state = selectors.assessment_window(assessment)
    if state == selectors.WindowState.CLOSED:
        return _closed_page(request, assessment)
    if state == selectors.WindowState.NOT_OPEN:
        return render(request, "survey/not_open.html", {"assessment": assessment}, status=403)
    return None


@require_GET
@never_cache
def survey_enter(request: HttpRequest, token: str) -> HttpResponse:
    entry = services.survey_entry_find(token=token)
    if entry is None:
        # Only unknown links count and are refused: behind one public address (a
        # hospital's) a guesser must not lock out everyone with a valid link. Counted
        # first, shared by every worker, then the minute's total decides.
        address = throttle.client_address(request)
        limit = settings.TOKEN_FAILURE_LIMIT
        if throttle.record_failure("token", address) > limit:
            seconds = throttle.retry_after("token", address, limit)
            page = render(request, "survey/too_many.html", {"seconds": seconds}, status=429)
            page["Retry-After"] = str(seconds)
            return page
        return render(request, "survey/not_found.html", status=404)
    assessment = entry.assessment
    response = entry.response
    if entry.team_link is not None:
        # Whoever answered on this device before continues, or sees their thanks page.
        response = _earlier_visit(request, assessment, entry.team_link.pk)
    if response is not None and response.submitted_at is not None:
        access.respondent_bind(request, response)
        return redirect("survey-thanks")
    if (blocked := _window_page(request, assessment)) is not None:
        return blocked
    cookie_token = None
    if entry.invitation is not None:
        response = services.response_start_from_invitation(
            invitation=entry.invitation, language=_language_for(assessment)
        )
    elif entry.team_link is not None and response is None:
        try:
            response, cookie_token = services.response_start_from_team_link(
                team_link=entry.team_link, language=_language_for(assessment)
            )
        except services.LinkUsedUp:
            return render(request, "survey/used_up.html", status=410)
    assert response is not None
    access.respondent_bind(request, response)
    has_answers = response.answers.exists()
    target = (
        reverse("survey-page", args=[_first_open_page(response)])
        if has_answers
        else reverse("survey-welcome")
    )
    result = redirect(target)
    result["Referrer-Policy"] = "no-referrer"
    _keep_language(result, response)
    if cookie_token is not None:
        _remember_on_device(result, request, assessment, cookie_token)
    return result


def _keep_language(result: HttpResponse, response: Response) -> None:
    """A response keeps its own language on any device until the respondent switches."""
    if response.language in (response.assessment.languages or ["nl"]):
        result.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            response.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )


def _remember_on_device(
    result: HttpResponse, request: HttpRequest, assessment: Assessment, token: str
) -> None:
    """The team-link visitor's resume token, so this device finds the response again."""
    result.set_signed_cookie(
        RESUME_COOKIE.format(assessment.pk),
        token,
        salt="resume",
        max_age=RESUME_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def _earlier_visit(request: HttpRequest, assessment: Assessment, link_id: int) -> Response | None:
    """The response a team-link visitor started on this device, submitted or not."""
    token = _resume_token(request, assessment)
    if token is None:
        return None
    entry = services.survey_entry_find(token=token)
    if entry is None or entry.response is None or entry.response.team_link_id != link_id:
        return None
    return entry.response


def _resume_token(request: HttpRequest, assessment: Assessment) -> str | None:
    try:
        return request.get_signed_cookie(
            RESUME_COOKIE.format(assessment.pk), salt="resume", default=None
        )
    except BadSignature:
        return None


def _first_open_page(response: Response) -> int:
    outline = selectors.survey_outline(response.assessment.maturity_model)
    return selectors.response_first_open_page(selectors.response_progress(response, outline))


def _withdrawn(request: HttpRequest) -> HttpResponse:
    """The link this response was made through was revoked: no more answers through it."""
    if request.content_type == "application/json":  # the page's autosave
        message = _("This link was withdrawn by the organiser; nothing more can be saved.")
        return JsonResponse({"error": message}, status=410)
    return render(request, "survey/withdrawn.html", status=410)


def respondent_view(*, allow_submitted: bool = False):
    """Find the session's response; handle an expired session, closing and submission.

    Answers are personal: no page of the questionnaire may be stored by a cache.
    """

    def decorator(view):
        @never_cache
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = access.respondent_response(request)
            if response is None:
                return render(request, "survey/session_expired.html", status=403)
            if response.submitted_at is None and services.response_link_revoked(response):
                return _withdrawn(request)
            if response.submitted_at is not None and not allow_submitted:
                messages.info(request, _("You have already submitted your answers. Thank you!"))
                return redirect("survey-thanks")
            if (
                not allow_submitted
                and (blocked := _window_page(request, response.assessment)) is not None
            ):
                return blocked
            with translation.override(_language_for(response.assessment)):
                return view(request, response, *args, **kwargs)

        return wrapper

    return decorator


def _survey_context(request: HttpRequest, response: Response, outline, number: int | None):
    assessment = response.assessment
    pages = len(outline)
    return {
        "assessment": assessment,
        "response": response,
        "page_count": pages,
        "page_number": number,
        "progress_percent": round(100 * (number or 0) / pages) if pages else 0,
        "resume_url": _resume_url(request, response),
    }


def _resume_url(request: HttpRequest, response: Response) -> str | None:
    if response.team_link_id is None:
        return None  # a personal invitation link is itself the resume link
    token = _resume_token(request, response.assessment)
    entry = services.survey_entry_find(token=token) if token else None
    if entry is None or entry.response is None or entry.response.pk != response.pk:
        return None
    return request.build_absolute_uri(reverse("survey-enter", args=[token]))


def _save_form(request, response: Response, form: AnswersForm) -> bool:
    if form.unknown_fields():
        messages.error(
            request,
            _("Your answers could not be saved because the form was changed. Please try again."),
        )
        return False
    if not form.is_valid():
        return False
    entries = [
        services.AnswerInput(question=question, value=value or "", comment=comment)
        for question, value, comment in form.answers()
    ]
    try:
        services.answers_save(
            response=response, answers=entries, language=translation.get_language()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    return True


def _initial(answers, questions) -> dict:
    initial = {}
    for question in questions:
        answer = answers.get(question.pk)
        if answer is None:
            continue
        if question.kind == Question.Kind.TEXT:
            initial[answer_field_name(question)] = answer.text
        elif answer.special:
            initial[answer_field_name(question)] = answer.special
        elif answer.choice_id:
            initial[answer_field_name(question)] = answer.choice.code
        if question.kind == Question.Kind.LEVEL:
            initial[comment_field_name(question)] = answer.comment
    return initial


@require_http_methods(["GET", "POST"])
@respondent_view()
def survey_welcome(request: HttpRequest, response: Response) -> HttpResponse:
    assessment = response.assessment
    questions = selectors.context_questions(assessment.maturity_model)
    ask_team = response.team_id is None and assessment.organization.teams.exists()
    answers = selectors.response_answers(response, [q.pk for q in questions])
    if request.method == "POST":
        form = AnswersForm(request.POST, questions=questions, with_comments=False)
        team_form = TeamChoiceForm(request.POST, organization=assessment.organization)
        team_ok = not ask_team or team_form.is_valid()
        if team_ok and _save_form(request, response, form):
            if ask_team and team_form.cleaned_data["team"] is not None:
                services.response_team_set(response=response, team=team_form.cleaned_data["team"])
            return redirect("survey-page", number=1)
        status = 400 if form.unknown_fields() else 200
    else:
        form = AnswersForm(
            initial=_initial(answers, questions), questions=questions, with_comments=False
        )
        team_form = TeamChoiceForm(organization=assessment.organization)
        status = 200
    outline = selectors.survey_outline(assessment.maturity_model)
    context = _survey_context(request, response, outline, None)
    context |= {
        "form": form,
        "team_form": team_form if ask_team else None,
        "dimension_count": sum(1 for page in outline if page[1] is not None),
        "consultants": assessment.organization.memberships.filter(role="consultant").select_related(
            "user"
        ),
    }
    return render(request, "survey/welcome.html", context, status=status)


@require_http_methods(["GET", "POST"])
@respondent_view()
def survey_page(request: HttpRequest, response: Response, number: int) -> HttpResponse:
    assessment = response.assessment
    outline = selectors.survey_outline(assessment.maturity_model)
    page = selectors.survey_page(assessment.maturity_model, number, outline)
    if page is None:
        return redirect("survey-page", number=1) if number < 1 else redirect("survey-review")
    status = 200
    if request.method == "POST":
        form = AnswersForm(request.POST, questions=page.questions)
        if _save_form(request, response, form):
            move = request.POST.get("move")
            if move == "back":
                return (
                    redirect("survey-page", number - 1)
                    if number > 1
                    else redirect("survey-welcome")
                )
            if move == "review" or number >= len(outline):
                return redirect("survey-review")
            return redirect("survey-page", number + 1)
        status = 400 if form.unknown_fields() else 200
    else:
        answers = selectors.response_answers(response, [q.pk for q in page.questions])
        form = AnswersForm(initial=_initial(answers, page.questions), questions=page.questions)
    _opened(request, response, number)
    context = _survey_context(request, response, outline, number)
    context |= {"page": page, "form": form, "is_last": number >= len(outline)}
    return render(request, "survey/page.html", context, status=status)


PAGES_OPENED = "im_assess_pages_opened"


def _opened(request: HttpRequest, response: Response, number: int) -> None:
    """Remember that this session has the page open (or had): autosave only takes the
    questions of such pages, as the page's own form does."""
    seen = request.session.get(PAGES_OPENED) or {}
    pages = set(seen.get("pages", [])) if seen.get("response") == response.pk else set()
    if number not in pages:
        request.session[PAGES_OPENED] = {"response": response.pk, "pages": sorted(pages | {number})}


def _was_opened(request: HttpRequest, response: Response, number: int) -> bool:
    seen = request.session.get(PAGES_OPENED) or {}
    return seen.get("response") == response.pk and number in seen.get("pages", [])


@require_POST
@respondent_view(allow_submitted=True)
def survey_autosave(request: HttpRequest, response: Response) -> HttpResponse:
    if response.submitted_at is not None:
        message = _("You have already submitted your answers; they can no longer change.")
        return JsonResponse({"error": message}, status=409)
    if selectors.assessment_window(response.assessment) != selectors.WindowState.OPEN:
        return JsonResponse({"error": _("This questionnaire is closed.")}, status=410)
    if request.content_type != "application/json":
        # Only the page's script saves here, always as JSON; a form body is never read
        # as JSON (and a multipart body was already consumed by the form parser).
        return JsonResponse({"error": _("The answer could not be read.")}, status=415)
    try:
        payload = json.loads(request.body.decode("utf-8"))
        code, sequence = payload["question"], payload["sequence"]
        value, comment = payload.get("value"), payload.get("comment")
        if not isinstance(code, str) or type(sequence) is not int:
            raise ValueError
        if not 1 <= sequence <= MAX_SEQUENCE:
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        # RecursionError: JSON nested deeper than the parser goes ("[" × 100,000).
        return JsonResponse({"error": _("The answer could not be read.")}, status=400)
    question = selectors.question_by_code(response.assessment.maturity_model, code)
    if question is None or question.kind == Question.Kind.CONTEXT:
        return JsonResponse(
            {"error": _("This question is not part of your questionnaire.")}, status=400
        )
    outline = selectors.survey_outline(response.assessment.maturity_model)
    number = next((n for n, _code, ids in outline if question.pk in ids), None)
    if number is None or not _was_opened(request, response, number):
        # Only the questions of a page this session opened, as its form would send them.
        message = _("This question is not on a page you have open. Open its page again.")
        return JsonResponse({"error": message}, status=400)
    try:
        if value is not None:
            value = services.answer_input_clean(
                question=question,
                value=value,
                choices={c.code: c for c in question.choices.all()},
            )
        if comment is not None:
            if question.kind != Question.Kind.LEVEL:
                raise ValidationError(_("This question has no comment field."))
            comment = services.comment_clean(comment)
        saved = services.answers_save(
            response=response,
            answers=[services.AnswerInput(question=question, value=value, comment=comment)],
            sequence=sequence,
            language=translation.get_language(),
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"saved": True, "sequence": saved})


@require_GET
@respondent_view()
def survey_review(request: HttpRequest, response: Response) -> HttpResponse:
    outline = selectors.survey_outline(response.assessment.maturity_model)
    progress = selectors.response_progress(response, outline)
    dimensions = {
        d.code: d for d in selectors.dimensions_with_descriptors(response.assessment.maturity_model)
    }
    unanswered_levels = {q.dimension.code for q in selectors.response_unanswered_levels(response)}
    rows = [
        {
            **page,
            "dimension": dimensions.get(page["code"]),
            "missing": page["total"] - page["answered"],
            "level_missing": page["code"] in unanswered_levels,
        }
        for page in progress
    ]
    context = _survey_context(request, response, outline, len(outline))
    context |= {
        "rows": rows,
        "unanswered": sum(row["missing"] for row in rows if row["code"] is not None),
        "blocking": [row for row in rows if row["level_missing"]],
    }
    return render(request, "survey/review.html", context)


@require_POST
@respondent_view(allow_submitted=True)
def survey_submit(request: HttpRequest, response: Response) -> HttpResponse:
    if response.submitted_at is None:
        if (blocked := _window_page(request, response.assessment)) is not None:
            return blocked
        try:
            submitted = services.response_submit(response=response)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("survey-review")
        if not submitted:
            messages.info(request, _("You have already submitted your answers. Thank you!"))
        else:
            tasks.result_refresh_start(response.assessment)  # with a queue: the new step
    else:
        messages.info(request, _("You have already submitted your answers. Thank you!"))
    return redirect("survey-thanks")


@require_POST
@respondent_view(allow_submitted=True)
def survey_next_person(request: HttpRequest, response: Response) -> HttpResponse:
    """A shared device (a tablet in a workshop): after one person submitted, the next one
    starts a response of their own from the same team link."""
    link = response.team_link
    if response.submitted_at is None or link is None:
        return redirect("survey-thanks" if response.submitted_at else "survey-review")
    if (blocked := _window_page(request, response.assessment)) is not None:
        return blocked
    try:
        fresh, token = services.response_start_from_team_link(
            team_link=link, language=translation.get_language() or response.language
        )
    except services.LinkUsedUp:
        return render(request, "survey/used_up.html", status=410)
    access.respondent_bind(request, fresh)
    result = redirect("survey-welcome")
    _remember_on_device(result, request, response.assessment, token)
    return result


@require_GET
@respondent_view(allow_submitted=True)
def survey_thanks(request: HttpRequest, response: Response) -> HttpResponse:
    if response.submitted_at is None:
        return redirect("survey-review")
    context = {
        "assessment": response.assessment,
        "response": response,
        **presentation.respondent_result(response),
    }
    return render(request, "survey/thanks.html", context)
