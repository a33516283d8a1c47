"""Writes: each use case is one function with keyword arguments, in one transaction."""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Answer, Assessment, Choice, Invitation, Question, Response, Team, TeamLink
from ..selectors.survey import response_unanswered_levels
from ..tokens import token_hash, token_new
from .scores import response_scores_store, responses_counted_decide

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 5000


@dataclass(frozen=True)
class Entry:
    """What a survey link token leads to."""

    assessment: Assessment
    invitation: Invitation | None = None
    team_link: TeamLink | None = None
    response: Response | None = None


def survey_entry_find(*, token: str) -> Entry | None:
    """Resolve a token from a link; None for anything unknown or revoked.

    Only SHA-256 hashes are stored, and the lookup is an indexed equality on the
    hash, so the time taken does not depend on how much of a token is right.
    """
    if not token or len(token) > 128:
        return None
    digest = token_hash(token)
    invitation = (
        Invitation.objects.select_related("assessment", "response")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if invitation is not None:
        response = getattr(invitation, "response", None)
        return Entry(invitation.assessment, invitation=invitation, response=response)
    link = (
        TeamLink.objects.select_related("assessment", "team")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if link is not None:
        return Entry(link.assessment, team_link=link)
    response = (
        Response.objects.select_related("assessment", "invitation", "team_link")
        .filter(resume_token_hash=digest)
        .first()
    )
    if response is not None and not response_link_revoked(response):
        return Entry(response.assessment, response=response)
    return None


def response_link_revoked(response: Response) -> bool:
    """Whether the link the response was made through was revoked: that stops it (its
    answers are kept for the consultant)."""
    links = (response.invitation, response.team_link)
    return any(link is not None and link.revoked_at is not None for link in links)


class LinkUsedUp(Exception):
    pass


@transaction.atomic
def response_start_from_invitation(*, invitation: Invitation, language: str) -> Response:
    """The one response of a personal invitation; its link is also the resume link."""
    existing = Response.objects.filter(invitation=invitation).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Response.objects.create(
                assessment_id=invitation.assessment_id,
                team_id=invitation.team_id,
                invitation=invitation,
                resume_token_hash=invitation.token_hash,
                language=language,
            )
    except IntegrityError:
        # Two tabs opened the link at the same moment; the other one created it.
        return Response.objects.get(invitation=invitation)


@transaction.atomic
def response_start_from_team_link(*, team_link: TeamLink, language: str) -> tuple[Response, str]:
    """A fresh response for a visitor of a shared team link, with its own resume token."""
    used = TeamLink.objects.filter(pk=team_link.pk, revoked_at__isnull=True)
    if team_link.capacity is not None:
        used = used.filter(uses__lt=F("capacity"))
    if used.update(uses=F("uses") + 1) != 1:
        raise LinkUsedUp
    token, digest = token_new()
    response = Response.objects.create(
        assessment_id=team_link.assessment_id,
        team_id=team_link.team_id,
        team_link=team_link,
        resume_token_hash=digest,
        language=language,
    )
    return response, token


@dataclass(frozen=True)
class AnswerInput:
    """One answer as given: a choice code, "dont_know"/"not_applicable", or text."""

    question: Question
    value: str | None = None  # None: leave the stored answer alone
    comment: str | None = None  # None: leave the stored comment alone


def answer_input_clean(*, question: Question, value: str, choices: dict[str, Choice]) -> str:
    """Check one given value against what the question allows; return it normalised."""
    if not isinstance(value, str):
        raise ValidationError(_("This answer is not one of the options. Please choose again."))
    value = value.strip()
    if "\x00" in value:
        raise ValidationError(_("The answer contains characters that are not allowed."))
    if question.kind == Question.Kind.TEXT:
        if len(value) > MAX_TEXT_LENGTH:
            raise ValidationError(
                _("Please keep your answer under %(max)s characters.") % {"max": MAX_TEXT_LENGTH}
            )
        return value
    allowed = set(choices)
    if question.is_scored:
        allowed.add(Answer.Special.DONT_KNOW)
        if question.allow_not_applicable:
            allowed.add(Answer.Special.NOT_APPLICABLE)
    if value and value not in allowed:
        raise ValidationError(_("This answer is not one of the options. Please choose again."))
    return value


def comment_clean(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("The comment could not be read."))
    value = value.strip()
    if "\x00" in value:
        raise ValidationError(_("The answer contains characters that are not allowed."))
    if len(value) > MAX_TEXT_LENGTH:
        raise ValidationError(
            _("Please keep your answer under %(max)s characters.") % {"max": MAX_TEXT_LENGTH}
        )
    return value


@transaction.atomic
def answers_save(
    *,
    response: Response,
    answers: list[AnswerInput],
    sequence: int | None = None,
    language: str | None = None,
) -> int:
    """Store answers of one response; a save older than the stored one changes nothing.

    ``sequence`` comes from the page's autosave counter; a plain form post
    (no JavaScript) takes the next number. Returns the sequence used.
    """
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.submitted_at is not None:
        raise ValidationError(
            _("You have already submitted your answers; they can no longer change.")
        )
    if sequence is None:
        sequence = locked.save_counter + 1
    question_ids = [entry.question.pk for entry in answers]
    existing = {
        answer.question_id: answer
        for answer in Answer.objects.filter(response=locked, question_id__in=question_ids)
    }
    # Questions usually come with their choices prefetched (the page, autosave).
    choices: dict[tuple[int, str], Choice] = {}
    unfetched: list[int] = []
    for entry in answers:
        prefetched = getattr(entry.question, "_prefetched_objects_cache", {}).get("choices")
        if prefetched is None:
            unfetched.append(entry.question.pk)
            continue
        choices |= {(entry.question.pk, choice.code): choice for choice in prefetched}
    if unfetched:
        choices |= {
            (choice.question_id, choice.code): choice
            for choice in Choice.objects.filter(question_id__in=unfetched)
        }
    now = timezone.now()
    to_create, to_update = [], []
    for entry in answers:
        question = entry.question
        answer = existing.get(question.pk)
        if answer is not None and answer.sequence >= sequence:
            continue  # a newer save already reached us
        if answer is None:
            answer = Answer(response=locked, question=question)
            to_create.append(answer)
        else:
            to_update.append(answer)
        if entry.value is not None:
            answer.choice = None
            answer.special = ""
            answer.text = ""
            if question.kind == Question.Kind.TEXT:
                answer.text = entry.value
            elif entry.value in (Answer.Special.DONT_KNOW, Answer.Special.NOT_APPLICABLE):
                answer.special = entry.value
            elif entry.value:
                answer.choice = choices[(question.pk, entry.value)]
        if entry.comment is not None:
            answer.comment = entry.comment
        answer.sequence = sequence
        answer.updated_at = now
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(
        to_update, ["choice", "special", "text", "comment", "sequence", "updated_at"]
    )
    fields: dict[str, object] = {"last_activity_at": now}
    if sequence > locked.save_counter:
        fields["save_counter"] = sequence
    if language:
        fields["language"] = language
    Response.objects.filter(pk=locked.pk).update(**fields)
    return sequence


def response_team_set(*, response: Response, team: Team | None) -> None:
    if team is not None and team.organization_id != response.assessment.organization_id:
        raise ValidationError(_("This team is not part of the organisation."))
    Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
        team=team, last_activity_at=timezone.now()
    )


def response_submit(*, response: Response) -> bool:
    """Submit exactly once. True for the request that submitted, False if it already was.

    One conditional UPDATE decides, so double clicks, re-posts and concurrent
    requests give one submission and no error. Every topic's level statement needs an
    answer first, or an explicit "don't know" / "not applicable".
    """
    if Response.objects.filter(pk=response.pk, submitted_at__isnull=False).exists():
        return False
    if response_unanswered_levels(response):
        raise ValidationError(
            _("Choose the statement that fits best, or “Don't know”, for every topic first.")
        )
    now = timezone.now()
    with transaction.atomic():
        submitted = Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
            submitted_at=now, last_activity_at=now
        )
    if submitted:
        _decide_and_score(response)
    return submitted == 1


def _decide_and_score(response: Response) -> None:
    """Decide whether the submitted response counts and store its profile, once, so no
    count or result reads its answers again. The submission stands whatever happens here:
    a failure is logged, and the result works the profile out from the answers instead."""
    try:
        with transaction.atomic():
            responses_counted_decide(Response.objects.filter(pk=response.pk))
            if Response.objects.filter(pk=response.pk, counted=True).exists():
                response_scores_store(assessment=response.assessment, response_ids=[response.pk])
    except Exception:
        logger.exception("scoring submitted response %s failed; it is scored later", response.pk)
