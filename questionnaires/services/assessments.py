"""Assessments and their life cycle: create with targets, change, open, close, reopen,
and the next cycle."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Assessment, AssessmentTarget, MaturityModel, Organization, Phase, User
from ..selectors.results import results_final
from .audit import audit_record
from .links import team_link_create


def default_targets(model: MaturityModel, phase: Phase | None) -> dict[str, int]:
    """The phase-expected levels of the phase the client aims at (domain model §2.4).

    Before the first IM phase the first IM phase counts, after the last the last;
    without a phase, IM 2.2 (broad use) is the usual aim.
    """
    order = list(model.phases.order_by("order").values_list("code", flat=True))
    aim = phase.code if phase is not None else DEFAULT_AIM
    return _aimed_targets(aim, order, list(model.dimensions.all()))


def phase_targets(model: MaturityModel) -> dict[int | None, dict[str, int]]:
    """`default_targets` for every phase of the model (by its pk) and for no phase (None),
    in two queries: what the target form prefills when the aimed phase changes."""
    phases = list(model.phases.order_by("order").values_list("pk", "code"))
    order = [code for _pk, code in phases]
    dimensions = list(model.dimensions.all())
    targets: dict[int | None, dict[str, int]] = {
        pk: _aimed_targets(code, order, dimensions) for pk, code in phases
    }
    targets[None] = _aimed_targets(DEFAULT_AIM, order, dimensions)
    return targets


DEFAULT_AIM = "IM-2.2"


def _aimed_targets(aim: str, order: list[str], dimensions) -> dict[str, int]:
    targets = {}
    for dimension in dimensions:
        expected = dimension.expected_levels or {}
        ordered = [code for code in order if code in expected]
        if not ordered:
            targets[dimension.code] = 3
        elif aim in expected:
            targets[dimension.code] = expected[aim]
        elif aim in order and order.index(aim) < order.index(ordered[0]):
            targets[dimension.code] = expected[ordered[0]]
        else:
            targets[dimension.code] = expected[ordered[-1]]
    return targets


ASSESSMENT_FIELDS = (
    "title",
    "subject_nl",
    "subject_en",
    "opens_at",
    "closes_at",
    "languages",
    "anonymity_threshold",
    "comment_threshold",
    "target_phase",
    "claimed_phase",
    "scoring_parameters",
    "auto_mail",
)


def _check_assessment(values: dict) -> None:
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if opens and closes and closes <= opens:
        raise ValidationError(_("The closing moment must be after the opening moment."))
    if values.get("anonymity_threshold", 5) < 3:
        raise ValidationError(_("The anonymity threshold is at least 3."))
    languages = values.get("languages")
    if languages is not None and (not languages or set(languages) - {"nl", "en"}):
        raise ValidationError(_("Offer Dutch, English or both."))


@transaction.atomic
def assessment_create(
    *,
    organization: Organization,
    maturity_model: MaturityModel,
    actor: User,
    targets: dict[str, int] | None = None,
    previous: Assessment | None = None,
    **values,
) -> Assessment:
    if not maturity_model.is_published:
        raise ValidationError(_("Only a published maturity model can be used."))
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _check_assessment(values)
    assessment = Assessment.objects.create(
        organization=organization,
        maturity_model=maturity_model,
        created_by=actor,
        previous=previous,
        **values,
    )
    targets = targets or default_targets(maturity_model, values.get("target_phase"))
    _targets_set(assessment, targets)
    audit_record(
        organization=organization,
        assessment=assessment,
        actor=actor,
        action="assessment created",
        detail=assessment.title,
    )
    return assessment


def _targets_set(assessment: Assessment, targets: dict[str, int]) -> None:
    dimensions = {d.code: d for d in assessment.maturity_model.dimensions.all()}
    for code, level in targets.items():
        if code not in dimensions:
            raise ValidationError(_("Unknown dimension %(code)s.") % {"code": code})
        if not 1 <= int(level) <= 6:
            raise ValidationError(_("A target level is between 1 and 6."))
    AssessmentTarget.objects.filter(assessment=assessment).delete()
    AssessmentTarget.objects.bulk_create(
        AssessmentTarget(assessment=assessment, dimension=dimensions[code], level=int(level))
        for code, level in targets.items()
    )


@transaction.atomic
def assessment_update(
    *, assessment: Assessment, actor: User, targets: dict[str, int] | None = None, **values
) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _check_assessment(values)
    has_responses = assessment.responses.exists()
    if has_responses:
        for locked in ("anonymity_threshold", "comment_threshold"):
            if locked in values and values[locked] != getattr(assessment, locked):
                raise ValidationError(
                    _("The anonymity settings are locked once the first response has arrived.")
                )
    changed = [name for name, value in values.items() if getattr(assessment, name) != value]
    was_over = results_final(assessment)
    for name, value in values.items():
        setattr(assessment, name, value)
    _keep_released(assessment, was_over)
    assessment.save()
    if targets is not None:
        _targets_set(assessment, targets)
        changed.append("targets")
    audit_record(
        organization=assessment.organization,
        assessment=assessment,
        actor=actor,
        action="assessment changed",
        detail=", ".join(changed),
    )
    return assessment


def _keep_released(assessment: Assessment, was_over: bool) -> None:
    """When answering starts again after it was over (reopened, or the closing moment
    moved on), the results shown while it was over stay: later responses join them only
    in steps of the threshold (`selectors.released_responses`), never one by one."""
    if was_over and not results_final(assessment):
        assessment.released_through = timezone.now()


_TRANSITIONS = {
    "open": ({Assessment.Status.DRAFT}, Assessment.Status.OPEN, "assessment opened"),
    "close": ({Assessment.Status.OPEN}, Assessment.Status.CLOSED, "assessment closed"),
    "reopen": ({Assessment.Status.CLOSED}, Assessment.Status.OPEN, "assessment reopened"),
}


@transaction.atomic
def assessment_transition(*, assessment: Assessment, action: str, actor: User) -> Assessment:
    """Draft → open → closed, and closed → open again; every step is logged."""
    allowed_from, to, label = _TRANSITIONS[action]
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status not in allowed_from:
        raise ValidationError(_("This assessment cannot be changed that way now."))
    was_over = results_final(assessment)
    assessment.status = to
    fields = ["status", "released_through"]
    now = timezone.now()
    if action in ("open", "reopen") and assessment.closes_at and assessment.closes_at <= now:
        raise ValidationError(_("Move the closing moment into the future first."))
    if action == "close" and (assessment.closes_at is None or assessment.closes_at > now):
        assessment.closes_at = now
        fields.append("closes_at")
    if action == "open" and assessment.opens_at is None:
        assessment.opens_at = now
        fields.append("opens_at")
    _keep_released(assessment, was_over)
    assessment.save(update_fields=fields)
    audit_record(
        organization=assessment.organization, assessment=assessment, actor=actor, action=label
    )
    return assessment


@transaction.atomic
def assessment_clone(*, assessment: Assessment, actor: User, title: str) -> Assessment:
    """The next cycle for the same client: same settings and targets, linked for the trend."""
    values = {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}
    values |= {"title": title, "opens_at": None, "closes_at": None}
    targets = dict(assessment.targets.values_list("dimension__code", "level"))
    clone = assessment_create(
        organization=assessment.organization,
        maturity_model=_newest_version(assessment.maturity_model),
        actor=actor,
        targets=targets or None,
        previous=assessment,
        **values,
    )
    for link in assessment.team_links.filter(revoked_at__isnull=True).select_related("team"):
        team_link_create(assessment=clone, team=link.team, capacity=link.capacity, actor=actor)
    return clone


def _newest_version(model: MaturityModel) -> MaturityModel:
    newest = (
        MaturityModel.objects.filter(code=model.code, is_published=True)
        .order_by("-published_at")
        .first()
    )
    return newest or model
