"""The stored scores of responses (`ResponseScores`): each submitted response's profile,
worked out once from its own answers, so that no result has to read every answer."""

from django.db import transaction
from django.db.models import Case, Value, When

from .. import scoring, selectors
from ..models import Assessment, Response, ResponseScores

CHUNK = 2000


@transaction.atomic
def response_scores_store(*, assessment: Assessment, response_ids: list[int]) -> int:
    """Work out and store the profiles of these responses (replacing older ones)."""
    if not response_ids:
        return 0
    data = selectors.assessment_scoring_input(assessment, response_ids=response_ids)
    key = scoring.profile_key(data)
    items = [item.code for item in data.items]
    rows = [
        ResponseScores(
            response_id=profile.respondent.id,
            key=key,
            profile=scoring.profile_to_plain(profile, items),
        )
        for profile in scoring.respondent_profiles(data)
    ]
    ResponseScores.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["response"],
        update_fields=["key", "profile"],
        batch_size=500,
    )
    return len(rows)


def responses_counted_decide(responses) -> int:
    """Decide, once, whether these submitted responses count as respondents
    (`selectors.counted_responses`), so that counting them never reads answers again."""
    return (
        responses.filter(submitted_at__isnull=False, counted__isnull=True)
        .annotate(rule=Case(When(selectors.counted_rule(), then=Value(True)), default=Value(False)))
        .update(
            counted=Case(When(selectors.counted_rule(), then=Value(True)), default=Value(False))
        )
    )


def response_scores_refresh(*, assessment: Assessment) -> int:
    """Store the profile of every counted response that has none with the current key:
    after the settings changed, after an upgrade, or for responses made in bulk (which
    are first decided counted or not)."""
    responses_counted_decide(Response.objects.filter(assessment=assessment))
    key = scoring.profile_key(selectors.assessment_scoring_input(assessment, answers=False))
    stale = list(
        selectors.counted_responses(Response.objects.filter(assessment=assessment))
        .exclude(scores__key=key)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    stored = 0
    for start in range(0, len(stale), CHUNK):
        stored += response_scores_store(
            assessment=assessment, response_ids=stale[start : start + CHUNK]
        )
    return stored
