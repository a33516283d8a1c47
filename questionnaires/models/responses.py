"""The respondent side: personal invitations, shared team links, responses and answers.
Only the SHA-256 of a link's token is stored."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .content import Choice, Question
from .engagements import Assessment, Team


class Invitation(models.Model):
    """A personal survey link. Only the SHA-256 of the token is stored."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="invitations")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_salt = models.CharField(max_length=32, blank=True, editable=False)
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, default="nl")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["assessment", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "email"],
                condition=~Q(email=""),
                name="unique_invitation_email",
            ),
        ]

    def __str__(self) -> str:
        return self.email or self.name or _("invitation %(pk)s") % {"pk": self.pk}


class TeamLink(models.Model):
    """A shared link for one team; each visitor gets a response of their own."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="team_links")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_salt = models.CharField(max_length=32, blank=True, editable=False)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("uses"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("team link")
        verbose_name_plural = _("team links")
        ordering = ["assessment", "team"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(uses__lte=models.F("capacity")),
                name="team_link_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.team}"


class Response(models.Model):
    """One respondent's answers. Found by its resume token, never by primary key."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    team_link = models.ForeignKey(
        TeamLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    resume_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=5, default="nl")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The highest save sequence seen; pages start their autosave counter here.
    save_counter = models.PositiveBigIntegerField(default=0)
    # Whether the submitted response counts as a respondent (`selectors.counted_responses`),
    # decided once at submit; None: not decided, the rule is asked of its answers.
    counted = models.BooleanField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["assessment", "started_at"]
        indexes = [
            models.Index(fields=["assessment", "submitted_at"]),
            # The fingerprint of the response rates (selectors.response_rates).
            models.Index(fields=["assessment", "last_activity_at"]),
        ]

    def __str__(self) -> str:
        return _("response %(pk)s") % {"pk": self.pk}

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(models.Model):
    class Special(models.TextChoices):
        NONE = "", _("Answered")
        DONT_KNOW = "dont_know", _("Don't know")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    special = models.CharField(max_length=20, choices=Special.choices, default="", blank=True)
    text = models.TextField(_("answer"), blank=True)
    comment = models.TextField(_("example or comment"), blank=True)
    # Autosave carries an increasing number per response so a late, stale save
    # can never overwrite a newer answer.
    sequence = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(choice__isnull=True) | Q(special=""),
                name="answer_choice_or_special",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} · {self.question.code}"


class ResponseScores(models.Model):
    """What the scoring rules make of one submitted response on its own (its scores and
    flags per dimension, its answers counted, its item scores, its role and perceived
    phase): `scoring.RespondentProfile`, stored at submit, so that an organisation's
    result reads one row per respondent instead of every answer.

    ``key`` names what the profile was worked out with (the model's content and the
    respondent-level settings); a profile with another key is worked out again.
    """

    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, primary_key=True, related_name="scores"
    )
    key = models.CharField(max_length=32)
    profile = models.JSONField()

    class Meta:
        verbose_name = _("scores of a response")
        verbose_name_plural = _("scores of responses")

    def __str__(self) -> str:
        return f"{self.response_id} · {self.key}"


class StoredResult(models.Model):
    """The latest organisation-level result worked out for one assessment (a pickled
    `scoring.AssessmentResult`, compressed): the second level of the result cache, in
    the database so that it survives a cache flush and every server finds it. A
    manager's first view after a flush reads this row instead of every profile.

    ``key`` is the fingerprint of everything the result was made of (the released
    responses, the settings and targets, the scoring code); a result with another key
    is worked out again, and meanwhile shown as "being updated" where a queue does that.
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, primary_key=True, related_name="stored_result"
    )
    key = models.CharField(max_length=64)
    respondents = models.PositiveIntegerField()
    data = models.BinaryField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("worked-out result")
        verbose_name_plural = _("worked-out results")

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.key}"
